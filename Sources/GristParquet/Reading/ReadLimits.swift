/// The limits that keep a hostile or broken file from making the reader allocate without bound:
/// every size in the metadata is checked against them (and against the file) before any allocation.
///
/// The ratio guard follows `ExpansionGuard`'s idea: real data compresses 3-20x (up to about 50x on
/// very repetitive columns), a decompression bomb thousands of times, and small outputs are never
/// flagged.
enum ReadLimits {
    /// Largest footer (file metadata) read.
    static let maxFooterBytes = 256 << 20
    /// Largest page, once decompressed.
    static let maxPageBytes = 1 << 30
    /// Most rows in one row group (page value counts are 32-bit, and a row's cost is spent from
    /// `ColumnBudget` before its values are allocated).
    static let maxRowsPerRowGroup = Int(Int32.max)
    /// Outputs up to this size are never called a decompression bomb...
    static let expansionFloorBytes = 64 << 20
    /// ...above it, expanding more than this many times is.
    static let maxExpansionRatio = 1000

    /// The failure for a page declaring `uncompressed` bytes from `compressed`, or nil when it may be read.
    static func checkPage(compressed: Int, uncompressed: Int) -> DecodeFailure? {
        if uncompressed > maxPageBytes {
            return .corrupt("page declares \(uncompressed) bytes decompressed, over the limit of \(maxPageBytes)")
        }
        if uncompressed > expansionFloorBytes, uncompressed / maxExpansionRatio > compressed {
            return DecodeFailure(
                kind: .skip(.decompressionBomb),
                message: "page declares \(uncompressed) bytes decompressed from \(compressed) compressed bytes "
                    + "(over \(maxExpansionRatio)x): a decompression bomb")
        }
        return nil
    }
}

/// Bytes of values one column chunk may decode to: `ReadLimits.maxExpansionRatio` times its stored
/// bytes, and never less than `ReadLimits.expansionFloorBytes`. Run-length and dictionary encodings
/// let a few bytes stand for many values (a bomb without compression): each page's output is spent
/// from this budget before it is allocated.
struct ColumnBudget {
    let limit: Int
    private(set) var spent = 0

    init(storedBytes: Int) {
        let (product, overflow) = storedBytes.multipliedReportingOverflow(by: ReadLimits.maxExpansionRatio)
        limit = max(ReadLimits.expansionFloorBytes, overflow ? Int.max : product)
    }

    /// Takes `bytes` from the budget, or fails with `.decompressionBomb`.
    mutating func spend(_ bytes: Int, for what: @autoclosure () -> String) throws(DecodeFailure) {
        let (total, overflow) = spent.addingReportingOverflow(bytes)
        guard !overflow, total <= limit else {
            throw DecodeFailure(
                kind: .skip(.decompressionBomb),
                message: "\(what()) would make the column chunk's values over \(limit) bytes, more than "
                    + "\(ReadLimits.maxExpansionRatio)x its stored bytes: a decompression bomb")
        }
        spent = total
    }
}
