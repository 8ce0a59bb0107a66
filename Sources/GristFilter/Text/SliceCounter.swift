/// Counts of text pieces (scalar ranges) by content, in first-seen order, without allocating per piece.
///
/// An open-addressing table of piece indices keyed by a 64-bit hash; equal hashes are confirmed by
/// comparing the scalars, so results never depend on hash collisions.
struct SliceCounter {
    private var slots: [Int32]
    private var mask: Int
    /// Distinct pieces in first-seen order: their range, hash and count.
    private(set) var starts: [Int32] = []
    private(set) var ends: [Int32] = []
    private var hashes: [UInt64] = []
    private(set) var counts: [Int32] = []

    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity *= 2 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    /// Adds one occurrence of `t[s..<e]` whose hash is `hash`; returns whether it was seen before.
    @discardableResult
    mutating func add(_ t: UnsafeBufferPointer<UInt32>, _ s: Int, _ e: Int, hash: UInt64) -> Bool {
        insert(t, s, e, hash: hash).existed
    }

    /// Adds one occurrence of `t[s..<e]`; returns its distinct index and whether it was seen before.
    mutating func insert(_ t: UnsafeBufferPointer<UInt32>, _ s: Int, _ e: Int, hash: UInt64) -> (index: Int, existed: Bool) {
        if starts.count * 2 >= slots.count { grow() }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            if hashes[index] == hash, equalScalars(t, Int(starts[index]), Int(ends[index]), t, s, e) {
                counts[index] += 1
                return (index, true)
            }
            slot = (slot + 1) & mask
        }
        let index = starts.count
        slots[slot] = Int32(index)
        starts.append(Int32(s))
        ends.append(Int32(e))
        hashes.append(hash)
        counts.append(1)
        return (index, false)
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    var distinct: Int { starts.count }
}

/// datatrove's `find_duplicates`: how many pieces repeat an earlier one, and their total length.
func findDuplicates(_ t: UnsafeBufferPointer<UInt32>, _ pieces: [(Int, Int)]) -> (elements: Int, chars: Int) {
    var counter = SliceCounter(expected: pieces.count)
    var elements = 0, chars = 0
    for (s, e) in pieces where counter.add(t, s, e, hash: hashScalars(t, s, e)) {
        elements += 1
        chars += e - s
    }
    return (elements, chars)
}
