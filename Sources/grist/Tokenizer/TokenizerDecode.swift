import ArgumentParser
import GristCore
import GristTokenize

extension Grist.TokenizerCommand {
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn token ids (decimal, or binary from `encode --binary`) back into the exact bytes.",
            discussion: """
                Ids are read as decimal text, or as binary (little-endian uint16, or uint32 for vocabularies over \
                65,535 ids) with --binary or from a file named *.bin, *.u16 or *.u32. Never guessed from the bytes: \
                a binary file whose bytes happen to be digits would decode to other text.
                """)

        @OptionGroup var vocabulary: VocabularyOption

        @Flag(help: "Read raw little-endian ids (as `encode --binary` writes them).")
        var binary = false

        /// Binary ids: asked for, or a file named like one.
        private var readsBinary: Bool {
            binary || [".bin", ".u16", ".u32"].contains { file?.hasSuffix($0) == true }
        }

        @Argument(help: "Input file (default: standard input).")
        var file: String?

        func run() throws {
            let vocabulary = try vocabulary.load()
            let tokens = try CommandInput.withBytes(file) { bytes, source in
                if !readsBinary { return try TokenIDStream.parseDecimal(bytes, source: source) }
                return try TokenIDStream.parseBinary(
                    bytes, width: TokenIDStream.binaryWidth(vocabularySize: vocabulary.count), source: source)
            }
            try FileDescriptor.standardOutput.writeAll(vocabulary.decodeChecked(tokens))
        }
    }
}
