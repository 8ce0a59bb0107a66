/// How sources are combined and split.
public struct MixConfig: Decodable, Sendable, ConfigSection {
    /// Share of documents held out for validation, chosen per document by a seeded hash.
    public var valFraction = 0.01
    /// Train tokens wanted (separators included); when set, source weights are shares of it (sources
    /// are down- or up-sampled). When absent, a weight is how many times each kept train document is used.
    public var budgetTokens: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case valFraction = "val_fraction", budgetTokens = "budget_tokens"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decode(.valFraction, into: &valFraction, .within(0.0..<1.0))
        budgetTokens = try c.optionalValue(.budgetTokens, .greaterThan(0))
    }
}
