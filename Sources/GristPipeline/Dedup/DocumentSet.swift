/// A set of document numbers, one bit each: the duplicates `grist dedup --write` leaves out.
struct DocumentSet: Sendable {
    private var words: [UInt64]

    init(capacity: Int) { words = Array(repeating: 0, count: (capacity + 63) / 64) }

    mutating func insert(_ document: Int) { words[document >> 6] |= 1 << UInt64(document & 63) }

    func contains(_ document: Int) -> Bool { words[document >> 6] & (1 << UInt64(document & 63)) != 0 }
}
