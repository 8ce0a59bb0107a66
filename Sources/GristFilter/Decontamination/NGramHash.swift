/// The 64-bit hash of a run of words, from the words' own hashes, so a text's n-grams of every length
/// come from one pass over it.
///
/// A polynomial prefix hash over the word hashes (mod 2^64): `P[0] = 0`, `P[k+1] = P[k]·B + w[k]`;
/// the run of `L` words from `i` is `P[i+L] − P[i]·B^L`, then the length is mixed in and the murmur3
/// finalizer spreads it. 0 is never returned (the index's empty slot).
struct NGramHash: Sendable {
    static let base: UInt64 = 0x9E37_79B9_7F4A_7C15
    /// `B^L` for every length up to the longest asked for.
    let powers: [UInt64]

    init(maxLength: Int) {
        var powers: [UInt64] = [1]
        for _ in 0..<max(maxLength, 1) { powers.append(powers[powers.count - 1] &* Self.base) }
        self.powers = powers
    }

    /// Fills `prefix` with the `count + 1` prefix hashes of `words`.
    static func prefixes(_ words: [UInt64], into prefix: inout [UInt64]) {
        prefix.removeAll(keepingCapacity: true)
        prefix.reserveCapacity(words.count + 1)
        var h: UInt64 = 0
        prefix.append(0)
        for w in words {
            h = h &* base &+ w
            prefix.append(h)
        }
    }

    @inline(__always)
    func hash(_ prefix: UnsafeBufferPointer<UInt64>, start: Int, length: Int) -> UInt64 {
        let raw = prefix[start + length] &- prefix[start] &* powers[length]
        let h = DecontaminationNormalizer.mix(raw ^ UInt64(truncatingIfNeeded: length) &* 0xD6E8_FEB8_6659_FD93)
        return h == 0 ? 1 : h
    }
}
