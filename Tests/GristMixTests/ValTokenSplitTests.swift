import GristCore
import GristMix
import Testing

/// `val_tokens`: the val split taken by tokens from the ends of documents.
@Suite struct ValTokenSplitTests {
    let sampler = DocumentSampler(seed: 11, valFraction: 0)

    private func entry(_ document: Int, source: Int = 0, tokens: Int) -> MixEntry {
        MixEntry(document: document, source: source, fingerprint: Fingerprint(of: Array("doc \(document)".utf8)),
                 tokenCount: tokens, split: .train)
    }

    /// Tokens in each split, separators included, as the shards would hold them.
    private func splitTokens(_ entries: [MixEntry]) -> [DataSplit: Int] {
        var tokens: [DataSplit: Int] = [.train: 0, .val: 0]
        for entry in entries {
            for split in DataSplit.allCases { if let part = entry.tokens(in: split) { tokens[split]! += part + 1 } }
        }
        return tokens
    }

    @Test func oneDocumentIsCutSoThatValHoldsExactlyTheTokensAskedFor() {
        var entries = [entry(0, tokens: 52_943)]
        let outcomes = ValTokenSplit.apply([.init(sources: [0], tokens: 5_000)], to: &entries, sampler: sampler)
        #expect(entries[0].split == .train)
        #expect(entries[0].cut == 52_943 - 4_999, "the head keeps all but the last 4,999 tokens")
        #expect(entries[0].tokens(in: .train) == 47_944)
        #expect(entries[0].tokens(in: .val) == 4_999)
        #expect(entries[0].firstToken(in: .val) == 47_944)
        #expect(entries[0].firstToken(in: .train) == 0)
        #expect(splitTokens(entries) == [.train: 47_945, .val: 5_000])
        #expect(outcomes == [.init(pool: .init(sources: [0], tokens: 5_000), valTokens: 5_000,
                                   availableTokens: 52_944, cutDocument: 0)])
    }

    @Test func wholeDocumentsGoFirstInASeededOrderThenOneIsCut() {
        let lengths = [300, 120, 900, 50, 410, 75, 600, 220]
        var entries = lengths.enumerated().map { entry($0.offset, tokens: $0.element) }
        let outcomes = ValTokenSplit.apply([.init(sources: [0], tokens: 1_000)], to: &entries, sampler: sampler)
        #expect(splitTokens(entries)[.val] == 1_000)
        #expect(entries.filter { $0.cut != nil }.count == 1)
        #expect(outcomes[0].cutDocument == entries.first { $0.cut != nil }?.document)
        // The documents in val, in order, are a prefix of the seeded order, the cut one right after them.
        let order = entries.indices.sorted { sampler.valOrderKey(of: entries[$0].fingerprint)
            < sampler.valOrderKey(of: entries[$1].fingerprint) }
        let roles = order.map { entries[$0].cut != nil ? "cut" : entries[$0].split.rawValue }
        let firstTrain = roles.firstIndex(of: "cut") ?? roles.count
        #expect(roles[..<firstTrain].allSatisfy { $0 == "val" })
        #expect(roles[(firstTrain + 1)...].allSatisfy { $0 == "train" })
        // Deterministic with the seed, and another seed takes other documents.
        var again = lengths.enumerated().map { entry($0.offset, tokens: $0.element) }
        _ = ValTokenSplit.apply([.init(sources: [0], tokens: 1_000)], to: &again, sampler: sampler)
        #expect(again == entries)
        var reseeded = lengths.enumerated().map { entry($0.offset, tokens: $0.element) }
        _ = ValTokenSplit.apply([.init(sources: [0], tokens: 1_000)], to: &reseeded,
                                sampler: DocumentSampler(seed: 12, valFraction: 0))
        #expect(reseeded.map(\.cut) != entries.map(\.cut) || reseeded.map(\.split) != entries.map(\.split))
    }

    @Test func aPoolSmallerThanAskedGoesWhollyToValAndSaysSo() {
        var entries = [entry(0, tokens: 10), entry(1, tokens: 20)]
        let outcomes = ValTokenSplit.apply([.init(sources: [0], tokens: 1_000)], to: &entries, sampler: sampler)
        #expect(entries.allSatisfy { $0.split == .val && $0.cut == nil })
        #expect(outcomes[0].valTokens == 32 && outcomes[0].availableTokens == 32)
    }

    @Test func aPartHoldsAtLeastOneTokenAndZeroAsksForNone() {
        // 11 tokens with the separator fill 11 exactly; one token left cannot make a part of its own.
        var entries = [entry(0, tokens: 10), entry(1, tokens: 10)]
        var outcome = ValTokenSplit.apply([.init(sources: [0], tokens: 12)], to: &entries, sampler: sampler)
        #expect(outcome[0].valTokens == 11 && outcome[0].cutDocument == nil)
        #expect(entries.filter { $0.split == .val }.count == 1)
        entries = [entry(0, tokens: 10)]
        outcome = ValTokenSplit.apply([.init(sources: [0], tokens: 0)], to: &entries, sampler: sampler)
        #expect(outcome[0].valTokens == 0 && entries[0].split == .train && entries[0].cut == nil)
    }

    @Test func poolsTakeTheirOwnSourcesAndLeaveTheRestAlone() {
        var entries = [entry(0, source: 0, tokens: 500), entry(1, source: 1, tokens: 500),
                       MixEntry(document: 2, source: 2, fingerprint: Fingerprint(high: 1, low: 1), tokenCount: 40,
                                split: .val)]
        let outcomes = ValTokenSplit.apply([.init(sources: [0], tokens: 100), .init(sources: [1], tokens: 200)],
                                           to: &entries, sampler: sampler)
        #expect(entries[0].tokens(in: .val) == 99 && entries[1].tokens(in: .val) == 199)
        #expect(entries[2].split == .val && entries[2].cut == nil, "a source outside every pool keeps its split")
        #expect(outcomes.map(\.valTokens) == [100, 200])
    }

    @Test func theMixtureCopiesACutDocumentsHeadAndWritesItsTailOnce() {
        var entries = [entry(0, tokens: 1_000), entry(1, source: 1, tokens: 300)]
        _ = ValTokenSplit.apply([.init(sources: [0], tokens: 101)], to: &entries, sampler: sampler)
        let mixture = Mixture(entries: entries, weights: [2, 1], budget: nil, sampler: sampler)
        #expect(mixture.copies(of: 0, in: .train) == 2 && mixture.copies(of: 0, in: .val) == 1)
        #expect(mixture.placements(of: 0) == 3)
        #expect(mixture.copies(of: 1, in: .val) == 0 && mixture.placements(of: 1) == 1)
        let layout = ShardLayout(mixture: mixture, sampler: sampler, sourceCount: 2, tokensPerShard: 10_000)
        let pieces = layout.shards.flatMap { shard in shard.pieces.map { (shard.split, $0) } }
        let cut = pieces.filter { $0.1.document == 0 }
        let head = cut.filter { $0.0 == .train }.map(\.1), tail = cut.filter { $0.0 == .val }.map(\.1)
        #expect(head.map(\.copy).sorted() == [0, 1])
        #expect(head.allSatisfy { $0.tokenCount == 901 && $0.firstToken == 0 })
        #expect(tail.map { [$0.copy, $0.tokenCount, $0.firstToken] } == [[0, 101, 900]])
        #expect(layout.tokensBySource == [.train: [1_802, 301], .val: [101, 0]])
    }
}
