import Foundation
import GristCore
@testable import GristShards
import Testing

/// The manifest's read API on a manifest written by its own writer: every value comes back as written.
@Suite struct ManifestReadTests {
    /// A small finished build: two sources, one duplicate cluster, a train and a val shard, a second copy of
    /// one document, and one training run.
    final class Fixture {
        let root: String
        let manifest: Manifest
        let runId: Int64

        init(training: Bool = true) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("grist-read-\(UUID().uuidString)").path
            try FileSystem.createDirectory(root)
            let writer = try Manifest.create(path: root + "/manifest.sqlite")
            let run = try writer.beginRun(RunRecord(startedAt: "t0", toolVersion: "v1", configPath: "c.yaml",
                                                    configText: "name: x\n", configSha256: "abc",
                                                    seed: UInt64.max - 1, workers: 3, outputDir: root))
            runId = run
            try writer.setMeta("pipeline", "x")
            try writer.setMeta("buildKey", "k1")
            let books = try writer.addSource(runId: run, position: 0, name: "books", format: "text", weight: 1)
            let web = try writer.addSource(runId: run, position: 1, name: "web", format: "jsonl", weight: 2)
            let bookFile = try writer.addInputFile(sourceId: books, path: "in/books.txt", byteSize: 100)
            let webFile = try writer.addInputFile(sourceId: web, path: "in/web.jsonl", byteSize: 200)
            func document(_ id: Int64, _ file: Int64, ordinal: Int, fate: DocumentRecord.Fate, split: DocumentRecord.Split? = nil,
                          stage: String? = nil, reason: String? = nil, duplicateOf: Int64? = nil, copies: Int = 0,
                          cluster: Int64? = nil, similarity: Double? = nil) -> DocumentRecord {
                DocumentRecord(id: id, inputFileId: file, ordinal: ordinal, line: ordinal + 1, byteOffset: ordinal * 10,
                               externalId: "doc-\(id)", byteCount: 9, tokenCount: 3, fingerprint: "f\(id)", fate: fate,
                               stage: stage, reason: reason, duplicateOf: duplicateOf, split: split, copies: copies,
                               clusterId: cluster, similarity: similarity)
            }
            try writer.addDocuments([
                document(1, bookFile, ordinal: 0, fate: .kept, split: .train, copies: 2, cluster: 1, similarity: 1),
                document(2, bookFile, ordinal: 1, fate: .dropped, stage: "dedup", reason: "near_duplicate",
                         duplicateOf: 1, cluster: 1, similarity: 0.82),
                document(3, bookFile, ordinal: 2, fate: .dropped, stage: "length", reason: "too_short"),
                document(4, webFile, ordinal: 0, fate: .kept, split: .val, copies: 1),
                document(5, webFile, ordinal: 1, fate: .kept, split: .train, copies: 1),
            ], clusters: [DuplicateClusterRecord(id: 1, runId: run, size: 2, keptDocumentId: 1, minSimilarity: 0.82,
                                                 exactOnly: false)])
            try writer.addTokenizer(runId: run, TokenizerRecord(name: "gpt2", vocabularySize: 50257, endOfTextToken: 50256,
                                                                filePath: "bundled:gpt2", fileSha256: "ff"))
            // Written val first: reads order train before val, by ordinal.
            try writer.addShard(runId: run, ShardRecord(id: 1, path: "shards/val_000000.bin", split: .val, ordinal: 0,
                                                        format: "llmc", tokenCount: 4, documentCount: 1, byteSize: 1032,
                                                        sha256: "aa"),
                                placements: [PlacementRecord(documentId: 4, copy: 0, shardId: 1, tokenOffset: 0, tokenCount: 4)])
            try writer.addShard(runId: run, ShardRecord(id: 2, path: "shards/train_000001.bin", split: .train, ordinal: 1,
                                                        format: "llmc", tokenCount: 4, documentCount: 1, byteSize: 1032,
                                                        sha256: "bb"),
                                placements: [PlacementRecord(documentId: 1, copy: 1, shardId: 2, tokenOffset: 0, tokenCount: 4)])
            try writer.addShard(runId: run, ShardRecord(id: 3, path: "shards/train_000000.bin", split: .train, ordinal: 0,
                                                        format: "llmc", tokenCount: 8, documentCount: 2, byteSize: 1040,
                                                        sha256: "cc"),
                                placements: [PlacementRecord(documentId: 5, copy: 0, shardId: 3, tokenOffset: 0, tokenCount: 4),
                                             PlacementRecord(documentId: 1, copy: 0, shardId: 3, tokenOffset: 4, tokenCount: 4)])
            try writer.finishRun(run, succeeded: true, finishedAt: "t1")
            if training {
                for model in ["first", "second"] {
                    let trainingRun = try writer.beginTrainingRun(TrainingRunRecord(
                        startedAt: "t2", toolVersion: "v1", model: model, parameterCount: 10, settings: "{}", seed: 1,
                        threads: 1, blasKernels: "generic", outputDir: root + "/train", resumedFrom: nil))
                    try writer.addTrainingSteps(runId: trainingRun, [
                        TrainingStepRecord(step: 2, trainLoss: 2.5, valLoss: 2.75, learningRate: 1e-3, gradNorm: 1,
                                           tokens: 64, tokensPerSecond: 100, seconds: 0.5),
                        TrainingStepRecord(step: 1, trainLoss: 3.0, valLoss: nil, learningRate: 1e-3, gradNorm: 1,
                                           tokens: 32, tokensPerSecond: 100, seconds: 0.5),
                    ])
                }
            }
            try writer.makeSelfContained()
            manifest = try Manifest.open(path: root + "/manifest.sqlite")
        }

