/// Deduplication across all sources.
public struct DedupConfig: Decodable, Sendable {
    /// Drop documents whose cleaned text is byte-identical to one seen before.
    public var exact: Bool

    enum CodingKeys: String, CodingKey, CaseIterable { case exact }

    public init(exact: Bool = true) { self.exact = exact }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        exact = try c.value(.exact, default: true)
    }
}
