import GristCore

/// How many times each source's kept documents go into the train split.
///
/// Two modes (docs/config.md, `mix`):
/// - no budget: a source's weight *is* its multiplier (2 = every document twice, 0.5 = a seeded half);
/// - `budget_tokens`: weights are shares of the budget, and each source's multiplier is what it takes to
///   reach its share (below 1 samples down, above 1 repeats).
public struct MixPlan: Sendable, Equatable {
    /// Expected copies per kept train document, per source.
    public let multipliers: [Double]
    /// Each source's intended share of train tokens.
    public let targetShares: [Double]

    /// - Parameters:
    ///   - weights: per source, ≥ 0.
    ///   - trainTokens: per source, tokens of its unique kept train documents (separators included).
    ///   - budget: total train tokens wanted, or nil.
    public init(weights: [Double], trainTokens: [Int], budget: Int?) {
        precondition(weights.count == trainTokens.count, "one weight per source")
        if let budget {
            let total = weights.reduce(0, +)
            targetShares = weights.map { total > 0 ? $0 / total : 0 }
            multipliers = zip(targetShares, trainTokens).map { share, tokens in
                tokens > 0 ? share * Double(budget) / Double(tokens) : 0
            }
        } else {
            multipliers = weights
            let weighted = zip(weights, trainTokens).map { $0 * Double($1) }
            let total = weighted.reduce(0, +)
            targetShares = weighted.map { total > 0 ? $0 / total : 0 }
        }
    }
}
