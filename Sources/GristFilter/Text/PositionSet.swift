/// A set of non-negative integers (positions, entry indices) keyed by the hash of what they stand for:
/// one 8-byte slot each (the high 32 bits of the hash and the value + 1), no other storage; equality is
/// checked by the caller.
struct PositionSet {
    private var slots: [UInt64] = []
    private var mask = 0

    init() {}

    /// Empties the set for at most `expected` values (at most half full, reusing the memory when it is
    /// large enough).
    mutating func reset(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity *= 2 }
        if slots.count < capacity {
            slots = [UInt64](repeating: 0, count: capacity)
        } else {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        mask = slots.count - 1
    }

    /// Runs `body` with the set open for insertions: the slots are held once for the whole loop.
    @inline(__always)
    mutating func withInserter<R>(_ body: (Inserter) -> R) -> R {
        let mask = self.mask
        return slots.withUnsafeMutableBufferPointer { body(Inserter(slots: $0, mask: mask)) }
    }

    struct Inserter {
        let slots: UnsafeMutableBufferPointer<UInt64>
        let mask: Int

        /// The value already in the set that `same` says is equal to `value`, or nil after inserting
        /// `value`. At most `expected` values may be inserted between resets.
        @inline(__always)
        func find(orInsert value: Int, hash: UInt64, same: (Int) -> Bool) -> Int? {
            let tag = hash & 0xFFFF_FFFF_0000_0000
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let stored = slots[slot]
                if stored == 0 {
                    slots[slot] = tag | UInt64(value + 1)
                    return nil
                }
                if stored & 0xFFFF_FFFF_0000_0000 == tag {
                    let other = Int(stored & 0xFFFF_FFFF) - 1
                    if same(other) { return other }
                }
                slot = (slot + 1) & mask
            }
        }
    }
}
