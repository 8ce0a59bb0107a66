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

        @Option(help: "Vocabulary to decode with: gpt2, a ranks file or a tokenizer.json (default: the build's).")
        var vocab: String?

        func validate() throws {
            guard documents >= 0 else { throw ValidationError("--documents must be 0 or more.") }
            guard maxChars >= 0 else { throw ValidationError("--max-chars must be 0 or more.") }
        }

        func run() throws {
            let reader = try ShardReader(path: shard)
            let manifest = buildManifest()
            let vocabulary = try BPEVocabulary.load(vocab ?? manifest.flatMap(tokenizerFile) ?? "gpt2")
            guard let separator = vocabulary.endOfText else {
                throw GristError(.badFormat, "the tokenizer has no end-of-text token")
            }
            let ranges = reader.documentRanges(separator: separator)
            let width = reader.header.tokenWidth
            print("\(shard)")
            print("  format     llm.c token shard, magic \(width.magic), version \(width.version), "
                + "\(width == .uint16 ? "uint16" : "uint32") tokens")
            print("  vocabulary \(vocabulary.name), \(Format.count(vocabulary.count)) tokens")
            print("  tokens     \(Format.count(reader.tokenCount))")
            print("  documents  \(Format.count(ranges.count)) (each starts with <|endoftext|> = \(separator))")
            print("  size       \(Format.bytes(reader.byteCount)), sha256 \(reader.sha256())")
            if let manifest, let note = checksumNote(manifest, sha256: reader.sha256()) { print("  manifest   \(note)") }
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

        /// The shard's path relative to its build folder (`shards/NAME.bin`) and that folder.
        private var location: (folder: String, relative: String)? {
            let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 2 else { return nil }
            let folder = parts.dropLast(2).joined(separator: "/")
            return (folder.isEmpty ? "." : folder, parts.suffix(2).joined(separator: "/"))
        }

        /// The manifest of the build folder the shard sits in, if there is one.
        private func buildManifest() -> Manifest? {
            guard let location else { return nil }
            return try? Manifest.open(path: FileSystem.join(location.folder, Manifest.fileName))
        }

        /// The vocabulary file the build used, when it was not the bundled GPT-2 one (a vocabulary the
        /// build trained is recorded relative to its folder).
        private func tokenizerFile(_ manifest: Manifest) -> String? {
            guard let path = try? manifest.database.scalar("SELECT filePath FROM tokenizer LIMIT 1")?.string,
                  !path.hasPrefix("bundled:") else { return nil }
            if let location, !path.hasPrefix("/"), FileSystem.exists(FileSystem.join(location.folder, path)) {
                return FileSystem.join(location.folder, path)
            }
            return path
        }

        /// Compares the shard with its row in the manifest.
        private func checksumNote(_ manifest: Manifest, sha256: String) -> String? {
            guard let location,
                  let row = try? manifest.database.prepare("SELECT sha256 FROM shard WHERE path = ?")
                      .rows(.text(location.relative)).first,
                  let recorded = row.first?.string else { return nil }
            let path = manifest.database.path
            return recorded == sha256 ? "checksum matches \(path)" : "CHECKSUM DIFFERS from \(path) (\(recorded.prefix(12)))"
        }
    }
}
