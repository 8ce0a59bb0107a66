import GristCore

/// Exact deduplication: the first document with a given fingerprint of its cleaned text is kept,
/// later ones are dropped as duplicates of it.
///
/// "First" is the pipeline's canonical order (source, file, record), never arrival order, so the
/// survivors do not depend on how many workers ran. Memory: one entry per distinct document.
public struct ExactDeduplicator: Sendable {
    private var firstSeen: [Fingerprint: Int64] = [:]

    public init() {}

    /// Registers `fingerprint` for document `id`; returns the id of the earlier document it duplicates.
    public mutating func check(_ fingerprint: Fingerprint, id: Int64) -> Int64? {
        if let first = firstSeen[fingerprint] { return first }
        firstSeen[fingerprint] = id
        return nil
    }

    public var distinctCount: Int { firstSeen.count }
}
