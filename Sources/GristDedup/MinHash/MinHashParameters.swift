/// The hash permutations of MinHash: for hash k, `h ↦ ((h·a[k] + b[k]) mod 2⁶⁴) mod (2⁶¹ − 1)`.
///
/// The coefficients are drawn exactly as datatrove 0.10.1 draws them (`MinhashDedupSignature.parameters`):
/// numpy's legacy `RandomState(seed)` (MT19937), `randint(1, p, uint64, size=K)` for `a`, then
/// `randint(0, p, uint64, size=K)` for `b`, with p = 2⁶¹ − 1. So the same seed gives datatrove's
/// signatures (checked against its values in the tests).
public struct MinHashParameters: Sendable, Equatable {
    /// The Mersenne prime 2⁶¹ − 1.
    public static let prime: UInt64 = (1 << 61) - 1

    public let a: [UInt64]
    public let b: [UInt64]

    public var count: Int { a.count }

    public init(count: Int, seed: UInt32) {
        var generator = MersenneTwister(seed: seed)
        a = (0..<count).map { _ in 1 &+ generator.bounded(Self.prime - 2) }
        b = (0..<count).map { _ in generator.bounded(Self.prime - 1) }
    }
}

/// MT19937 as numpy's legacy `RandomState` runs it, with its masked-rejection bounded integers.
struct MersenneTwister {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    init(seed: UInt32) {
        var value = seed
        for i in 0..<624 {
            state[i] = value
            value = 1_812_433_253 &* (value ^ (value >> 30)) &+ UInt32(i + 1)
        }
    }

    mutating func next32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// numpy's `mt19937_next64`: the high half first.
    mutating func next64() -> UInt64 { UInt64(next32()) << 32 | UInt64(next32()) }

    /// A uniform integer in 0...range, by numpy's masked rejection (`bounded_masked_uint64`), for ranges
    /// above 2³² − 1 (the only ones used here).
    mutating func bounded(_ range: UInt64) -> UInt64 {
        precondition(range > UInt64(UInt32.max), "32-bit ranges take another path in numpy")
        var mask = range
        for shift in [1, 2, 4, 8, 16, 32] as [UInt64] { mask |= mask >> shift }
        while true {
            let value = next64() & mask
            if value <= range { return value }
        }
    }

    private mutating func twist() {
        for k in 0..<624 {
            let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7FFF_FFFF)
            state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : 0x9908_B0DF)
        }
        index = 0
    }
}
