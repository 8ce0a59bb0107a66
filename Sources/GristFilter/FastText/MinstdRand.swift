/// The C++ standard library's `std::minstd_rand` (Park and Miller's "minimal standard" generator:
/// x ← 48271·x mod 2³¹−1) with libstdc++'s `uniform_real_distribution<double>` and
/// `uniform_int_distribution<int>` on top, which is all the randomness fastText's training uses: the
/// input matrix's initial values and the pick of one label of a multi-label line. The same seed gives
/// the same numbers as fastText built with GCC, so a model can be compared with fastText's byte for byte.
struct MinstdRand {
    static let modulus: UInt64 = 2_147_483_647
    static let multiplier: UInt64 = 48_271
    static let min: UInt64 = 1
    static let max: UInt64 = modulus - 1

    private(set) var state: UInt64

    /// libstdc++'s seeding: the seed (converted to the engine's unsigned type) modulo 2³¹−1, and 1
    /// in place of 0.
    init(seed: Int64) {
        let s = UInt64(bitPattern: seed) % Self.modulus
        state = s == 0 ? 1 : s
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state = state &* Self.multiplier % Self.modulus
        return state
    }

    /// `std::generate_canonical<double, 53>`: two draws (each worth 30 bits by libstdc++'s count)
    /// make a double in [0, 1).
    @inline(__always)
    mutating func canonical() -> Double {
        let r = Double(Self.max - Self.min + 1)  // 2147483646
        var sum = Double(next() - Self.min)
        sum += Double(next() - Self.min) * r
        let ret = sum / (r * r)  // r·r rounds to 2⁶² − 2³³ as libstdc++'s long double product stored in a double does
        return ret >= 1 ? Double(1).nextDown : ret
    }

    /// `uniform_real_distribution<double>(a, b)`: canonical · (b − a) + a.
    @inline(__always)
    mutating func uniform(_ a: Double, _ b: Double) -> Double {
        canonical() * (b - a) + a
    }

    /// `uniform_int_distribution<int>(0, upper)` as libstdc++ draws it from this engine (its range,
    /// 2³¹−3, is not a power of two): rejection of the draws past the last whole bucket, then division.
    mutating func uniformInt(upTo upper: Int) -> Int {
        precondition(upper >= 0)
        let urngRange = Self.max - Self.min
        let erange = UInt64(upper) + 1
        let scaling = urngRange / erange
        let past = erange * scaling
        var ret: UInt64
        repeat { ret = next() - Self.min } while ret >= past
        return Int(ret / scaling)
    }
}
