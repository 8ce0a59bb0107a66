/// Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted sets of distinct shingle hashes.
///
/// This is the "true" similarity used to verify LSH candidates: exact on the 32-bit shingle hashes,
/// so it differs from the similarity of the shingle strings only when two distinct shingles of the
/// pair share a hash (about |A|·|B| / 2³² expected collisions; under 0.003 for two 3,000-word documents).
public enum Jaccard {
    /// The similarity; two empty sets have similarity 0 (documents without shingles are never near-duplicates).
    public static func similarity(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        let common = intersectionCount(a, b)
        return Double(common) / Double(a.count + b.count - common)
    }

    public static func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in similarity(a, b) } }
    }

    /// Elements common to both sorted sets (a branch-light merge).
    static func intersectionCount(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Int {
        var i = 0, j = 0, common = 0
        let n = a.count, m = b.count
        while i < n, j < m {
            let x = a[i], y = b[j]
            common &+= x == y ? 1 : 0
            i &+= x <= y ? 1 : 0
            j &+= y <= x ? 1 : 0
        }
        return common
    }
}
