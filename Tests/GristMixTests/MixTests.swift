import GristCore
import GristMix
import Testing

@Suite struct MixPlanTests {
    @Test func weightsAreMultipliersWithoutABudget() {
        let plan = MixPlan(weights: [1, 2, 0.5], trainTokens: [100, 100, 400], budget: nil)
        #expect(plan.multipliers == [1, 2, 0.5])
        #expect(plan.targetShares == [0.2, 0.4, 0.4])
    }

    @Test func weightsAreSharesOfABudget() {
        let plan = MixPlan(weights: [3, 1], trainTokens: [1000, 100], budget: 400)
        #expect(plan.targetShares == [0.75, 0.25])
        #expect(plan.multipliers == [0.3, 1.0])
    }

    @Test func emptySourceGetsNoCopies() {
        #expect(MixPlan(weights: [1, 1], trainTokens: [0, 10], budget: 10).multipliers == [0, 0.5])
    }
}

@Suite struct DocumentSamplerTests {
    private let fingerprints = (0..<20_000).map { Fingerprint(of: Array("document \($0)".utf8)) }

    @Test func splitFollowsTheValFraction() {
        let sampler = DocumentSampler(seed: 1, valFraction: 0.1)
        let val = fingerprints.filter { sampler.split(of: $0) == .val }.count
        #expect(abs(Double(val) / Double(fingerprints.count) - 0.1) < 0.01)
        #expect(DocumentSampler(seed: 1, valFraction: 0).split(of: fingerprints[0]) == .train)
    }

    @Test func copiesAverageTheMultiplier() {
        let sampler = DocumentSampler(seed: 9, valFraction: 0)
        for multiplier in [0.0, 0.25, 1.0, 2.5] {
            let copies = fingerprints.map { sampler.copies(of: $0, multiplier: multiplier) }
            let mean = Double(copies.reduce(0, +)) / Double(copies.count)
            #expect(abs(mean - multiplier) < 0.02, "multiplier \(multiplier): mean \(mean)")
            #expect(copies.allSatisfy { $0 == Int(multiplier) || $0 == Int(multiplier) + 1 })
        }
    }

    @Test func choicesDependOnlyOnSeedAndContent() {
        let a = DocumentSampler(seed: 5, valFraction: 0.5), b = DocumentSampler(seed: 5, valFraction: 0.5)
        let c = DocumentSampler(seed: 6, valFraction: 0.5)
        #expect(fingerprints.prefix(100).map(a.split(of:)) == fingerprints.prefix(100).map(b.split(of:)))
        #expect(fingerprints.prefix(100).map { a.orderKey(of: $0, copy: 0) }
            != fingerprints.prefix(100).map { c.orderKey(of: $0, copy: 0) })
        #expect(a.orderKey(of: fingerprints[0], copy: 0) != a.orderKey(of: fingerprints[0], copy: 1))
        #expect(a.orderKey(of: fingerprints[0], copy: 0) != a.orderKey(of: fingerprints[0], copy: 0, occurrence: 1))
    }
}

/// Documents of three sources with lengths 1...200 tokens, a tenth of them val.
private func sampleEntries(count: Int = 3_000, valEvery: Int = 10) -> [MixEntry] {
    (0..<count).map { i in
        MixEntry(document: i * 2 + 1, source: i % 3, fingerprint: Fingerprint(of: Array("doc \(i)".utf8)),
                 tokenCount: 1 + (i * 37) % 200, split: i % valEvery == 0 ? .val : .train)
    }
}

@Suite struct MixtureTests {
    let sampler = DocumentSampler(seed: 42, valFraction: 0.1)

