import GristCore
@testable import GristDedup
import Testing

/// Text made of pseudo-random words: deterministic, with a large vocabulary so unrelated documents
/// share almost no 5-gram.
struct WordSource {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func word() -> String {
        let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "du", "ge", "ha", "jo", "fu", "ze", "wi"]
        let count = 1 + Int(random.next() % 3)
        return (0..<count).map { _ in syllables[Int(random.next() % UInt64(syllables.count))] }.joined()
    }

    mutating func words(_ count: Int) -> [String] { (0..<count).map { _ in word() } }

    /// `words` with a share `rate` of them replaced by new words.
    mutating func substitute(_ words: [String], rate: Double) -> [String] {
        words.map { Double(random.next() % 10_000) / 10_000 < rate ? word() : $0 }
    }
}

/// Runs phase 1 and phase 2 in process, one file per inner array.
func deduplicate(_ files: [[String]], settings: DedupSettings, priorities: [Int]? = nil, taskMemory: Int = 64 << 20,
                 folder existing: String? = nil) throws -> (members: [DuplicateMember], summary: DedupSummary) {
    let path = try existing ?? temporaryFolder("dedup")
    defer { if existing == nil { try? FileSystem.remove(path) } }
    let folder = DedupWorkFolder(path: path)
    try folder.create()
    var sketcher = settings.makeSketcher()
    var counts: [Int] = []
    var sketch = DocumentSketch()
    for (number, texts) in files.enumerated() {
        let writer = try DedupSpillWriter(folder: folder, file: number, bands: settings.bands)
        for text in texts {
            Array(text.utf8).withUnsafeBytes { sketcher.sketch($0, into: &sketch) }
            try writer.add(sketch, byteCount: text.utf8.count, priority: priorities?[number] ?? 0)
        }
        counts.append(try writer.finish())
    }
    let plan = try DedupPlan(settings: settings, folder: folder, documentCounts: counts)
    for task in plan.tasks where !plan.isFinished(task) { try plan.run(task, memoryBytes: taskMemory) }
    var members: [DuplicateMember] = []
    let summary = try plan.cluster { members.append($0) }
    return (members, summary)
}

extension DedupSettings {
    static func minhash(verify: Bool = true, threshold: Double = 0.8, keep: DedupKeepRule = .first, exact: Bool = true,
                        bands: Int = 14, rows: Int = 8, seed: UInt32 = 1,
                        maxClusterSize: Int = MinHashConfig.defaultMaxClusterSize,
                        memoryBytes: Int = MinHashConfig.defaultMemoryMB << 20) -> DedupSettings {
        DedupSettings(exact: exact, minhash: .init(ngram: 5, bands: bands, rows: rows, seed: seed), verify: verify,
                      threshold: threshold, keep: keep, memoryBytes: memoryBytes, maxClusterSize: maxClusterSize)
    }
}

@Suite struct DedupPlanTests {
    @Test func nearDuplicatesAcrossFilesFormOneClusterKeepingTheFirst() throws {
        var source = WordSource(seed: 1)
        let base = source.words(400)
        let near = source.substitute(base, rate: 0.01)
        let unrelated = (0..<20).map { _ in source.words(300).joined(separator: " ") }
        let (members, summary) = try deduplicate(
            [unrelated + [base.joined(separator: " ")], [near.joined(separator: " ")] + unrelated.prefix(0)],
            settings: .minhash())
        #expect(summary.clusters == 1)
        #expect(members.map(\.document) == [20, 21])
        #expect(members.map(\.kept) == [20, 20])
        #expect(members[1].similarity > 0.8 && members[1].similarity < 1)
        #expect(!members[1].exact)
        #expect(summary.nearDuplicates == 1 && summary.exactDuplicates == 0)
    }

    @Test func verificationRejectsCandidatesBelowTheThreshold() throws {
        // One band of one row: documents that share any shingle's minimum become candidates.
        var source = WordSource(seed: 2)
        let shared = source.words(60)
        let a = (source.words(200) + shared).joined(separator: " ")
        let b = (shared + source.words(200)).joined(separator: " ")
        // The guard off: without verification the group is removed whole (datatrove's behaviour).
        let loose = DedupSettings.minhash(verify: false, bands: 40, rows: 1, maxClusterSize: 0)
        let verified = DedupSettings.minhash(verify: true, bands: 40, rows: 1)
        let unverified = try deduplicate([[a, b]], settings: loose)
        #expect(unverified.summary.clusters == 1, "the pair is an LSH candidate")
        #expect((unverified.members.last?.similarity ?? 1) < 0.3)
        let checked = try deduplicate([[a, b]], settings: verified)
        #expect(checked.summary.clusters == 0)
        #expect(checked.summary.rejectedPairs == 1)
    }

    @Test func keepRulesChooseTheSurvivor() throws {
        var source = WordSource(seed: 3)
        let base = source.words(300)
        let short = base.joined(separator: " ")
        let long = (base + ["extra", "words"]).joined(separator: " ")
        let files = [[short], [long]]
        let first = try deduplicate(files, settings: .minhash(keep: .first))
        #expect(first.members.first { $0.isKept }?.document == 0)
        let longest = try deduplicate(files, settings: .minhash(keep: .longest))
        #expect(longest.members.first { $0.isKept }?.document == 1)
        let priority = try deduplicate(files, settings: .minhash(keep: .priority), priorities: [5, 2])
        #expect(priority.members.first { $0.isKept }?.document == 1)
        let tie = try deduplicate(files, settings: .minhash(keep: .priority), priorities: [1, 1])
        #expect(tie.members.first { $0.isKept }?.document == 0)
    }

