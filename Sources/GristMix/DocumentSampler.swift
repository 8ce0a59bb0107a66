import GristCore

/// Seeded, order-independent per-document choices: split, number of copies, position in the shards.
///
/// Each choice is a hash of the seed and the document's content fingerprint, so it does not depend on
/// which worker saw the document or when; the same config and seed give the same shards.
public struct DocumentSampler: Sendable {
    public let seed: UInt64
    public let valFraction: Double

    private static let splitSalt: UInt64 = 0x5350_4C49_5400_0001
    private static let copySalt: UInt64 = 0x434F_5049_4553_0002
    private static let valOrderSalt: UInt64 = 0x5641_4C4F_5244_0003

    public init(seed: UInt64, valFraction: Double) {
        precondition(valFraction >= 0 && valFraction < 1, "valFraction must be in [0, 1)")
        self.seed = seed
        self.valFraction = valFraction
    }

    /// The split of a unique document: `val` with probability `valFraction`.
    public func split(of fingerprint: Fingerprint) -> DataSplit {
        SplitMix64.unitInterval(seed: seed, Self.splitSalt, fingerprint.high, fingerprint.low) < valFraction
            ? .val : .train
    }

    /// Copies of a train document for a source multiplier: ⌊m⌋, plus one more with probability frac(m).
    public func copies(of fingerprint: Fingerprint, multiplier: Double) -> Int {
        guard multiplier > 0 else { return 0 }
        let whole = multiplier.rounded(.down)
        let fraction = multiplier - whole
        let extra = SplitMix64.unitInterval(seed: seed, Self.copySalt, fingerprint.high, fingerprint.low) < fraction
        return Int(whole) + (extra ? 1 : 0)
    }

    /// Sort key of the order in which `val_tokens` takes documents into the val split (`ValTokenSplit`).
    public func valOrderKey(of fingerprint: Fingerprint) -> UInt64 {
        SplitMix64.key(seed: seed, Self.valOrderSalt, fingerprint.high, fingerprint.low)
    }

    /// Sort key that shuffles documents (and copies of one document) into their order in the shards.
    ///
    /// `occurrence` tells apart documents with the same content (kept when exact dedup is off): the
    /// n-th such document in canonical order has occurrence n, so they do not all land side by side.
    public func orderKey(of fingerprint: Fingerprint, copy: Int, occurrence: Int = 0) -> UInt64 {
        SplitMix64.key(seed: seed, fingerprint.high, fingerprint.low, UInt64(copy), UInt64(occurrence))
    }
}
