/// How sources are combined and split.
public struct MixConfig: Decodable, Sendable, ConfigSection {
    /// Share of documents held out for validation, chosen per document by a seeded hash. 0 when
    /// `valTokens` is given (the two are refused together).
    public var valFraction = 0.01
    /// Tokens of the val split, separators included, taken from the ends of documents of every source
    /// without a `val_tokens` of its own (docs/config.md): instead of `valFraction`, so that a corpus of
    /// one book still gets a val split.
    public var valTokens: Int?
    /// Where `val_tokens` is written, for checks made after decoding.
    public var valTokensLocation: ConfigLocation?
    /// Train tokens wanted (separators included); when set, source weights are shares of it (sources
    /// are down- or up-sampled). When absent, a weight is how many times each kept train document is used.
    public var budgetTokens: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case valFraction = "val_fraction", valTokens = "val_tokens", budgetTokens = "budget_tokens"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let fraction: Double? = try c.optionalValue(.valFraction, .within(0.0..<1.0))
        valTokens = try c.optionalValue(.valTokens, .atLeast(0))
        valTokensLocation = c.location(of: .valTokens)
        budgetTokens = try c.optionalValue(.budgetTokens, .greaterThan(0))
        if fraction != nil, valTokens != nil {
            throw ConfigError("give val_fraction or val_tokens, not both: val_tokens takes the val split by tokens "
                + "instead of by whole documents",
                at: valTokensLocation ?? decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "mix"))
        }
        if let fraction { valFraction = fraction }
        if valTokens != nil { valFraction = 0 }
    }
}
