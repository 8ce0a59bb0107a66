/// How sources are combined and split.
public struct MixConfig: Decodable, Sendable {
    /// Share of documents held out for validation, chosen per document by a seeded hash.
    public var valFraction: Double
    /// Train tokens wanted (separators included); when set, source weights are shares of it (sources
    /// are down- or up-sampled). When absent, a weight is how many times each kept train document is used.
    public var budgetTokens: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case valFraction = "val_fraction", budgetTokens = "budget_tokens"
    }

    public init(valFraction: Double = 0.01, budgetTokens: Int? = nil) {
        self.valFraction = valFraction
        self.budgetTokens = budgetTokens
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        valFraction = try c.value(.valFraction, default: 0.01, .within(0.0..<1.0))
        budgetTokens = try c.optionalValue(.budgetTokens, .greaterThan(0))
    }
}
