import ArgumentParser
import GristCore
import GristTokenize

extension Grist.TokenizerCommand {
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
}
