/// tiktoken's `byte_pair_merge`: start from single bytes and repeatedly merge the adjacent pair
/// whose concatenation has the lowest rank (the leftmost one on ties) until no pair is a token.
///
/// Two implementations give identical output: a quadratic scan over small arrays (what tiktoken
/// does; fastest for ordinary words) and a heap over a linked list for long pieces (CJK runs,
/// long digit or whitespace runs), which keeps the worst case at O(n log n).
enum BytePairMerge {
    /// Pieces up to this many bytes use the quadratic scan.
    static let quadraticLimit = 32

    /// `UInt32`s of scratch the quadratic scan needs for a piece of `length` bytes.
    static func scratchCount(forLength length: Int) -> Int { 3 * length + 1 }

    /// Appends the tokens of `piece` (`length >= 2`, `length <= quadraticLimit`), using `scratch`
    /// (at least `scratchCount(forLength:)` elements).
    @inline(__always)
    static func mergeQuadratic(_ piece: UnsafePointer<UInt8>, _ length: Int, table: RankTable,
                               scratch: UnsafeMutablePointer<UInt32>, into tokens: inout [UInt32]) {
        let missing = RankTable.missing
        // Part i covers bytes starts[i] ..< starts[i + 1]; its token is parts[i]; pairs[i] is the rank
        // of parts i and i + 1 joined (missing for the last part).
        let starts = scratch
        let pairs = scratch + (length + 1)
        let parts = pairs + length
        let singles = table.singles
        let pairTable = table.pairs
        for i in 0..<length {
            starts[i] = UInt32(truncatingIfNeeded: i)
            parts[i] = singles[Int(piece[i])]
        }
        starts[length] = UInt32(truncatingIfNeeded: length)
        for i in 0..<(length - 1) {
            pairs[i] = pairTable[Int(piece[i]) << 8 | Int(piece[i + 1])]
        }
        pairs[length - 1] = missing

        var count = length
        while true {
            var best = missing
            var at = 0
            for i in 0..<(count - 1) where pairs[i] < best {
                best = pairs[i]
                at = i
            }
            if best == missing { break }

            // Join parts `at` and `at + 1`.
            parts[at] = best
            var i = at + 1
            while i < count - 1 {
                starts[i] = starts[i + 1]
                pairs[i] = pairs[i + 1]
                parts[i] = parts[i + 1]
                i += 1
            }
            starts[count - 1] = starts[count]
            count -= 1

            if at + 1 < count {
                let from = Int(starts[at])
                pairs[at] = table.rank(piece + from, Int(starts[at + 2]) - from)
            } else {
                pairs[at] = missing
            }
            if at > 0 {
                let from = Int(starts[at - 1])
                pairs[at - 1] = table.rank(piece + from, Int(starts[at + 1]) - from)
            }
        }
        for i in 0..<count { tokens.append(parts[i]) }
    }

    /// Appends the tokens of `piece` (`length >= 2`, any length up to `UInt32.max - 1`), using
    /// `scratch` for its arrays (grown when too small, never shrunk: no allocation per piece).
    static func mergeWithHeap(_ piece: UnsafePointer<UInt8>, _ length: Int, table: RankTable,
                              scratch: HeapMergeScratch, into tokens: inout [UInt32]) {
        let missing = RankTable.missing
        let dead = UInt32.max
        let end = UInt32(truncatingIfNeeded: length)
        scratch.reserve(length)
        // Parts are named by their first byte's offset and chained through next/previous.
        let next = scratch.next, previous = scratch.previous, pairs = scratch.pairs, parts = scratch.parts
        var heap = MinHeap(keys: scratch.heap, capacity: 3 * length)
        for i in 0..<length {
            next[i] = UInt32(truncatingIfNeeded: i + 1)
            previous[i] = i == 0 ? dead : UInt32(truncatingIfNeeded: i - 1)
            parts[i] = table.singles[Int(piece[i])]
            pairs[i] = i + 1 < length ? table.pairs[Int(piece[i]) << 8 | Int(piece[i + 1])] : missing
            if pairs[i] != missing { heap.push(UInt64(pairs[i]) << 32 | UInt64(i)) }
        }

        while let key = heap.pop() {
            let rank = UInt32(truncatingIfNeeded: key >> 32)
            let p = Int(truncatingIfNeeded: key & 0xFFFF_FFFF)
            // Skip entries made stale by an earlier merge.
            if next[p] == dead || pairs[p] != rank { continue }
            let q = Int(next[p])
            let after = next[q]
            parts[p] = rank
            next[p] = after
            next[q] = dead
            if after != end {
                previous[Int(after)] = UInt32(truncatingIfNeeded: p)
                let r = table.rank(piece + p, Int(next[Int(after)]) - p)
                pairs[p] = r
                if r != missing { heap.push(UInt64(r) << 32 | UInt64(p)) }
            } else {
                pairs[p] = missing
            }
            if previous[p] != dead {
                let before = Int(previous[p])
                let r = table.rank(piece + before, Int(after) - before)
                pairs[before] = r
                if r != missing { heap.push(UInt64(r) << 32 | UInt64(before)) }
            }
        }
        var p = 0
        while p < length {
            tokens.append(parts[p])
            p = Int(next[p])
        }
    }
}

/// Reusable arrays for `BytePairMerge.mergeWithHeap`, owned by one encoder.
final class HeapMergeScratch {
    private(set) var capacity = 0
    private(set) var next = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    private(set) var previous = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    private(set) var pairs = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    private(set) var parts = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    private(set) var heap = UnsafeMutablePointer<UInt64>.allocate(capacity: 3)

    /// Makes room for a piece of `length` bytes.
    @inline(__always)
    func reserve(_ length: Int) {
        guard length > capacity else { return }
        let size = max(length, 2 * capacity, 256)
        free()
        next = .allocate(capacity: size)
        previous = .allocate(capacity: size)
        pairs = .allocate(capacity: size)
        parts = .allocate(capacity: size)
        heap = .allocate(capacity: 3 * size)
        capacity = size
    }

    private func free() {
        next.deallocate()
        previous.deallocate()
        pairs.deallocate()
        parts.deallocate()
        heap.deallocate()
    }

    deinit { free() }
}

/// A binary min-heap of `UInt64` keys (`rank << 32 | position`) in caller-owned storage.
struct MinHeap {
    private let keys: UnsafeMutablePointer<UInt64>
    private let capacity: Int
    private var count = 0

    init(keys: UnsafeMutablePointer<UInt64>, capacity: Int) {
        self.keys = keys
        self.capacity = capacity
    }

    mutating func push(_ key: UInt64) {
        precondition(count < capacity, "MinHeap capacity exceeded")
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if keys[parent] <= key { break }
            keys[i] = keys[parent]
            i = parent
        }
        keys[i] = key
    }

    mutating func pop() -> UInt64? {
        guard count > 0 else { return nil }
        let top = keys[0]
        count -= 1
        if count == 0 { return top }
        let key = keys[count]
        var i = 0
        while true {
            var child = 2 * i + 1
            if child >= count { break }
            if child + 1 < count, keys[child + 1] < keys[child] { child += 1 }
            if key <= keys[child] { break }
            keys[i] = keys[child]
            i = child
        }
        keys[i] = key
        return top
    }
}
