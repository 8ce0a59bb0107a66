/// The fixed-size records of deduplication's work files. Plain integers with explicit padding fields
/// (always zero), so a record's bytes are fully defined.

/// One document's LSH band key (document numbers are local to an input file on disk, global in sorts).
struct BandRecord: BitwiseCopyable, Comparable {
    var key: UInt64
    var document: UInt32
    var zero: UInt32 = 0

    static func < (a: Self, b: Self) -> Bool { (a.key, a.document) < (b.key, b.document) }
}

/// One document's exact key.
struct ExactRecord: BitwiseCopyable, Comparable {
    var high: UInt64
    var low: UInt64
    var document: UInt32
    var zero: UInt32 = 0

    static func < (a: Self, b: Self) -> Bool { (a.high, a.low, a.document) < (b.high, b.low, b.document) }
}

/// A candidate pair of documents, `first < second`.
struct PairRecord: BitwiseCopyable, Comparable {
    var first: UInt32
    var second: UInt32

    static func < (a: Self, b: Self) -> Bool { (a.first, a.second) < (b.first, b.second) }
}

/// What the clustering step needs of each document, in document order per input file.
struct SketchedDocument: BitwiseCopyable {
    /// Index of the document's first shingle in the file's shingle spill (in shingles, not bytes).
    var shingleOffset: UInt64
    var shingleCount: UInt32
    /// Bytes of the text (for `keep: longest`), saturated at 2³² − 1.
    var byteCount: UInt32
    var exactHigh: UInt64
    var exactLow: UInt64
    /// Lower is preferred (for `keep: priority`).
    var priority: UInt32
    var zero: UInt32 = 0
    /// The URL key (URL deduplication); (0, 0) when the document has no URL or URL dedup is off.
    var urlHigh: UInt64 = 0
    var urlLow: UInt64 = 0

    var hasURL: Bool { urlHigh != 0 || urlLow != 0 }
}
