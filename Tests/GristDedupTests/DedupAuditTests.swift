import GristCore
@testable import GristDedup
import Testing

/// The audit (cluster sizes, sampled similarities, precision and its interval, largest clusters) and the
/// giant-cluster guard, on corpora of known structure.
@Suite struct DedupAuditTests {
    /// A chain of `count` documents: document i is the 20 segments of 50 words from segment 2i, so
    /// neighbours share 18 of 20 segments (Jaccard 896/1096 ≈ 0.818) and documents two apart 16 (≈ 0.667).
    static func chain(_ count: Int, seed: UInt64 = 11) -> [String] {
        var source = WordSource(seed: seed)
        let segments = (0..<(2 * count + 20)).map { _ in source.words(50) }
        return (0..<count).map { i in segments[(2 * i)..<(2 * i + 20)].flatMap { $0 }.joined(separator: " ") }
    }

    /// The Jaccard similarity of two texts' word 5-gram sets, on the strings (the ground truth).
    static func jaccard(_ a: String, _ b: String) -> Double {
        func shingles(_ text: String) -> Set<String> {
            let words = text.split(separator: " ").map(String.init)
            guard words.count >= 5 else { return [] }
            return Set((0...(words.count - 5)).map { words[$0..<($0 + 5)].joined(separator: " ") })
        }
        let x = shingles(a), y = shingles(b)
        return Double(x.intersection(y).count) / Double(x.union(y).count)
    }

    /// 20 bands of 4 rows: neighbours of the chain are candidates with probability 1 − 7·10⁻⁶.
    static func loose(maxClusterSize: Int = MinHashConfig.defaultMaxClusterSize) -> DedupSettings {
        .minhash(verify: false, bands: 20, rows: 4, maxClusterSize: maxClusterSize)
    }

