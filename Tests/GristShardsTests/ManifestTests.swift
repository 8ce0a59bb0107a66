import Foundation
import GristCore
import GristShards
import Testing

@Suite struct ManifestTests {
    @Test func recordsARunAndReadsStatisticsBack() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grist-manifest-\(UUID().uuidString)").path
        try FileSystem.createDirectory(root)
        defer { try? FileSystem.remove(root) }
        let manifest = try Manifest.create(path: root + "/manifest.sqlite")
        let run = try manifest.beginRun(RunRecord(startedAt: "t0", toolVersion: "v", configPath: "c.yaml",
                                                  configText: "x", configSha256: "abc", seed: 7, workers: 2,
                                                  outputDir: root))
        let source = try manifest.addSource(runId: run, position: 0, name: "books", format: "text", weight: 1)
        let file = try manifest.addInputFile(sourceId: source, path: "a.txt", byteSize: 10)
        try manifest.finishInputFile(file, failed: false, documentsRead: 2, recordsSkipped: 1, error: nil)
        try manifest.addDocuments([
            DocumentRecord(id: 1, inputFileId: file, ordinal: 0, line: 1, byteOffset: 0, externalId: "a", byteCount: 5,
                           tokenCount: 2, fingerprint: "f1", fate: .kept, stage: nil, reason: nil, duplicateOf: nil,
                           split: .train, copies: 1),
            DocumentRecord(id: 2, inputFileId: file, ordinal: 1, line: 3, byteOffset: 6, externalId: "b", byteCount: 5,
                           tokenCount: 2, fingerprint: "f1", fate: .dropped, stage: "dedup", reason: "exact_duplicate",
                           duplicateOf: 1, split: nil, copies: 0),
        ])
        try manifest.addSkippedRecords([SkippedRecord(inputFileId: file, line: 5, byteOffset: 12,
                                                      reason: "not_json", message: "bad")])
        try manifest.setStageCounts(sourceId: source, [
            StageCount(position: 0, stage: "read", outcome: .kept, documents: 2, bytes: 10),
            StageCount(position: 0, stage: "read", outcome: .skipped, reason: "not_json", documents: 1, bytes: 0),
            StageCount(position: 3, stage: "dedup", outcome: .dropped, reason: "exact_duplicate", documents: 1, bytes: 5),
        ])
        try manifest.addTokenizer(runId: run, TokenizerRecord(name: "gpt2", vocabularySize: 50257, endOfTextToken: 50256,
                                                              filePath: "bundled", fileSha256: "ff"))
        try manifest.addShard(runId: run, ShardRecord(id: 1, path: "shards/train_000000.bin", split: .train, ordinal: 0,
                                                      format: "llmc", tokenCount: 3, documentCount: 1, byteSize: 1030,
                                                      sha256: "00"),
                              placements: [PlacementRecord(documentId: 1, copy: 0, shardId: 1, tokenOffset: 0, tokenCount: 3)])
        try manifest.setOutcome(sourceId: source, SourceOutcome(multiplier: 1, targetShare: 1, achievedShare: 1,
                                                                keptDocuments: 1, trainTokens: 3, valTokens: 0))
        try manifest.finishRun(run, succeeded: true, finishedAt: "t1")

