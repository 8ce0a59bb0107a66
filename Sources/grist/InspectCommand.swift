import ArgumentParser
import GristCore
import GristShards
import GristTokenize

extension Grist {
    struct InspectCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Show a shard's header and its first documents decoded back to text.")

        @Argument(help: "A token shard (.bin) written by `grist build` or llm.c.")
        var shard: String

        @Option(name: .shortAndLong, help: "How many documents to decode.")
        var documents: Int = 3

        @Option(help: "Show at most this many characters of each document (0: all).")
        var maxChars: Int = 600

        func validate() throws {
            guard documents >= 0 else { throw ValidationError("--documents must be 0 or more.") }
            guard maxChars >= 0 else { throw ValidationError("--max-chars must be 0 or more.") }
        }

        func run() throws {
            let reader = try ShardReader(path: shard)
            let vocabulary = try BPEVocabulary.gpt2()
            guard let separator = vocabulary.endOfText else {
                throw GristError(.badFormat, "the tokenizer has no end-of-text token")
            }
            let ranges = reader.documentRanges(separator: UInt16(separator))
            print("\(shard)")
            print("  format     llm.c token shard, magic \(ShardHeader.magic), version \(ShardHeader.version), uint16 tokens")
            print("  tokens     \(Format.count(reader.tokenCount))")
            print("  documents  \(Format.count(ranges.count)) (each starts with <|endoftext|> = \(separator))")
            print("  size       \(Format.bytes(reader.byteCount)), sha256 \(reader.sha256())")
            if let note = manifestNote(sha256: reader.sha256()) { print("  manifest   \(note)") }
            for (index, range) in ranges.prefix(documents).enumerated() {
                let body = reader.tokens(range).drop { $0 == separator }
                var text = String(decoding: vocabulary.decode(body), as: UTF8.self)
                var note = ""
                if maxChars > 0, text.count > maxChars {
                    note = " (first \(maxChars) characters of \(Format.count(text.count)))"
                    text = String(text.prefix(maxChars))
                }
                print("")
                print("--- document \(index + 1): tokens \(range.lowerBound)..<\(range.upperBound)\(note) ---")
                print(text)
            }
        }

        /// Compares the shard with its row in the manifest of the build folder it sits in, if there is one.
        private func manifestNote(sha256: String) -> String? {
            let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 2 else { return nil }
            let folder = parts.dropLast(2).joined(separator: "/")
            let relative = parts.suffix(2).joined(separator: "/")
            let path = FileSystem.join(folder.isEmpty ? "." : folder, Manifest.fileName)
            guard FileSystem.exists(path), let manifest = try? Manifest.open(path: path),
                  let row = try? manifest.database.prepare("SELECT sha256 FROM shard WHERE path = ?").rows(.text(relative)).first,
                  let recorded = row.first?.string else { return nil }
            return recorded == sha256 ? "checksum matches \(path)" : "CHECKSUM DIFFERS from \(path) (\(recorded.prefix(12)))"
        }
    }
}