    @Test func exactDuplicatesUnderNormalizationAndShortDocuments() throws {
        let files = [["Hello, World! 2024", "", "word", "WORD!", "x"], ["hello world 1999", "word", ""]]
        let (members, summary) = try deduplicate(files, settings: .minhash())
        // "hello world 0" ×2, "word" ×3; the two empty documents (normalized to nothing) compare raw bytes.
        let clusters = Dictionary(grouping: members, by: \.cluster).mapValues { $0.map(\.document) }
        #expect(clusters == [0: [0, 5], 1: [1, 7], 2: [2, 3, 6]])
        #expect(members.allSatisfy { $0.exact && $0.similarity == 1 })
        #expect(summary.exactDuplicates == 4 && summary.nearDuplicates == 0)
        #expect(summary.candidatePairs == 0, "no document has five words")
    }

    @Test func allIdenticalCorpusIsOneClusterAndNoDuplicatesIsNone() throws {
        var source = WordSource(seed: 4)
        let text = source.words(50).joined(separator: " ")
        let same = try deduplicate([Array(repeating: text, count: 40), Array(repeating: text, count: 25)],
                                   settings: .minhash())
        #expect(same.summary.clusters == 1)
        #expect(same.members.count == 65 && same.members.allSatisfy { $0.kept == 0 && $0.clusterSize == 65 })
        let distinct = try deduplicate([(0..<50).map { _ in source.words(40).joined(separator: " ") }],
                                       settings: .minhash())
        #expect(distinct.members.isEmpty && distinct.summary.clusters == 0)
    }

    @Test func exactOnlyWritesNoShinglesAndStillClusters() throws {
        let (members, summary) = try deduplicate([["a b c", "A B C!", "d"]],
                                                 settings: DedupSettings(exact: true, minhash: nil))
        #expect(members.map(\.document) == [0, 1])
        #expect(summary.candidatePairs == 0)
    }

    @Test func smallMemoryBudgetGivesTheSameClusters() throws {
        var source = WordSource(seed: 5)
        var files: [[String]] = []
        for _ in 0..<3 {
            var texts: [String] = []
            for _ in 0..<700 {
                let words = source.words(12)
                texts.append(words.joined(separator: " "))
                if source.random.next() % 4 == 0 { texts.append(source.substitute(words, rate: 0.05).joined(separator: " ")) }
            }
            files.append(texts)
        }
        let roomy = try deduplicate(files, settings: .minhash(), taskMemory: 256 << 20)
        let tight = try deduplicate(files, settings: .minhash(), taskMemory: 1)
        #expect(roomy.members.count > 100)
        #expect(roomy.members == tight.members)
        #expect(roomy.summary == tight.summary)
    }

    @Test func rerunAfterACrashGivesTheSameClusters() throws {
        var source = WordSource(seed: 6)
        let base = source.words(200)
        let files = [[base.joined(separator: " "), source.words(200).joined(separator: " ")],
                     [source.substitute(base, rate: 0.01).joined(separator: " ")]]
        let reference = try deduplicate(files, settings: .minhash())
        // A crashed run: band 3's pairs half written, a stray sort run, no exact pairs yet.
        let path = try temporaryFolder("crash")
        defer { try? FileSystem.remove(path) }
        let folder = DedupWorkFolder(path: path)
        try folder.create()
        try BufferedFileWriter(path: folder.pairsPath(.band(3)) + ".partial").close()
        try BufferedFileWriter(path: FileSystem.join(folder.runs, "band-3.keys.run-0")).close()
        let rerun = try deduplicate(files, settings: .minhash(), folder: path)
        #expect(rerun.members == reference.members)
        #expect(reference.members.count == 2)
    }

    /// A chain A~B~C~D (each step replaces every 100th word) where C and D are too far from A: they are
    /// split off into a cluster of their own, numbered after A's group but starting after an unrelated
    /// cluster E~F; so cluster numbers do not follow document order.
    @Test func splitOffClusterAfterAnotherGroupsFirstDocument() throws {
        var source = WordSource(seed: 8)
        func step(_ words: [String], at offset: Int) -> [String] {
            var words = words
            for i in stride(from: offset, to: words.count, by: 100) { words[i] = "step\(offset)x\(i)" }
            return words
        }
        let a = source.words(1000), b = step(a, at: 10), c = step(b, at: 60), d = step(c, at: 35)
        let e = source.words(1000), f = step(e, at: 50)
        let texts = [a, e, b, c, f, d].map { $0.joined(separator: " ") }
        let (members, summary) = try deduplicate([texts], settings: .minhash(threshold: 0.85))
        let clusters = Dictionary(grouping: members, by: \.cluster).mapValues { $0.map(\.document) }
        #expect(clusters == [0: [0, 2], 1: [3, 5], 2: [1, 4]])
        #expect(members.map(\.document) == [0, 1, 2, 3, 4, 5], "members come in document order")
        #expect(members.filter { $0.cluster == 1 }.allSatisfy { $0.kept == 3 })
        #expect(summary.splitOffDocuments == 2 && summary.clusters == 3 && summary.nearDuplicates == 3)
    }

    @Test func clusteringRefusesABudgetTooSmallForItsArrays() throws {
        var settings = DedupSettings.minhash()
        settings.memoryBytes = 20  // two documents need 32
        #expect(throws: GristError.self) { _ = try deduplicate([["a b c d e f", "a b c d e f"]], settings: settings) }
    }

    @Test func enormousDocumentIsSketched() throws {
        var source = WordSource(seed: 7)
        let huge = source.words(150_000).joined(separator: " ")
        var sketcher = DocumentSketcher()
        let sketch = sketcher.sketch(Array(huge.utf8))
        #expect(sketch.signature.count == 112)
        #expect(sketch.shingles.count > 140_000)
        #expect(Jaccard.similarity(sketch.shingles, sketch.shingles) == 1)
    }
}
