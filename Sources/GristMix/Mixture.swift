import GristCore

/// How many copies of each document go into the shards: one of every val document (and of the val tail
/// of a cut one), and of a train document (or a cut one's head) its source's multiplier (`MixPlan`)
/// rounded by a seeded coin (`DocumentSampler.copies`). A document with no copy at all was sampled out.
public struct Mixture: Sendable, Equatable {
    /// The documents mixed, in canonical order.
    public let entries: [MixEntry]
    /// Copies per entry, indexed like `entries`: of its train part, or 1 for a document wholly in val.
    /// A cut document's val tail is written once more (`copies(of:in:)`).
    public let copies: [Int]
    /// The multipliers and target shares that decided them.
    public let plan: MixPlan

    /// - Parameters:
    ///   - weights: per source (config order), ≥ 0; `entries` name sources by index into it.
    ///   - budget: total train tokens wanted (`mix.budget_tokens`), or nil.
    public init(entries: [MixEntry], weights: [Double], budget: Int?, sampler: DocumentSampler) {
        var trainTokens = Array(repeating: 0, count: weights.count)
        for entry in entries {
            if let tokens = entry.tokens(in: .train) { trainTokens[entry.source] += tokens + 1 }
        }
        let plan = MixPlan(weights: weights, trainTokens: trainTokens, budget: budget)
        self.entries = entries
        self.plan = plan
        copies = entries.map { entry in
            entry.tokens(in: .train) == nil ? 1
                : sampler.copies(of: entry.fingerprint, multiplier: plan.multipliers[entry.source])
        }
    }

    /// Copies of entry `index`'s part in `split` (0 when it has none there).
    public func copies(of index: Int, in split: DataSplit) -> Int {
        guard entries[index].tokens(in: split) != nil else { return 0 }
        return split == .train ? copies[index] : 1
    }

    /// All the pieces of entry `index` in the shards, both splits: its placements.
    public func placements(of index: Int) -> Int {
        copies(of: index, in: .train) + copies(of: index, in: .val)
    }
}