    @Test func valDocumentsOnceTrainDocumentsByTheirSourceMultiplier() {
        let entries = sampleEntries()
        let mixture = Mixture(entries: entries, weights: [1, 2, 0.5], budget: nil, sampler: sampler)
        #expect(mixture.copies.count == entries.count)
        #expect(mixture.plan.multipliers == [1, 2, 0.5])
        for (entry, copies) in zip(entries, mixture.copies) {
            switch (entry.split, entry.source) {
            case (.val, _): #expect(copies == 1)
            case (.train, 0): #expect(copies == 1)
            case (.train, 1): #expect(copies == 2)
            default: #expect(copies == 0 || copies == 1)
            }
        }
        let halves = zip(entries, mixture.copies).filter { $0.0.split == .train && $0.0.source == 2 }
        let kept = Double(halves.filter { $0.1 == 1 }.count) / Double(halves.count)
        #expect(abs(kept - 0.5) < 0.05, "half of source 2 kept: \(kept)")
    }

    @Test func aBudgetIsMetBySampledCopies() {
        let entries = sampleEntries()
        let budget = 200_000
        let mixture = Mixture(entries: entries, weights: [1, 1, 2], budget: budget, sampler: sampler)
        #expect(mixture.plan.targetShares == [0.25, 0.25, 0.5])
        var tokens = [0, 0, 0]
        for (entry, copies) in zip(entries, mixture.copies) where entry.split == .train {
            tokens[entry.source] += copies * (entry.tokenCount + 1)
        }
        for source in 0..<3 {
            let target = mixture.plan.targetShares[source] * Double(budget)
            #expect(abs(Double(tokens[source]) / target - 1) < 0.08, "source \(source): \(tokens[source]) of \(target)")
        }
    }

    @Test func trainTokensCountTheSeparator() {
        let one = [MixEntry(document: 0, source: 0, fingerprint: Fingerprint(high: 1, low: 2), tokenCount: 9, split: .train)]
        // 10 tokens with its separator: a budget of 30 takes three copies.
        let mixture = Mixture(entries: one, weights: [1], budget: 30, sampler: sampler)
        #expect(mixture.plan.multipliers == [3])
        #expect(mixture.copies == [3])
    }
}

@Suite struct ShardLayoutTests {
    let sampler = DocumentSampler(seed: 7, valFraction: 0.1)

    private func layout(_ entries: [MixEntry], weights: [Double] = [1, 2, 0.5], tokensPerShard: Int = 5_000,
                        sampler: DocumentSampler? = nil) -> (Mixture, ShardLayout) {
        let sampler = sampler ?? self.sampler
        let mixture = Mixture(entries: entries, weights: weights, budget: nil, sampler: sampler)
        return (mixture, ShardLayout(mixture: mixture, sampler: sampler, sourceCount: weights.count,
                                     tokensPerShard: tokensPerShard))
    }

    @Test func everyCopyIsPlacedOnceInItsSplit() {
        let entries = sampleEntries()
        let (mixture, layout) = layout(entries)
        var placed: [Int: [Int]] = [:]
        for shard in layout.shards {
            for piece in shard.pieces {
                placed[piece.document, default: []].append(piece.copy)
                let entry = entries.first { $0.document == piece.document }!
                #expect(entry.split == shard.split)
                #expect(piece.tokenCount == entry.tokenCount + 1)
            }
        }
        for (entry, copies) in zip(entries, mixture.copies) {
            #expect((placed[entry.document] ?? []).sorted() == Array(0..<copies))
        }
    }

    @Test func shardsHoldWholeDocumentsUpToTheLimit() {
        var entries = sampleEntries(count: 400)
        entries[5].tokenCount = 12_000      // longer than a shard: a shard of its own
        let (_, layout) = layout(entries, tokensPerShard: 5_000)
        for split in DataSplit.allCases {
            let shards = layout.shards.filter { $0.split == split }
            #expect(shards.map(\.ordinal) == Array(0..<shards.count))
            for (index, shard) in shards.enumerated() {
                #expect(shard.tokenCount == shard.pieces.reduce(0) { $0 + $1.tokenCount })
                #expect(shard.tokenCount <= 5_000 || shard.pieces.count == 1)
                // Closed only because the next document would not fit.
                if index + 1 < shards.count, let next = shards[index + 1].pieces.first {
                    #expect(shard.tokenCount + next.tokenCount > 5_000)
                }
            }
        }
        #expect(layout.shards.contains { $0.pieces.count == 1 && $0.tokenCount == 12_001 })
        #expect(layout.shards.first?.split == .train)
    }

