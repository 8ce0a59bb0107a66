import Foundation
import GristCollect
import GristCore
import GristDedup
import GristPipeline
import Testing

/// Quality on real text with near-duplicates planted at known edit rates (Fixtures/planted, made by
/// `bench/dedup/plant.py`; the ground truth's Jaccard similarities were computed by datatrove's
/// normalization in Python): recall at true Jaccard ≥ 0.8, precision with verification.
@Suite struct PlantedDuplicateTests {
    private static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Fixtures/planted").path
    }()

    private struct Truth {
        var id: String
        var original: String
        var jaccard: Double
    }

    private static func truth() throws -> [Truth] {
        let text = try String(contentsOfFile: folder + "/truth.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            return Truth(id: row["id"] as? String ?? "", original: row["original"] as? String ?? "",
                         jaccard: row["jaccard"] as? Double ?? -1)
        }
    }

    /// Every document's text, by id, read with the pipeline's own reader.
    private static func texts() throws -> [String: [UInt8]] {
        var reader = try JSONLReader(path: folder + "/corpus.jsonl.zst", options: .init())
        var texts: [String: [UInt8]] = [:]
        while let event = try reader.next() {
            if case .document(let document) = event { texts[document.id] = document.text }
        }
        return texts
    }

    /// Runs the `grist dedup` job; returns (id, cluster, keep) in output order.
    private static func deduplicate(_ dedup: String) throws -> [(id: String, cluster: Int, keep: Bool)] {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("grist-planted-\(UUID().uuidString)").path
        try FileSystem.createDirectory(work)
        defer { try? FileSystem.remove(work) }
        try "dedup: \(dedup)\n".write(toFile: work + "/d.yaml", atomically: true, encoding: .utf8)
        let job = try DedupJob(config: DedupConfig.load(path: work + "/d.yaml"), inputs: [folder + "/corpus.jsonl.zst"],
                               workers: 2, workFolder: work + "/work", showProgress: false)
        _ = try job.run(output: work + "/out.jsonl")
        let lines = try String(contentsOfFile: work + "/out.jsonl", encoding: .utf8).split(separator: "\n")
        return try lines.map { line in
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            return (row["id"] as? String ?? "", row["cluster"] as? Int ?? -1, row["keep"] as? Bool ?? false)
        }
    }

    @Test func recallAndPrecisionAtJaccardPointEight() throws {
        let truth = try Self.truth()
        let texts = try Self.texts()
        #expect(truth.count == 379 && texts.count == 779)
        let output = try Self.deduplicate("{exact: true, minhash: {verify: true, threshold: 0.8}}")
        let cluster = Dictionary(uniqueKeysWithValues: output.map { ($0.id, $0.cluster) })
        var kept: [Int: String] = [:]
        for row in output where row.keep {
            #expect(kept[row.cluster] == nil, "one kept document per cluster")
            kept[row.cluster] = row.id
        }
        #expect(Set(output.map(\.cluster)).count == kept.count)

        // Recall over planted pairs at true Jaccard ≥ 0.8: both in one cluster.
        let high = truth.filter { $0.jaccard >= 0.8 }
        let found = high.filter { cluster[$0.id] != nil && cluster[$0.id] == cluster[$0.original] }
        let recall = Double(found.count) / Double(high.count)
        #expect(high.count >= 150)
        #expect(recall >= 0.95, "recall \(recall) over \(high.count) pairs")

        // Our Jaccard (32-bit shingle hashes) against the ground truth's (shingle strings, datatrove's normalization).
        var sketcher = DocumentSketcher()
        var worst = 0.0
        for pair in truth {
            guard let a = texts[pair.id], let b = texts[pair.original] else { continue }
            let j = Jaccard.similarity(sketcher.sketch(a).shingles, sketcher.sketch(b).shingles)
            worst = max(worst, abs(j - pair.jaccard))
        }
        #expect(worst < 0.02, "largest difference from the ground truth's Jaccard: \(worst)")

        // Precision: each dropped document against the one kept in its place.
        var correct = 0, dropped = 0
        for row in output where !row.keep {
            guard let keptId = kept[row.cluster], let a = texts[row.id], let b = texts[keptId] else { continue }
            dropped += 1
            let sa = sketcher.sketch(a), sb = sketcher.sketch(b)
            let similar = sa.exactKey == sb.exactKey || Jaccard.similarity(sa.shingles, sb.shingles) >= 0.8
            correct += similar ? 1 : 0
        }
        let precision = Double(correct) / Double(max(dropped, 1))
        #expect(dropped >= 150)
        #expect(precision >= 0.99, "precision \(precision) over \(dropped) dropped documents")
    }

    @Test func withoutVerificationLessSimilarDocumentsAreDropped() throws {
        let verified = try Self.deduplicate("{minhash: {verify: true}}")
        let unverified = try Self.deduplicate("{minhash: {verify: false}}")
        #expect(unverified.count >= verified.count)
        #expect(Set(verified.map(\.id)).isSubset(of: Set(unverified.map(\.id))))
    }
}
