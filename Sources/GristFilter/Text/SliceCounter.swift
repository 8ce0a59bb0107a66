/// Counts of text pieces (scalar ranges) by content, in first-seen order, without allocating per piece.
///
/// An open-addressing table of piece indices keyed by a 64-bit hash; equal hashes are confirmed by
/// comparing the scalars, so results never depend on hash collisions.
struct SliceCounter {
    struct Entry {
        var start: Int32
        var end: Int32
        var count: Int32
        var hash: UInt64
    }

    /// Each slot holds the high 32 bits of a piece's hash and its index + 1 (0: empty), so a probe
    /// that meets another piece usually stops at the slot without touching `entries`.
    private var slots: [UInt64]
    private var mask: Int
    /// Distinct pieces in first-seen order.
    private(set) var entries: [Entry] = []

    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity *= 2 }
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        entries.reserveCapacity(expected)
    }

    /// Forgets every piece, keeping the memory (for a next round of at most `expected` pieces).
    mutating func reset(expected: Int) {
        if expected * 2 > slots.count {
            self = SliceCounter(expected: expected)
            return
        }
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        entries.removeAll(keepingCapacity: true)
    }

    /// Adds one occurrence of `t[s..<e]` whose hash is `hash`; returns whether it was seen before.
    @discardableResult
    mutating func add(_ t: UnsafeBufferPointer<UInt32>, _ s: Int, _ e: Int, hash: UInt64) -> Bool {
        insert(t, s, e, hash: hash).existed
    }

    /// Adds one occurrence of `t[s..<e]`; returns its distinct index and whether it was seen before.
    mutating func insert(_ t: UnsafeBufferPointer<UInt32>, _ s: Int, _ e: Int, hash: UInt64) -> (index: Int, existed: Bool) {
        if entries.count * 2 >= slots.count { grow() }
        let mask = self.mask
        let next = entries.count
        let found: Int? = slots.withUnsafeMutableBufferPointer { slots in
            entries.withUnsafeMutableBufferPointer { entries in
                let found = PositionSet.Inserter(slots: slots, mask: mask).find(orInsert: next, hash: hash) { index in
                    equalScalars(t, Int(entries[index].start), Int(entries[index].end), t, s, e)
                }
                if let found { entries[found].count += 1 }
                return found
            }
        }
        if let found { return (found, true) }
        entries.append(Entry(start: Int32(s), end: Int32(e), count: 1, hash: hash))
        return (next, false)
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (entry.hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
        }
    }

    var distinct: Int { entries.count }
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
