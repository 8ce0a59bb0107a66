/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator and a strong 64-bit mixer.
///
/// Gristmill never uses the system RNG: every random choice comes from here, seeded from the
/// config's `seed`, so the same config and seed give the same bytes.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finalizer: a bijective mix of 64 bits.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in [0, 1) that depends only on `seed` and `keys`: the same inputs give the
    /// same number on every run and machine, whatever order documents are processed in.
    public static func unitInterval(seed: UInt64, _ keys: UInt64...) -> Double {
        var h = mix(seed ^ 0x6A09_E667_F3BC_C908)
        for key in keys { h = mix(h ^ key) }
        return Double(h >> 11) * 0x1.0p-53
    }

    /// A 64-bit key that depends only on `seed` and `keys`.
    public static func key(seed: UInt64, _ keys: UInt64...) -> UInt64 {
        var h = mix(seed ^ 0xBB67_AE85_84CA_A73B)
        for key in keys { h = mix(h ^ key) }
        return h
    }
}
