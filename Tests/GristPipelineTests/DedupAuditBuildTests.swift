import Foundation
import GristCore
import GristPipeline
import GristShards
import Testing

/// The dedup audit of a real build (the planted corpus, Fixtures/planted): recorded in the manifest,
/// the same for any worker count, its pairs and first lines consistent with the documents.
@Suite struct DedupAuditBuildTests {
    private static let corpus: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Fixtures/planted/corpus.jsonl.zst").path
    }()

    private func build(_ minhash: String, workers: Int, in existing: String? = nil,
                       seed: Int = 3) throws -> (folder: String, manifest: Manifest) {
        let folder = existing
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("grist-audit-\(UUID().uuidString)").path
        try FileSystem.createDirectory(folder)
        let yaml = """
            version: 1
            name: t
            output: \(folder)/out
            seed: \(seed)
            sources:
              - {name: planted, format: jsonl, paths: [\(Self.corpus)]}
            mix: {val_fraction: 0}
            dedup: {exact: true, minhash: \(minhash)}
            """
        _ = try Build(plan: BuildPlan(LoadedConfig(text: yaml, path: "t.yaml")), workers: workers, showProgress: false).run()
        return (folder, try Manifest.open(path: folder + "/out/manifest.sqlite"))
    }

    @Test func auditIsRecordedAndTheSameForOneAndTwoWorkers() throws {
        let one = try build("{verify: true}", workers: 1)
        defer { try? FileSystem.remove(one.folder) }
        let two = try build("{verify: true}", workers: 2)
        defer { try? FileSystem.remove(two.folder) }
        let a = try #require(try DatasetStatistics.load(from: one.manifest).dedupAudit)
        let b = try #require(try DatasetStatistics.load(from: two.manifest).dedupAudit)
        #expect(a == b)
        let clusters = try one.manifest.database.scalar("SELECT COUNT(*) FROM duplicateCluster")?.int ?? 0
        #expect(a.clusters == clusters && clusters > 100)
        #expect(a.sizes.reduce(0) { $0 + $1.clusters } == clusters)
        #expect(a.verify && a.maxClusterSize == 0 && a.guardedClusters == 0)
        // With verification every dropped document is within the threshold of the kept one.
        #expect(a.toKept.pairs > 100 && a.toKept.atOrAbove == a.toKept.pairs && a.toKept.precision == 1)
        #expect((a.toKept.low ?? 0) > 0.95 && a.toKept.high == 1)
        // The pairs to the kept document are the documents' own recorded similarities, and in their cluster.
        let rows = try one.manifest.database.prepare("""
            SELECT p.similarity AS similarity, d.similarity AS recorded, d.clusterId AS cluster, p.clusterId AS pairCluster,
                   d.duplicateOf AS duplicateOf, p.otherDocumentId AS other
            FROM dedupAuditPair p JOIN document d ON d.id = p.documentId WHERE p.kind = 'kept'
            """).mapRows { ($0.double("similarity"), $0.double("recorded"), $0.int("cluster"), $0.int("pairCluster"),
                            $0.int("duplicateOf"), $0.int("other")) }
        #expect(rows.count == a.toKept.pairs)
        for row in rows {
            #expect(abs(row.0 - row.1) < 1e-6)
            #expect(row.2 == row.3 && row.4 == row.5)
        }
        // The largest clusters: the kept document first, each with its first line.
        #expect(!a.largest.isEmpty)
        for member in a.largest {
            #expect(!member.firstLine.isEmpty && member.firstLine.utf8.count <= 120 && !member.firstLine.contains("\n"))
        }
        #expect(a.largest.first?.position == 0 && a.largest.first?.similarity == 1)
    }

    @Test func aRebuildThatReusesTheClustersRecordsTheSameAudit() throws {
        let first = try build("{verify: false}", workers: 2)
        defer { try? FileSystem.remove(first.folder) }
        let before = try #require(try DatasetStatistics.load(from: first.manifest).dedupAudit)
        // Another seed: the shards are made again, the dedup stage's stored clusters and audit are reused.
        let second = try build("{verify: false}", workers: 1, in: first.folder, seed: 4)
        let reused = try second.manifest.database.scalar(
            "SELECT reused FROM buildStage WHERE stage = 'dedup'")?.int
        #expect(reused == 1)
        #expect(try DatasetStatistics.load(from: second.manifest).dedupAudit == before)
    }

    @Test func withoutVerificationTheAuditMeasuresWhatLSHDrops() throws {
        let loose = try build("{verify: false, max_cluster_size: 0}", workers: 2)
        defer { try? FileSystem.remove(loose.folder) }
        let a = try #require(try DatasetStatistics.load(from: loose.manifest).dedupAudit)
        #expect(!a.verify && a.guardedClusters == 0)
        // The true share over every dropped near duplicate, from the manifest: inside the sample's interval.
        let db = loose.manifest.database
        let near = try db.scalar("SELECT COUNT(*) FROM document WHERE reason = 'near_duplicate'")?.int ?? 0
        let within = try db.scalar("""
            SELECT COUNT(*) FROM document WHERE reason = 'near_duplicate' AND similarity >= 0.8
            """)?.int ?? 0
        let truth = Double(within) / Double(max(near, 1))
        #expect(truth < 1, "LSH alone drops documents below the threshold")
        let low = try #require(a.toKept.low), high = try #require(a.toKept.high)
        #expect(low <= truth && truth <= high, "share \(truth) outside the interval \(low)–\(high)")

        // The guard on (the default): groups mostly below the threshold are verified against their kept document.
        let guarded = try build("{verify: false}", workers: 2)
        defer { try? FileSystem.remove(guarded.folder) }
        let g = try #require(try DatasetStatistics.load(from: guarded.manifest).dedupAudit)
        #expect(g.maxClusterSize == 1000 && g.guardedBySimilarity > 0 && g.guardSplitOff > 0)
        #expect((g.toKept.precision ?? 0) > (a.toKept.precision ?? 1))
    }
}
