import ArgumentParser
import GristCore
import GristTokenize

extension Grist.TokenizerCommand {
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn token ids (decimal, or binary from `encode --binary`) back into the exact bytes.",
            discussion: """
                Input made only of ASCII digits and whitespace is read as decimal ids; anything else as \
                binary ids (uint16, or uint32 for vocabularies over 65,535 ids). --binary forces binary.
                """)

        @OptionGroup var vocabulary: VocabularyOption

        @Flag(help: "Read raw little-endian ids even if the input looks like decimal text.")
        var binary = false

        @Argument(help: "Input file (default: standard input).")
        var file: String?

        func run() throws {
            let vocabulary = try vocabulary.load()
            let tokens = try CommandInput.withBytes(file) { bytes, source in
                if !binary, TokenIDStream.looksDecimal(bytes) {
                    return try TokenIDStream.parseDecimal(bytes, source: source)
                }
                return try TokenIDStream.parseBinary(
                    bytes, width: TokenIDStream.binaryWidth(vocabularySize: vocabulary.count), source: source)
            }
            try FileDescriptor.standardOutput.writeAll(vocabulary.decodeChecked(tokens))
        }
    }
}
