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
            var encoder = BPEEncoder(vocabulary: vocabulary)
            let tokens = try CommandInput.withBytes(file) { bytes, source in
                CommandInput.warnIfNotUTF8(bytes, source: source)
                var tokens: [UInt32] = []
                if allowSpecial {
                    try encoder.encode(bytes, allowedSpecial: .all, disallowedSpecial: .none, into: &tokens)
                } else {
                    encoder.encodeOrdinary(bytes, into: &tokens)
                }
                return tokens
            }
            if binary {
                try CommandOutput.write(TokenIDStream.binary(
                    tokens, width: TokenIDStream.binaryWidth(vocabularySize: vocabulary.count)))
            } else {
                try CommandOutput.write(TokenIDStream.decimal(tokens))
            }
        }
    }

    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the number of tokens in a file (or stdin), then one newline.")

        @OptionGroup var vocabulary: VocabularyOption

        @Flag(help: "Count special-token text (such as <|endoftext|>) as one special token.")
        var allowSpecial = false

        @Argument(help: "Input file (default: standard input).")
        var file: String?

        func run() throws {
            var encoder = BPEEncoder(vocabulary: try vocabulary.load())
            let count = try CommandInput.withBytes(file) { bytes, source in
                CommandInput.warnIfNotUTF8(bytes, source: source)
                var tokens: [UInt32] = []
                if allowSpecial {
                    try encoder.encode(bytes, allowedSpecial: .all, disallowedSpecial: .none, into: &tokens)
                } else {
                    encoder.encodeOrdinary(bytes, into: &tokens)
                }
                return tokens.count
            }
            try CommandOutput.write(Array("\(count)\n".utf8))
        }
    }

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
            try CommandOutput.write(vocabulary.decodeChecked(tokens))
        }
    }
}
