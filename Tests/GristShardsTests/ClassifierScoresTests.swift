import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GristCore
import GristShards
import Testing

/// Schema 5's classifier scores read back: the histograms, counts and percentiles `grist stats` shows, a
/// document's language and scores, and the migration of a schema-4 manifest.
@Suite struct ClassifierScoresTests {
    static let stage = "fasttext_classifier"

    /// A run with two sources: `web` (ten documents, scores spread over [0, 1], one dropped before the
    /// classifier and so not scored) and `books` (five scores in one ten-thousandth, for the exact
    /// percentiles), a deciding classifier (`__label__hq` at 0.5, keep) and one that only scores.
    static func manifest(in root: String) throws -> Manifest {
        let manifest = try Manifest.create(path: root + "/manifest.sqlite")
        let run = try manifest.beginRun(RunRecord(startedAt: "t0", toolVersion: "v", configPath: "c.yaml", configText: "x",
                                                  configSha256: "abc", seed: 1, workers: 1, outputDir: root))
        let web = try manifest.addSource(runId: run, position: 0, name: "web", format: "jsonl", weight: 1)
        let books = try manifest.addSource(runId: run, position: 1, name: "books", format: "jsonl", weight: 1)
        let webFile = try manifest.addInputFile(sourceId: web, path: "web.jsonl", byteSize: 100)
        let booksFile = try manifest.addInputFile(sourceId: books, path: "books.jsonl", byteSize: 100)
        var documents: [DocumentRecord] = []
        func add(_ file: Int64, _ scores: [(stage: String, label: String, score: Double)], language: String? = nil) {
            let id = Int64(documents.count + 1)
            var d = DocumentRecord(id: id, inputFileId: file, ordinal: documents.count, line: documents.count + 1,
                                   byteOffset: 0, externalId: "d\(id)", byteCount: 10, tokenCount: 3, fingerprint: nil,
                                   fate: .kept, stage: nil, reason: nil, duplicateOf: nil, split: .train, copies: 1)
            d.scores = scores
            d.language = language
            d.languageScore = language == nil ? nil : 0.875
            documents.append(d)
        }
        for score in [0.01, 0.02, 0.03, 0.04, 0.5, 0.55, 0.9, 0.95, 1.0, 0.0] {
            add(webFile, [(stage, "__label__hq", score), (stage, "__label__cc", 1 - score),
                          (stage + "#2", "__label__a", 0.3), (stage + "#2", "__label__b", 0.7)], language: "fa")
        }
        add(webFile, [])  // dropped before the classifier
        for score in [0.12345, 0.12341, 0.12343, 0.12344, 0.12342] {
            add(booksFile, [(stage, "__label__hq", score), (stage, "__label__cc", 1 - score)])
        }
        try manifest.addDocuments(documents)
        try manifest.addClassifier(runId: run, ClassifierRecord(stage: stage, model: "models/hq.bin", modelSha256: "ab12",
                                                                label: "__label__hq", threshold: 0.5, action: "keep",
                                                                granularity: "document"))
        try manifest.addClassifier(runId: run, ClassifierRecord(stage: stage + "#2", model: "models/ab.bin", modelSha256: "cd34",
                                                                label: nil, threshold: nil, action: nil, granularity: "line"))
        try manifest.finishRun(run, succeeded: true, finishedAt: "t1")
        return manifest
    }