        let stats = try DatasetStatistics.load(from: Manifest.open(path: root + "/manifest.sqlite"))
        #expect(stats.run.status == "succeeded")
        #expect(stats.sources.count == 1)
        let books = try #require(stats.sources.first)
        #expect(books.documentsRead == 2 && books.recordsSkipped == 1 && books.keptDocuments == 1)
        #expect(books.removals.map(\.reason) == ["not_json", "exact_duplicate"])
        #expect(stats.splits.map(\.tokens) == [3])
        #expect(stats.tokenizer?.vocabularySize == 50257)
    }

    @Test func refusesFilesThatAreNotManifests() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-\(UUID().uuidString).sqlite").path
        defer { try? FileSystem.remove(path) }
        #expect(throws: GristError.self) { try Manifest.open(path: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data("hello".utf8))
        #expect(throws: GristError.self) { try Manifest.open(path: path) }
    }

    /// Schema 4: a document cut between the splits by `val_tokens` has split `both`, with a placement in a
    /// train shard (its head) and one in a val shard (its tail); no other split is accepted.
    @Test func aCutDocumentIsInBothSplits() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grist-cut-\(UUID().uuidString)").path
        try FileSystem.createDirectory(root)
        defer { try? FileSystem.remove(root) }
        let manifest = try Manifest.create(path: root + "/manifest.sqlite")
        let run = try manifest.beginRun(RunRecord(startedAt: "t0", toolVersion: "v", configPath: "c.yaml",
                                                  configText: "x", configSha256: "abc", seed: 7, workers: 1,
                                                  outputDir: root))
        let source = try manifest.addSource(runId: run, position: 0, name: "book", format: "text", weight: 1)
        let file = try manifest.addInputFile(sourceId: source, path: "book.txt", byteSize: 10)
        try manifest.addDocuments([
            DocumentRecord(id: 1, inputFileId: file, ordinal: 0, line: 1, byteOffset: 0, externalId: "book",
                           byteCount: 50, tokenCount: 10, fingerprint: "f1", fate: .kept, stage: nil, reason: nil,
                           duplicateOf: nil, split: .both, copies: 2),
        ])
        for (id, split) in [(Int64(1), DataSplit.train), (2, .val)] {
            try manifest.addShard(runId: run, ShardRecord(id: id, path: "shards/\(split)_000000.bin", split: split,
                                                          ordinal: 0, format: "llmc", tokenCount: split == .train ? 8 : 4,
                                                          documentCount: 1, byteSize: 0, sha256: "00"),
                                  placements: [PlacementRecord(documentId: 1, copy: 0, shardId: id, tokenOffset: 0,
                                                               tokenCount: split == .train ? 8 : 4)])
        }
        let db = manifest.database
        #expect(try db.scalar("SELECT value FROM meta WHERE key = 'schemaVersion'")?.string == "7")
        #expect(try db.scalar("""
            SELECT group_concat(sh.split || ':' || p.tokenCount, ' ') FROM placement p JOIN shard sh ON sh.id = p.shardId
            WHERE p.documentId = 1 ORDER BY p.id
            """)?.string == "train:8 val:4")
        // The parts hold the document's tokens and a separator each.
        #expect(try db.scalar("SELECT SUM(p.tokenCount) - COUNT(*) FROM placement p WHERE p.documentId = 1")?.int == 10)
        #expect(throws: (any Error).self) {
            try db.execute("UPDATE document SET split = 'neither' WHERE id = 1")
        }
    }

    /// SQLite looks up a parent's children on each insert while deferred references are outstanding:
    /// without an index on the child column that is a scan per row, and a build of a million documents
    /// takes hours. Every reference into a table of one row per document (or more) must be indexed.
    @Test func everyReferenceIntoALargeTableIsIndexed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grist-fk-\(UUID().uuidString)").path
        try FileSystem.createDirectory(root)
        defer { try? FileSystem.remove(root) }
        let db = try Manifest.create(path: root + "/manifest.sqlite").database
        let large: Set<String> = ["document", "duplicateCluster", "inputFile", "shard", "placement"]
        let tables = try db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").rows().compactMap { $0[0].string }
        var checked = 0
        for table in tables {
            var leading: Set<String> = []
            for index in try db.prepare("SELECT name FROM pragma_index_list(?)").rows(.text(table)) {
                let columns = try db.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").rows(index[0])
                if let first = columns.first?[0].string { leading.insert(first) }
            }
            // An INTEGER PRIMARY KEY is the rowid itself: the table's own b-tree is its index.
            let keys = try db.prepare("SELECT name, type FROM pragma_table_info(?) WHERE pk > 0").rows(.text(table))
            if keys.count == 1, keys[0][1].string?.uppercased() == "INTEGER", let name = keys[0][0].string {
                leading.insert(name)
            }
            for reference in try db.prepare("SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?)").rows(.text(table)) {
                guard let parent = reference[0].string, let column = reference[1].string, large.contains(parent) else { continue }
                #expect(leading.contains(column), "\(table).\(column) references \(parent) without an index")
                checked += 1
            }
        }
        #expect(checked >= 6)
    }
}
