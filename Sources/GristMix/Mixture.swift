/// How many copies of each document go into the shards: one of every val document, and for a train
/// document its source's multiplier (`MixPlan`) rounded by a seeded coin (`DocumentSampler.copies`).
/// Zero copies means the document was sampled out.
public struct Mixture: Sendable, Equatable {
    /// The documents mixed, in canonical order.
    public let entries: [MixEntry]
    /// Copies per entry, indexed like `entries`.
    public let copies: [Int]
    /// The multipliers and target shares that decided them.
    public let plan: MixPlan

    /// - Parameters:
    ///   - weights: per source (config order), ≥ 0; `entries` name sources by index into it.
    ///   - budget: total train tokens wanted (`mix.budget_tokens`), or nil.
    public init(entries: [MixEntry], weights: [Double], budget: Int?, sampler: DocumentSampler) {
        var trainTokens = Array(repeating: 0, count: weights.count)
        for entry in entries where entry.split == .train { trainTokens[entry.source] += entry.tokenCount + 1 }
        let plan = MixPlan(weights: weights, trainTokens: trainTokens, budget: budget)
        self.entries = entries
        self.plan = plan
        copies = entries.map { entry in
            entry.split == .val ? 1 : sampler.copies(of: entry.fingerprint, multiplier: plan.multipliers[entry.source])
        }
    }
}
