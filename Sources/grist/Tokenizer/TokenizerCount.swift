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
            let count = try Encode.tokens(of: file, vocabulary: try vocabulary.load(), allowSpecial: allowSpecial).count
            try FileDescriptor.standardOutput.writeAll(Array("\(count)\n".utf8))
        }
    }
}