    @Test func chainDoesNotMergePastTheGuard() throws {
        let texts = Self.chain(3)
        #expect(Self.jaccard(texts[0], texts[1]) > 0.8 && Self.jaccard(texts[1], texts[2]) > 0.8)
        #expect(Self.jaccard(texts[0], texts[2]) < 0.7)
        // Without the guard, LSH and union-find make one cluster of A~B~C (datatrove's behaviour).
        let whole = try deduplicate([texts], settings: Self.loose(maxClusterSize: 0))
        #expect(whole.summary.clusters == 1)
        #expect(whole.members.map(\.document) == [0, 1, 2])
        #expect(whole.summary.audit.guardCounts.clusters == 0)
        // The guard: half the members to drop (C) are below 0.8 against A, so the group is verified: C stays.
        let guarded = try deduplicate([texts], settings: Self.loose())
        #expect(guarded.summary.clusters == 1)
        #expect(guarded.members.map(\.document) == [0, 1])
        #expect(guarded.summary.audit.guardCounts == {
            var counts = DedupAudit.GuardCounts(maxClusterSize: 1000)
            counts.bySimilarity = 1
            counts.splitOffDocuments = 1
            return counts
        }())
        // Verification (the default) gives the same clusters.
        let verified = try deduplicate([texts], settings: .minhash(bands: 20, rows: 4))
        #expect(verified.members.map(\.document) == [0, 1])
        #expect(verified.summary.audit.guardCounts.clusters == 0)
    }

    @Test func giantClusterIsSplitByTheGuard() throws {
        // 30 documents chained through shared LSH buckets: one connected group of 30.
        let texts = Self.chain(30)
        let whole = try deduplicate([texts], settings: Self.loose(maxClusterSize: 0))
        #expect(whole.summary.clusters == 1)
        #expect(whole.members.count == 30)
        #expect(whole.summary.nearDuplicates == 29)
        // Above max_cluster_size: verified against the kept document, the rest clustered again among themselves.
        let guarded = try deduplicate([texts], settings: Self.loose(maxClusterSize: 10))
        #expect(guarded.summary.audit.guardCounts.bySize == 1)
        #expect(guarded.summary.audit.guardCounts.bySimilarity == 0)
        #expect(guarded.summary.audit.guardCounts.splitOffDocuments == 28)
        #expect(guarded.summary.clusters == 15)
        #expect(guarded.summary.nearDuplicates == 15)
        for member in guarded.members where !member.isKept {
            #expect(member.similarity >= 0.8, "document \(member.document) is within the threshold of its kept one")
            #expect(member.kept == member.document - 1)
        }
        #expect(guarded.summary.audit.sizes == [DedupAudit.SizeBucket(lowerBound: 2, upperBound: 2, clusters: 15,
                                                                       documents: 30)])
        // Within the size, the similarity test takes it (28 of 29 members below 0.8 against the first).
        let bySimilarity = try deduplicate([texts], settings: Self.loose())
        #expect(bySimilarity.summary.audit.guardCounts.bySimilarity == 1)
        #expect(bySimilarity.members.map(\.document) == guarded.members.map(\.document))
    }

    @Test func auditNumbersOnAKnownSet() throws {
        // Cluster 0: a chain of 4 (kept 0; members at 0.818, 0.667, 0.537 against it), guard off.
        // Cluster 1: two identical texts. Cluster 2: five identical texts.
        let chain = Self.chain(4)
        var source = WordSource(seed: 5)
        let twin = source.words(80).joined(separator: " "), five = source.words(90).joined(separator: " ")
        let files = [chain + [twin], [twin] + Array(repeating: five, count: 5)]
        let result = try deduplicate(files, settings: Self.loose(maxClusterSize: 0))
        let audit = result.summary.audit
        #expect(result.summary.clusters == 3)
        #expect(audit.clusters == 3 && audit.documents == 11)
        #expect(audit.sizes == [
            DedupAudit.SizeBucket(lowerBound: 2, upperBound: 2, clusters: 1, documents: 2),
            DedupAudit.SizeBucket(lowerBound: 3, upperBound: 4, clusters: 1, documents: 4),
            DedupAudit.SizeBucket(lowerBound: 5, upperBound: 8, clusters: 1, documents: 5),
        ])
        // Only the chain has near-duplicate members: it is the sample.
        #expect(audit.nearClusters == 1 && audit.sampledClusters == 1)
        let toKept = audit.pairs.filter { $0.kind == .kept }
        #expect(toKept.map(\.document).sorted() == [1, 2, 3])
        for pair in audit.pairs {
            #expect(pair.cluster == 0 && !pair.exact)
            #expect(abs(pair.similarity - Self.jaccard(chain[pair.document], chain[pair.other])) < 1e-12)
        }
        #expect(toKept.allSatisfy { $0.other == 0 })
        #expect(abs((toKept.first { $0.document == 1 }?.similarity ?? 0) - 896.0 / 1096) < 1e-12)
        #expect(abs((toKept.first { $0.document == 2 }?.similarity ?? 0) - 796.0 / 1196) < 1e-12)
        #expect(abs((toKept.first { $0.document == 3 }?.similarity ?? 0) - 696.0 / 1296) < 1e-12)
        #expect(audit.toKept == DedupAudit.Estimate(pairs: 3, atOrAbove: 1))
        let interval = try #require(audit.toKept.interval)
        #expect(abs(interval.low - 0.061490315276160556) < 1e-12 && abs(interval.high - 0.792345044873512) < 1e-12)
        // Two pairs between consecutive sampled members; neighbours in the chain are above, others below.
        let between = audit.pairs.filter { $0.kind == .member }
        #expect(between.count == 2)
        #expect(audit.betweenMembers.pairs == 2)
        #expect(audit.betweenMembers.atOrAbove == between.count { abs($0.document - $0.other) == 1 })
        #expect(audit.exactPairs == 0)
        // The largest clusters: five copies (kept 6, then 7...10 listed), the chain, the twins.
        #expect(audit.largest.map(\.size) == [5, 4, 2])
        #expect(audit.largest[0].members == [6, 7, 8, 9, 10])
        #expect(audit.largest[1].members == [0, 1, 2, 3])
        #expect(audit.largest[2].members == [4, 5])
    }

    @Test func wilsonScoreInterval() throws {
        let all = try #require(DedupAudit.Estimate.wilson(200, of: 200))
        #expect(abs(all.low - 0.9811539940816791) < 1e-12 && all.high == 1)
        let two = try #require(DedupAudit.Estimate.wilson(2, of: 3))
        #expect(abs(two.low - 0.20765495512648796) < 1e-12 && abs(two.high - 0.9385096847238394) < 1e-12)
        #expect(DedupAudit.Estimate.wilson(0, of: 0) == nil)
        #expect(DedupAudit.Estimate(pairs: 0, atOrAbove: 0).precision == nil)
    }

    /// 250 near-duplicate pairs (the last of 100 words changed: Jaccard 95/97) and 50 unrelated documents.
    static func manyPairs() -> [[String]] {
        var source = WordSource(seed: 9)
        var first: [String] = [], second: [String] = []
        for _ in 0..<250 {
            let words = source.words(100)
            first.append(words.joined(separator: " "))
            var copy = words
            copy[99] = "changedword"
            second.append(copy.joined(separator: " "))
        }
        for _ in 0..<50 { first.append(source.words(100).joined(separator: " ")) }
        return [first, second]
    }

    @Test func sampleIsSeededAndBoundedAndTheSameForAnyBudget() throws {
        let files = Self.manyPairs()
        let a = try deduplicate(files, settings: .minhash())
        #expect(a.summary.clusters == 250)
        #expect(a.summary.audit.nearClusters == 250)
        #expect(a.summary.audit.sampledClusters == DedupAudit.sampledClusterLimit)
        #expect(a.summary.audit.toKept.pairs == 200 && a.summary.audit.toKept.atOrAbove == 200)
        #expect(a.summary.audit.betweenMembers.pairs == 0)
        // A tiny budget (every sort spills) gives the same audit.
        let tiny = try deduplicate(files, settings: .minhash(memoryBytes: 1 << 16), taskMemory: 1 << 12)
        #expect(tiny.summary.audit == a.summary.audit)
        #expect(tiny.members == a.members)
        // Another seed samples other clusters (the same clusters are found: the permutations differ too,
        // but these pairs are far above the threshold).
        let other = try deduplicate(files, settings: .minhash(seed: 2))
        #expect(other.summary.clusters == 250)
        #expect(Set(other.summary.audit.pairs.map(\.cluster)) != Set(a.summary.audit.pairs.map(\.cluster)))
        let again = try deduplicate(files, settings: .minhash(seed: 2))
        #expect(again.summary.audit == other.summary.audit)
    }
}