    @Test func theOrderIsAShuffleOfTheSeedAndContentNotOfInputOrder() {
        let entries = sampleEntries(count: 500)
        let (_, a) = layout(entries)
        let (_, b) = layout(entries)
        let (_, reversed) = layout(entries.reversed())
        let (_, reseeded) = layout(entries, sampler: DocumentSampler(seed: 8, valFraction: 0.1))
        let order = { (layout: ShardLayout) in layout.shards.flatMap { $0.pieces.map { [$0.document, $0.copy] } } }
        #expect(order(a) == order(b))
        #expect(order(a) == order(reversed))
        #expect(order(a) != order(reseeded))
        #expect(order(a) != order(a).sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }, "shuffled, not in document order")
    }

    @Test func copiesOfOneDocumentAndEqualContentAreSpreadApart() {
        // Ten documents with one content (exact dedup off), weight 2: twenty pieces with twenty keys.
        let same = Fingerprint(high: 3, low: 4)
        let entries = (0..<10).map { MixEntry(document: $0, source: 0, fingerprint: same, tokenCount: 5, split: .train) }
        let (_, layout) = layout(entries, weights: [2], tokensPerShard: 1_000)
        let pieces = layout.shards.flatMap(\.pieces)
        #expect(pieces.count == 20)
        let keys = Set(pieces.map { piece in
            sampler.orderKey(of: same, copy: piece.copy, occurrence: piece.document)
        })
        #expect(keys.count == 20)
        #expect(pieces.map(\.document) != pieces.map(\.document).sorted())
    }

    @Test func tokensAndSharesBySource() {
        let entries = sampleEntries(count: 900)
        let (mixture, layout) = layout(entries)
        var expected: [DataSplit: [Int]] = [.train: [0, 0, 0], .val: [0, 0, 0]]
        for (entry, copies) in zip(entries, mixture.copies) {
            expected[entry.split]![entry.source] += copies * (entry.tokenCount + 1)
        }
        #expect(layout.tokensBySource == expected)
        let train = expected[.train]!, total = Double(train.reduce(0, +))
        #expect(layout.achievedShares == train.map { Double($0) / total })
        let empty = ShardLayout(mixture: Mixture(entries: [], weights: [1], budget: nil, sampler: sampler),
                                sampler: sampler, sourceCount: 1, tokensPerShard: 10)
        #expect(empty.shards.isEmpty)
        #expect(empty.achievedShares == [nil])
    }
}

/// `shards.min_tokens`: no shard of a split below the minimum, by balancing the last two.
@Suite struct ShardMinimumTests {
    let sampler = DocumentSampler(seed: 3, valFraction: 0)

    /// One source, all train, documents of the given lengths.
    private func layout(_ lengths: [Int], tokensPerShard: Int, minimum: Int) -> ShardLayout {
        let entries = lengths.enumerated().map { index, length in
            MixEntry(document: index, source: 0, fingerprint: Fingerprint(of: Array("d\(index)".utf8)),
                     tokenCount: length, split: .train)
        }
        let mixture = Mixture(entries: entries, weights: [1], budget: nil, sampler: sampler)
        return ShardLayout(mixture: mixture, sampler: sampler, sourceCount: 1, tokensPerShard: tokensPerShard,
                           minimumTokens: { _ in minimum })
    }

    private func order(_ layout: ShardLayout) -> [Int] { layout.shards.flatMap { $0.pieces.map(\.document) } }

