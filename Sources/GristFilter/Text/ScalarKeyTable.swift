/// A fixed set of short strings (as scalars) mapped to their index, built once, probed without allocating.
///
/// Open addressing over a power-of-two table of indices; every hit is confirmed by comparing scalars.
struct ScalarKeyTable: Sendable {
    /// All keys back to back.
    private let storage: [UInt32]
    /// Start of key i in `storage`; `starts[i + 1]` is its end.
    private let starts: [Int]
    private let slots: [Int32]
    private let mask: Int
    /// Length of the longest key, for a quick rejection.
    let maxLength: Int
    /// A bit per (length, first, last character) signature of the keys: most probes stop here.
    private let signatures: [UInt64]

    @inline(__always)
    private static func signature(_ length: Int, _ first: UInt32, _ last: UInt32) -> Int {
        (length & 15) << 10 | Int(first & 31) << 5 | Int(last & 31)
    }

    init(keys: [[UInt32]]) {
        var storage: [UInt32] = []
        var starts = [0]
        for key in keys {
            storage.append(contentsOf: key)
            starts.append(storage.count)
        }
        var capacity = 16
        while capacity < keys.count * 4 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        storage.withUnsafeBufferPointer { s in
            for (index, _) in keys.enumerated() {
                var slot = Int(truncatingIfNeeded: hashScalars(s, starts[index], starts[index + 1])) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(index)
            }
        }
        self.storage = storage
        self.starts = starts
        self.slots = slots
        self.mask = mask
        self.maxLength = keys.map(\.count).max() ?? 0
        var signatures = [UInt64](repeating: 0, count: 256)
        for key in keys where !key.isEmpty {
            let bit = Self.signature(key.count, key[0], key[key.count - 1])
            signatures[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        self.signatures = signatures
    }

    var count: Int { starts.count - 1 }

    /// The index of the key equal to `text[start..<end]`, if any.
    @inline(__always)
    func index(of text: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Int? {
        if end - start > maxLength || end <= start { return nil }
        let bit = Self.signature(end - start, text[start], text[end - 1])
        if signatures.withUnsafeBufferPointer({ ($0[bit >> 6] >> UInt64(bit & 63)) & 1 }) == 0 { return nil }
        return lookUp(text, start, end)
    }

    private func lookUp(_ text: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Int? {
        let hash = hashScalars(text, start, end)
        return storage.withUnsafeBufferPointer { s in
            slots.withUnsafeBufferPointer { slots in
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let index = Int(slots[slot])
                    if index < 0 { return nil }
                    if equalScalars(s, starts[index], starts[index + 1], text, start, end) { return index }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The scalars of key `index`.
    func key(_ index: Int) -> ArraySlice<UInt32> { storage[starts[index]..<starts[index + 1]] }
}
