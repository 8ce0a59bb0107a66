/// XXH64 (Yann Collet's xxHash, 64-bit variant): the shingle hash datatrove uses by default
/// (`xxhash.xxh64_intdigest`, seed 0). Checked against the reference values in the tests.
public enum XXHash64 {
    static let prime1: UInt64 = 11_400_714_785_074_694_791
    static let prime2: UInt64 = 14_029_467_366_897_019_727
    static let prime3: UInt64 = 1_609_587_929_392_839_161
    static let prime4: UInt64 = 9_650_029_242_287_828_579
    static let prime5: UInt64 = 2_870_177_450_012_600_261

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        (accumulator &+ input &* prime2).rotatedLeft(31) &* prime1
    }

    @inline(__always)
    private static func merge(_ accumulator: UInt64, _ value: UInt64) -> UInt64 {
        (accumulator ^ round(0, value)) &* prime1 &+ prime4
    }

    /// The hash of `count` bytes at `base`.
    @inline(__always)
    public static func hash(_ base: UnsafeRawPointer, count: Int, seed: UInt64 = 0) -> UInt64 {
        var p = base
        let end = base + count
        var h: UInt64
        if count >= 32 {
            var v1 = seed &+ prime1 &+ prime2, v2 = seed &+ prime2, v3 = seed, v4 = seed &- prime1
            let limit = end - 32
            while p <= limit {
                v1 = round(v1, p.loadUnaligned(as: UInt64.self).littleEndian)
                v2 = round(v2, p.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian)
                v3 = round(v3, p.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian)
                v4 = round(v4, p.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian)
                p += 32
            }
            h = v1.rotatedLeft(1) &+ v2.rotatedLeft(7) &+ v3.rotatedLeft(12) &+ v4.rotatedLeft(18)
            h = merge(h, v1)
            h = merge(h, v2)
            h = merge(h, v3)
            h = merge(h, v4)
        } else {
            h = seed &+ prime5
        }
        h &+= UInt64(count)
        while end - p >= 8 {
            h ^= round(0, p.loadUnaligned(as: UInt64.self).littleEndian)
            h = h.rotatedLeft(27) &* prime1 &+ prime4
            p += 8
        }
        if end - p >= 4 {
            h ^= UInt64(p.loadUnaligned(as: UInt32.self).littleEndian) &* prime1
            h = h.rotatedLeft(23) &* prime2 &+ prime3
            p += 4
        }
        while p < end {
            h ^= UInt64(p.load(as: UInt8.self)) &* prime5
            h = h.rotatedLeft(11) &* prime1
            p += 1
        }
        return avalanche(h)
    }

    /// The hash of `bytes` (an empty buffer may have no base address).
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        guard let base = bytes.baseAddress else { return avalanche(seed &+ prime5) }
        return hash(base, count: bytes.count, seed: seed)
    }

    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    @inline(__always)
    static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= prime2
        h ^= h >> 29
        h &*= prime3
        h ^= h >> 32
        return h
    }
}

extension UInt64 {
    @inline(__always)
    func rotatedLeft(_ bits: UInt64) -> UInt64 { (self << bits) | (self >> (64 - bits)) }
}