        deinit { try? FileSystem.remove(root) }
    }

    @Test func latestRunAndMeta() throws {
        let f = try Fixture()
        let run = try #require(try f.manifest.latestRun())
        let started = RunRecord(startedAt: "t0", toolVersion: "v1", configPath: "c.yaml", configText: "name: x\n",
                                configSha256: "abc", seed: UInt64.max - 1, workers: 3, outputDir: f.root)
        #expect(run == RecordedRun(id: f.runId, status: .succeeded, started: started, finishedAt: "t1", error: nil))
        #expect(run.configText == "name: x\n" && run.kind == "build")
        #expect(try f.manifest.requiredLatestRun() == run)
        #expect(try f.manifest.meta("pipeline") == "x")
        #expect(try f.manifest.meta("buildKey") == "k1")
        #expect(try f.manifest.meta("schemaVersion") == "7")
        #expect(try f.manifest.meta("nothing") == nil)
        #expect(f.manifest.path == f.root + "/manifest.sqlite")
    }

    @Test func aManifestWithoutARun() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grist-norun-\(UUID().uuidString)").path
        try FileSystem.createDirectory(root)
        defer { try? FileSystem.remove(root) }
        let manifest = try Manifest.create(path: root + "/manifest.sqlite")
        #expect(try manifest.latestRun() == nil)
        #expect(throws: GristError.self) { try manifest.requiredLatestRun() }
        #expect(try manifest.shardTotals() == ShardTotals(shards: 0, tokens: 0))
        #expect(try manifest.documentCount(fate: .kept) == 0)
        #expect(try manifest.trainingLosses(runId: 1).isEmpty)
        #expect(try manifest.duplicateClusterSizes().isEmpty)
    }

    @Test func aFailedRunKeepsItsError() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grist-failed-\(UUID().uuidString)").path
        try FileSystem.createDirectory(root)
        defer { try? FileSystem.remove(root) }
        let manifest = try Manifest.create(path: root + "/manifest.sqlite")
        let run = try manifest.beginRun(RunRecord(startedAt: "t0", toolVersion: "v", configPath: "c", configText: "",
                                                  configSha256: "", seed: 0, workers: 1, outputDir: root))
        #expect(try manifest.latestRun()?.status == .running)
        #expect(try manifest.latestRun()?.finishedAt == nil)
        try manifest.finishRun(run, succeeded: false, finishedAt: "t1", error: "disk full")
        #expect(try manifest.latestRun()?.status == .failed)
        #expect(try manifest.latestRun()?.error == "disk full")
    }

    @Test func tokenizerAndShards() throws {
        let f = try Fixture()
        let tokenizer = try #require(try f.manifest.tokenizer(runId: f.runId))
        #expect(tokenizer.name == "gpt2" && tokenizer.vocabularySize == 50257 && tokenizer.endOfTextToken == 50256)
        #expect(tokenizer.filePath == "bundled:gpt2" && tokenizer.fileSha256 == "ff")
        #expect(try f.manifest.tokenizer(runId: f.runId + 1) == nil)

        let shards = try f.manifest.shards(runId: f.runId)
        #expect(shards.map(\.path) == ["shards/train_000000.bin", "shards/train_000001.bin", "shards/val_000000.bin"])
        #expect(shards.map(\.split) == [.train, .train, .val])
        #expect(shards.map(\.id) == [3, 2, 1])
        let first = try #require(shards.first)
        #expect(first.ordinal == 0 && first.format == "llmc" && first.tokenCount == 8 && first.documentCount == 2)
        #expect(first.byteSize == 1040 && first.sha256 == "cc")
        #expect(try f.manifest.shards(runId: f.runId + 1).isEmpty)

        #expect(try f.manifest.shardTotals() == ShardTotals(shards: 3, tokens: 16))
        #expect(try f.manifest.recordedSHA256(ofShard: "shards/val_000000.bin") == "aa")
        #expect(try f.manifest.recordedSHA256(ofShard: "shards/none.bin") == nil)
    }

    @Test func documentsBySourceAndFate() throws {
        let f = try Fixture()
        #expect(try f.manifest.sourceNames() == ["books", "web"])
        #expect(try f.manifest.documentCount(fate: .kept) == 3)
        #expect(try f.manifest.documentCount(fate: .dropped) == 2)
        let dropped = try f.manifest.documents(fate: .dropped, source: "books", limit: 5)
        #expect(dropped == [
            RecordedDocument(id: 2, externalId: "doc-2", inputPath: "in/books.txt", line: 2, ordinal: 1, stage: "dedup",
                             reason: "near_duplicate"),
            RecordedDocument(id: 3, externalId: "doc-3", inputPath: "in/books.txt", line: 3, ordinal: 2, stage: "length",
                             reason: "too_short"),
        ])
        #expect(try f.manifest.documents(fate: .dropped, source: "books", limit: 1).map(\.id) == [2])
        let kept = try f.manifest.documents(fate: .kept, source: "web", limit: 5)
        #expect(kept.map(\.id) == [4, 5] && kept.allSatisfy { $0.stage == nil && $0.reason == nil })
        #expect(try f.manifest.documents(fate: .kept, source: "nothing", limit: 5).isEmpty)
    }

    @Test func placementsOfFirstCopies() throws {
        let f = try Fixture()
        // Placement ids follow insertion: 1 (doc 4, val), 2 (doc 1 copy 1), 3 (doc 5), 4 (doc 1 copy 0).
        #expect(try f.manifest.firstCopyPlacementIds(source: nil, split: nil) == [1, 3, 4])
        #expect(try f.manifest.firstCopyPlacementIds(source: "books", split: nil) == [4])
        #expect(try f.manifest.firstCopyPlacementIds(source: nil, split: .train) == [3, 4])
        #expect(try f.manifest.firstCopyPlacementIds(source: "web", split: .val) == [1])
        #expect(try f.manifest.firstCopyPlacementIds(source: "books", split: .val).isEmpty)

        let placements = try f.manifest.placements(ids: [4, 99, 1])
        #expect(placements == [
            DocumentPlacement(documentId: 1, externalId: "doc-1", source: "books", inputPath: "in/books.txt", line: 1,
                              byteOffset: 0, split: "train", shardPath: "shards/train_000000.bin", tokenOffset: 4,
                              tokenCount: 4, copy: 0),
            DocumentPlacement(documentId: 4, externalId: "doc-4", source: "web", inputPath: "in/web.jsonl", line: 1,
                              byteOffset: 0, split: "val", shardPath: "shards/val_000000.bin", tokenOffset: 0,
                              tokenCount: 4, copy: 0),
        ])
        // In shard order (shard id, then token offset); the second copy of document 1 is left out.
        #expect(try f.manifest.firstCopyPlacements().map(\.documentId) == [4, 5, 1])
        #expect(try f.manifest.firstCopyPlacements(source: "web").map(\.documentId) == [4, 5])
    }

    @Test func duplicateClusterSummaries() throws {
        let f = try Fixture()
        #expect(try f.manifest.duplicateClusterSizes() == [ClusterSizeCount(size: 2, clusters: 1, exactOnly: 0)])
        #expect(try f.manifest.duplicateClusterSimilarities() == [ClusterSimilarityCount(twentieth: 16, clusters: 1)])
        let clusters = try DuplicateClusters.load(from: f.manifest, count: 5)
        #expect(clusters.total == 1 && clusters.exactOnly == 0)
        let cluster = try #require(clusters.sample.first)
        #expect(cluster.size == 2 && cluster.minSimilarity == 0.82 && !cluster.exactOnly)
        #expect(cluster.members.map(\.documentId) == [1, 2])
        #expect(cluster.members.map(\.similarity) == [1, 0.82])
        #expect(cluster.members.map(\.reason) == [nil, "near_duplicate"])
        #expect(cluster.members.first?.source == "books" && cluster.members.first?.path == "in/books.txt")
    }

    @Test func trainingLossesAndHistory() throws {
        let f = try Fixture()
        let history = try TrainingHistory.load(from: f.manifest)
        #expect(history.runs.map(\.model) == ["first", "second"])
        for run in history.runs {
            #expect(try f.manifest.trainingLosses(runId: run.id) == [
                TrainingLoss(step: 1, trainLoss: 3.0, valLoss: nil), TrainingLoss(step: 2, trainLoss: 2.5, valLoss: 2.75),
            ])
        }
        #expect(try f.manifest.trainingLosses(runId: 99).isEmpty)
        let run = try #require(history.runs.first)
        #expect(run.tokens == 64 && run.firstTrainLoss == 3.0 && run.tokensPerSecond == 100)
        #expect(run.finalTrainLoss == nil && run.steps == 0 && run.status == "running")

        let untrained = try Fixture(training: false)
        #expect(try untrained.manifest.trainingLosses(runId: 1).isEmpty)
        #expect(try TrainingHistory.load(from: untrained.manifest).runs.isEmpty)
    }

    @Test func statisticsReadTheSameRows() throws {
        let f = try Fixture()
        let stats = try DatasetStatistics.load(from: f.manifest)
        #expect(stats.run.id == Int(f.runId) && stats.run.status == "succeeded" && stats.run.workers == 3)
        // The seed as the manifest stores it: a signed 64-bit integer.
        #expect(stats.run.seed == -2)
        #expect(stats.sources.map(\.name) == ["books", "web"])
        #expect(stats.sources.map(\.files) == [1, 1])
        #expect(stats.splits.map(\.split) == ["train", "val"])
        #expect(stats.splits.map(\.shards) == [2, 1] && stats.splits.map(\.tokens) == [12, 4])
        #expect(stats.tokenizer?.filePath == "bundled:gpt2")
        #expect(stats.trainingRuns.count == 2)
    }

    @Test func columnsAreReadByName() throws {
        let f = try Fixture()
        let statement = try f.manifest.database.prepare(
            "SELECT finishedAt AS done, error, seed, 1.5 AS half FROM run ORDER BY id")
        let rows = try statement.mapRows { row in
            (row.string("done"), row["error"], row.int("seed"), row.double("half"), row.columnIndex("half"))
        }
        #expect(rows.count == 1)
        #expect(rows.first?.0 == "t1" && rows.first?.1 == .null && rows.first?.2 == -2)
        #expect(rows.first?.3 == 1.5 && rows.first?.4 == 3)
        #expect(try statement.firstRow { $0.string("error") } == "")
        #expect(try f.manifest.database.prepare("SELECT id FROM run WHERE id < 0").firstRow { $0.int("id") } == nil)
    }
}