    @Test func theLastTwoShardsAreCutAgainWhereTheyBalance() throws {
        // The first count of documents whose last shard is short without a minimum.
        let count = try #require((300..<400).first { count in
            let lengths = (0..<count).map { 20 + ($0 * 53) % 180 }
            return layout(lengths, tokensPerShard: 5_000, minimum: 0).shards.last!.tokenCount < 1_000
        })
        let lengths = (0..<count).map { 20 + ($0 * 53) % 180 }
        let plain = layout(lengths, tokensPerShard: 5_000, minimum: 0)
        let last = plain.shards.last!.tokenCount, before = plain.shards[plain.shards.count - 2].tokenCount
        let balanced = layout(lengths, tokensPerShard: 5_000, minimum: 2_000)
        #expect(order(balanced) == order(plain), "the documents keep their order")
        #expect(balanced.shards.count == plain.shards.count)
        #expect(balanced.shards.dropLast(2).map(\.tokenCount) == plain.shards.dropLast(2).map(\.tokenCount))
        let tail = balanced.shards.suffix(2).map(\.tokenCount)
        #expect(tail.reduce(0, +) == last + before)
        #expect(tail.allSatisfy { $0 >= 2_000 && $0 <= 5_000 })
        #expect(abs(tail[0] - tail[1]) <= 200, "cut where the two are most even: \(tail)")
        #expect(balanced.shards.map(\.ordinal) == Array(0..<balanced.shards.count))
        for shard in balanced.shards {
            #expect(shard.tokenCount == shard.pieces.reduce(0) { $0 + $1.tokenCount })
        }
    }

    @Test func theLastTwoAreJoinedWhenNoCutLeavesBothAboveTheMinimum() {
        // Pieces of 1,001 × 3 and 301: shards of 3,003 and 301 with 3,100 per shard; no cut of the 3,304
        // leaves 2,000 on both sides, so they become one shard (above the shard size).
        let shards = layout([1_000, 1_000, 1_000, 300], tokensPerShard: 3_100, minimum: 2_000).shards
        #expect(shards.map(\.tokenCount) == [3_304])
        #expect(shards.map(\.ordinal) == [0])
    }

    @Test func noShardIsClosedBelowTheMinimum() {
        // Documents longer than a shard, and two short ones: without a minimum, wherever the shuffle puts
        // them, a short one ends up in a shard of its own (or with the other short one).
        let lengths = [100, 5_000, 5_000, 100, 5_000, 5_000]
        let plain = layout(lengths, tokensPerShard: 4_000, minimum: 0)
        #expect(plain.shards.contains { $0.tokenCount < 1_000 })
        let sized = layout(lengths, tokensPerShard: 4_000, minimum: 1_000)
        #expect(sized.shards.allSatisfy { $0.tokenCount >= 1_000 }, "\(sized.shards.map(\.tokenCount))")
        #expect(order(sized) == order(plain))
    }

    @Test func aSplitSmallerThanTheMinimumIsOneShard() {
        let shards = layout([100, 200, 300, 400], tokensPerShard: 500, minimum: 10_000).shards
        #expect(shards.map(\.tokenCount) == [1_004])
    }

    @Test func everyShardReachesTheMinimumWhateverTheLengths() {
        for seed in 0..<40 {
            var random = SplitMix64(seed: UInt64(seed))
            let lengths = (0..<(5 + seed * 3)).map { _ in Int(random.next() % 3_000) }
            let total = lengths.reduce(0) { $0 + $1 + 1 }
            for (size, minimum) in [(4_000, 1_500), (4_000, 4_000), (10_000, 2_500)] {
                let shards = layout(lengths, tokensPerShard: size, minimum: minimum).shards
                #expect(shards.reduce(0) { $0 + $1.tokenCount } == total)
                if total >= minimum {
                    #expect(shards.allSatisfy { $0.tokenCount >= minimum },
                            "seed \(seed), \(size)/\(minimum): \(shards.map(\.tokenCount))")
                } else {
                    #expect(shards.count == 1)
                }
            }
        }
    }
}
