import ArgumentParser
import GristCore
import GristTokenize

extension Grist.TokenizerCommand {
    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode a file (or stdin) as one text and print its token ids.",
            discussion: """
                Prints the ids in decimal separated by single spaces, then one newline. With --binary, \
                writes little-endian uint16 ids instead (uint32 for vocabularies over 65,535 ids). \
                Special-token text is encoded as ordinary text unless --allow-special is given.
                """)

        @OptionGroup var vocabulary: VocabularyOption

        @Flag(help: "Encode special-token text (such as <|endoftext|>) as its special token.")
        var allowSpecial = false

        @Flag(help: "Write raw little-endian ids instead of decimal text.")
        var binary = false

        @Argument(help: "Input file (default: standard input).")
        var file: String?

        func run() throws {
            let vocabulary = try vocabulary.load()
            let tokens = try Self.tokens(of: file, vocabulary: vocabulary, allowSpecial: allowSpecial)
            if binary {
                try FileDescriptor.standardOutput.writeAll(TokenIDStream.binary(
                    tokens, width: TokenIDStream.binaryWidth(vocabularySize: vocabulary.count)))
            } else {
                try FileDescriptor.standardOutput.writeAll(TokenIDStream.decimal(tokens))
            }
        }

        /// The tokens of a file (or stdin, for nil) as one text; special-token text is its special token
        /// when `allowSpecial`, else ordinary text. Warns when the input is not UTF-8.
        static func tokens(of file: String?, vocabulary: BPEVocabulary, allowSpecial: Bool) throws -> [UInt32] {
            var encoder = BPEEncoder(vocabulary: vocabulary)
            return try CommandInput.withBytes(file) { bytes, source in
                CommandInput.warnIfNotUTF8(bytes, source: source)
                var tokens: [UInt32] = []
                if allowSpecial {
                    try encoder.encode(bytes, allowedSpecial: .all, disallowedSpecial: .none, into: &tokens)
                } else {
                    encoder.encodeOrdinary(bytes, into: &tokens)
                }
                return tokens
            }
        }
    }
}
