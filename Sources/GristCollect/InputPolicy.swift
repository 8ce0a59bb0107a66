import GristCore

/// The safety settings every reader shares: what to do with bytes that are not UTF-8, and how far
/// compressed data may expand (see `ExpansionGuard`).
public struct InputPolicy: Sendable {
    public var invalidUTF8: InvalidUTF8Policy
    public var maxExpansionRatio: Double

    public init(invalidUTF8: InvalidUTF8Policy = .reject, maxExpansionRatio: Double = .infinity) {
        self.invalidUTF8 = invalidUTF8
        self.maxExpansionRatio = maxExpansionRatio
    }

    /// The policy a pipeline source configures.
    public init(_ source: SourceConfig) {
        self.init(invalidUTF8: source.invalidUTF8, maxExpansionRatio: source.maxExpansionRatio)
    }

    var repairsUTF8: Bool { invalidUTF8 == .replace }
}
