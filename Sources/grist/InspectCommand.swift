import ArgumentParser
import GristCore
import GristShards
import GristTokenize

extension Grist {
    struct InspectCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Show a shard's header and its first documents, or a build's duplicate clusters.",
            discussion: """
                grist inspect SHARD: the header, checksum and first documents of a token shard.
                grist inspect OUTPUT --duplicates [--n 5]: sample duplicate clusters of a build, spread from the \
                least to the most similar, each with its kept document and members' similarity.
                """)

        @Argument(help: "A token shard (.bin) written by `grist build` or llm.c; with --duplicates, a build's output folder.")
        var shard: String

        @Option(name: .shortAndLong, help: "How many documents to decode.")
        var documents: Int = 3

        @Option(help: "Show at most this many characters of each document (0: all).")
        var maxChars: Int = 600

        @Flag(help: "Show duplicate clusters of the build in the OUTPUT folder.")
        var duplicates = false

        @Option(name: .customLong("n"), help: "How many clusters to show (with --duplicates).")
        var clusters: Int = 5

        func validate() throws {
            guard documents >= 0 else { throw ValidationError("--documents must be 0 or more.") }
            guard maxChars >= 0 else { throw ValidationError("--max-chars must be 0 or more.") }
            guard clusters >= 0 else { throw ValidationError("--n must be 0 or more.") }
        }

        func run() throws {
            if duplicates { return try showDuplicates() }
            let reader = try ShardReader(path: shard)
            let manifest = buildManifest()
            let vocabulary = try manifest.flatMap(tokenizerFile).map { try BPEVocabulary(tiktokenFile: $0) }
                ?? BPEVocabulary.gpt2()
            guard let separator = vocabulary.endOfText else {
                throw GristError(.badFormat, "the tokenizer has no end-of-text token")
            }
            let ranges = reader.documentRanges(separator: UInt16(separator))
            print("\(shard)")
            print("  format     llm.c token shard, magic \(ShardHeader.magic), version \(ShardHeader.version), uint16 tokens")
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

        /// Sample clusters from the manifest of the build folder `shard`.
        private func showDuplicates() throws {
            let path = shard.hasSuffix(".sqlite") ? shard : FileSystem.join(shard, Manifest.fileName)
            let report = try DuplicateClusters.load(from: Manifest.open(path: path), count: clusters)
            print("\(path): \(Format.count(report.total)) duplicate clusters (\(Format.count(report.exactOnly)) of exact "
                + "duplicates only)")
            if report.total > report.sample.count {
                print("showing \(report.sample.count), spread from the least to the most similar")
            }
            for cluster in report.sample {
                print("")
                print("--- cluster \(cluster.id): \(cluster.size) documents, lowest similarity "
                    + "\(Format.decimal(cluster.minSimilarity, 3))\(cluster.exactOnly ? " (exact)" : "") ---")
                var table = TextTable(["", "similarity", "source", "document", "input", "bytes"], rightAligned: [1, 5])
                for member in cluster.members {
                    table.add([member.reason == nil ? "kept" : (member.reason == "exact_duplicate" ? "exact" : "near"),
                               Format.decimal(member.similarity, 3), member.source, member.externalId,
                               "\(member.path):\(member.line)", Format.count(member.byteCount)])
                }
                print(table.render())
                if cluster.size > cluster.members.count {
                    print("  … and \(cluster.size - cluster.members.count) more")
                }
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

        /// The ranks file the build used, when it was not the bundled GPT-2 one.
        private func tokenizerFile(_ manifest: Manifest) -> String? {
            guard let path = try? manifest.database.scalar("SELECT filePath FROM tokenizer LIMIT 1")?.string,
                  !path.hasPrefix("bundled:") else { return nil }
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
