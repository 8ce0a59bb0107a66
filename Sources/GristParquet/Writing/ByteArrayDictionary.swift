#if canImport(Glibc)
import Glibc
#endif

/// The distinct values of a string column chunk in first-seen order, kept as the body of its PLAIN
/// dictionary page (a 4-byte little-endian length, then the bytes, per entry) with an open-addressing
/// index over it: a value is hashed and compared in place, and only a new value is copied.
struct ByteArrayDictionary {
    /// The dictionary page's body.
    private(set) var plain: [UInt8] = []
    /// Where each entry's bytes start in `plain` (after its length).
    private var starts: [Int] = []
    private var hashes: [UInt64] = []
    /// Entry numbers, -1 for an empty slot; a power of two in size, at most half full.
    private var slots: [Int32] = [Int32](repeating: -1, count: 1024)

    var count: Int { starts.count }

    /// The entry number of `value`, adding it when new.
    mutating func index(of value: UnsafeRawBufferPointer) -> (index: UInt32, isNew: Bool) {
        let hash = Self.hash(value)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash && equals(entry: entry, value) { return (UInt32(entry), false) }
            slot = (slot + 1) & mask
        }
        let entry = starts.count
        slots[slot] = Int32(entry)
        hashes.append(hash)
        var length = UInt32(value.count).littleEndian
        withUnsafeBytes(of: &length) { plain.append(contentsOf: $0) }
        starts.append(plain.count)
        plain.append(contentsOf: value)
        if starts.count * 2 > slots.count { grow() }
        return (UInt32(entry), true)
    }

    /// The bytes of entry `index`.
    func withEntry<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let start = starts[index]
        let end = index + 1 < starts.count ? starts[index + 1] - 4 : plain.count
        return plain.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Empties the dictionary for the next column chunk, keeping its memory.
    mutating func removeAll() {
        plain.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        for index in slots.indices { slots[index] = -1 }
    }

    private func equals(entry: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        withEntry(entry) { stored in
            stored.count == value.count && (value.isEmpty || memcmp(stored.baseAddress!, value.baseAddress!, value.count) == 0)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var grown = [Int32](repeating: -1, count: size)
        for (entry, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & (size - 1)
            while grown[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            grown[slot] = Int32(entry)
        }
        slots = grown
    }

    /// A 64-bit hash of bytes: 8 bytes at a time through a multiply and a rotation, finished with
    /// MurmurHash3's `fmix64`. Not seeded: the table's order never reaches the file (entries keep
    /// their first-seen order), so a fixed hash changes nothing but speed.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(bytes.count) &* multiplier
        var offset = 0
        if let base = bytes.baseAddress {
            while offset + 8 <= bytes.count {
                let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                hash = ((hash ^ word) &* multiplier).rotated(by: 29)
                offset += 8
            }
            if offset < bytes.count {
                var word: UInt64 = 0
                for index in offset..<bytes.count { word |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << UInt64(8 * (index - offset)) }
                hash = ((hash ^ word) &* multiplier).rotated(by: 29)
            }
        }
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotated(by count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}