    static func temporaryFolder() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grist-scores-\(UUID().uuidString)").path
        try FileSystem.createDirectory(root)
        return root
    }

    @Test func histogramsCountsAndPercentilesAreExact() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let stats = try DatasetStatistics.load(from: Self.manifest(in: root))
        #expect(stats.classifiers.map(\.stage) == [Self.stage, Self.stage + "#2"])
        let hq = try #require(stats.classifiers.first)
        #expect(hq.label == "__label__hq" && hq.scoredLabel == "__label__hq" && hq.threshold == 0.5 && hq.action == "keep")
        #expect(hq.model == "models/hq.bin" && hq.granularity == "document")
        #expect(hq.sources.map(\.source) == ["web", "books"])

        let web = hq.sources[0]
        var bins = [Int](repeating: 0, count: 20)
        bins[0] = 5; bins[10] = 1; bins[11] = 1; bins[18] = 1; bins[19] = 2
        #expect(web.documents == 10, "the document dropped before the classifier has no score")
        #expect(web.bins == bins)
        #expect(web.atOrAboveThreshold == 5 && web.belowThreshold == 5)
        #expect(web.p10 == 0.0 && web.p50 == 0.04 && web.p90 == 0.95)

        // Five scores in one ten-thousandth: the percentiles are read exactly all the same.
        let books = hq.sources[1]
        #expect(books.documents == 5 && books.bins[2] == 5 && books.bins.reduce(0, +) == 5)
        #expect(books.atOrAboveThreshold == 0 && books.belowThreshold == 5)
        #expect(books.p10 == 0.12341 && books.p50 == 0.12343 && books.p90 == 0.12345)

        // A classifier that only scores: the label with the highest mean, no threshold counts.
        let ab = stats.classifiers[1]
        #expect(ab.label == nil && ab.threshold == nil && ab.scoredLabel == "__label__b")
        #expect(ab.sources.map(\.source) == ["web"])
        #expect(ab.sources[0].bins[14] == 10 && ab.sources[0].atOrAboveThreshold == nil && ab.sources[0].p50 == 0.7)
    }

    @Test func binsTakeTheirLowerEdgeAndTheLastTakesOne() {
        #expect(ScoreDistribution.bin(of: 0) == 0)
        #expect(ScoreDistribution.bin(of: 0.049) == 0)
        #expect(ScoreDistribution.bin(of: 0.05) == 1)
        #expect(ScoreDistribution.bin(of: 0.5) == 10)
        #expect(ScoreDistribution.bin(of: 1) == 19)
        #expect(ScoreDistribution.bin(of: -1) == 0 && ScoreDistribution.bin(of: 2) == 19)
    }

    @Test func statisticsJSONCarriesTheClassifiers() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let stats = try DatasetStatistics.load(from: Self.manifest(in: root))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let object = try JSONSerialization.jsonObject(with: encoder.encode(stats)) as? [String: Any]
        let classifiers = try #require(object?["classifiers"] as? [[String: Any]])
        #expect(classifiers.count == 2)
        #expect(Set(classifiers[1].keys) == ["stage", "model", "modelSha256", "granularity", "label", "threshold", "action",
                                            "scoredLabel", "sources"])
        #expect(classifiers[1]["threshold"] is NSNull, "keys are present with null")
        let source = try #require((classifiers[0]["sources"] as? [[String: Any]])?.first)
        #expect(source["bins"] as? [Int] == [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 2])
        #expect(source["atOrAboveThreshold"] as? Int == 5 && source["p90"] as? Double == 0.95)
    }

    @Test func aDocumentsLanguageAndScoresAreRead() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let manifest = try Self.manifest(in: root)
        let language = try #require(try manifest.documentLanguage(documentId: 5))
        #expect(language.language == "fa" && language.score == 0.875)
        #expect(try manifest.documentLanguage(documentId: 12) == nil)
        let scores = try manifest.documentScores(documentId: 5)
        #expect(scores == [DocumentScore(stage: Self.stage, label: "__label__cc", score: 0.5),
                           DocumentScore(stage: Self.stage, label: "__label__hq", score: 0.5),
                           DocumentScore(stage: Self.stage + "#2", label: "__label__b", score: 0.7),
                           DocumentScore(stage: Self.stage + "#2", label: "__label__a", score: 0.3)])
        #expect(try manifest.documentScores(documentId: 11).isEmpty)
        let persian = try manifest.database.scalar("SELECT COUNT(*) FROM document WHERE language = 'fa'")?.int
        #expect(persian == 10, "the query docs/manifest.md shows")
    }

    @Test func aMillionScoresLoadInAFewSeconds() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileSystem.remove(root) }
        let manifest = try Self.manifest(in: root)
        // A million more scores of web's documents, written straight into the table (the build's inserts
        // are not what is measured).
        try manifest.database.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
            INSERT INTO document (id, inputFileId, ordinal, line, byteOffset, externalId, byteCount, fate, copies)
            SELECT 100 + i, 1, i, i, 0, 'x' || i, 1, 'kept', 1 FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
            INSERT INTO documentScore (documentId, stage, label, score)
            SELECT 100 + i, 'fasttext_classifier', '__label__hq', (i * 7919 % 1000003) / 1000003.0 FROM n;
            """)
        let start = ContinuousClock.now
        let stats = try DatasetStatistics.load(from: manifest)
        let elapsed = ContinuousClock.now - start
        let web = try #require(stats.classifiers.first?.sources.first)
        #expect(web.documents == 1_000_010 && web.bins.reduce(0, +) == 1_000_010)
        #expect(abs((web.p50 ?? 0) - 0.5) < 0.001)
        #expect(elapsed < .seconds(20), "statistics of a million scores took \(elapsed)")
    }
}

/// Manifests of other schema versions: a schema-4 one (a real build's) is brought up to 5 in place; one
/// that cannot be written, or of a version grist cannot read, is refused with a message that says so.
@Suite struct ManifestMigrationTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/manifest-v4.sqlite"

    func copyOfFixture() throws -> (folder: String, path: String) {
        let folder = try ClassifierScoresTests.temporaryFolder()
        let path = folder + "/manifest.sqlite"
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: path)
        return (folder, path)
    }

    @Test func aSchema4ManifestIsBroughtUpToDate() throws {
        let (folder, path) = try copyOfFixture()
        defer { try? FileSystem.remove(folder) }
        let manifest = try Manifest.open(path: path)
        #expect(try manifest.meta("schemaVersion") == "7")
        // 5 → 6: URL duplicates counted apart (none in an older manifest).
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM duplicateSource WHERE urlDuplicates <> 0")?.int == 0)
        #expect(try manifest.database.scalar("SELECT SUM(urlDuplicates) FROM duplicateRate")?.int == 0)
        let rows = try manifest.database.prepare("""
            SELECT d.language AS language, d.languageScore AS score, m.value AS metadata
            FROM document d JOIN documentMetadata m ON m.documentId = d.id AND m.key = 'language_score' ORDER BY d.id
            """).mapRows { ($0["language"].string, $0["score"].double, $0.string("metadata")) }
        #expect(rows.count == 32)
        #expect(rows.allSatisfy { $0.0 == "es" }, "every document's language column is filled from its metadata")
        #expect(rows.allSatisfy { $0.1 != nil && $0.1 == Double($0.2) }, "and its score, as a number")
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM documentScore")?.int == 0)
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM classifier")?.int == 0)
        // 5 → 6: the dedup audit's tables, empty (the build that wrote it made no audit).
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM dedupAudit")?.int == 0)
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM largestClusterMember")?.int == 0)
        let stats = try DatasetStatistics.load(from: manifest)
        #expect(stats.classifiers.isEmpty)
        // Version 6: the decontamination tables, empty, and the piece column.
        #expect(stats.contamination.isEmpty)
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM document WHERE piece IS NOT NULL")?.int == 0)
        // Version 7: the tables of dedup.against, empty.
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM earlierDuplicate")?.int == 0)
        #expect(try manifest.earlierDuplicateCounts().isEmpty && stats.earlierBuilds.isEmpty)
        // Opened again, it is already up to date.
        #expect(try Manifest.open(path: path).meta("schemaVersion") == "7")
    }

    @Test func aSchema4ManifestThatCannotBeWrittenIsRefusedClearly() throws {
        let (folder, path) = try copyOfFixture()
        defer {
            _ = Self.shell("chattr -i '\(path)' 2>/dev/null")
            try? FileSystem.remove(folder)
        }
        chmod(path, 0o444)
        // Root writes a file whatever its mode: make it immutable instead, where the file system allows.
        guard getuid() != 0 || Self.shell("chattr +i '\(path)' 2>/dev/null") == 0 else { return }
        do {
            _ = try Manifest.open(path: path)
            Issue.record("a read-only schema-4 manifest was opened")
        } catch let error as GristError {
            let text = "\(error)"
            #expect(text.contains("schema version 4") && text.contains("cannot be written"), "\(text)")
        }
        #expect(Self.shell("sqlite3 '\(path)' \"SELECT value FROM meta WHERE key = 'schemaVersion'\" | grep -qx 4") == 0,
                "the file is left as it was")
    }

    @Test(arguments: [3, 99]) func otherVersionsAreRefused(version: Int) throws {
        let folder = try ClassifierScoresTests.temporaryFolder()
        defer { try? FileSystem.remove(folder) }
        let path = folder + "/manifest.sqlite"
        let manifest = try Manifest.create(path: path)
        try manifest.setMeta("schemaVersion", String(version))
        try manifest.makeSelfContained()
        do {
            _ = try Manifest.open(path: path)
            Issue.record("a manifest of schema version \(version) was opened")
        } catch let error as GristError {
            let text = "\(error)"
            #expect(text.contains("schema version \(version)"), "\(text)")
            #expect(text.contains(version < 5 ? "rebuild it" : "newer grist"), "\(text)")
        }
    }

    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        } catch {
            return -1
        }
    }
}
