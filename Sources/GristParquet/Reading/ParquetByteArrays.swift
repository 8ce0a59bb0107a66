/// One row group's values of a BYTE_ARRAY (strings, binary) or FIXED_LEN_BYTE_ARRAY column: every
/// value's bytes back to back in one buffer, found by offsets, so a million strings cost three arrays
/// rather than a million allocations.
public struct ParquetByteArrays: Sendable {
    /// All values' bytes, in row order; null rows have none.
    public let bytes: [UInt8]
    /// `count + 1` offsets into `bytes`: row i is `bytes[offsets[i] ..< offsets[i + 1]]`.
    public let offsets: [Int]
    /// Per row, whether it has a value; nil when no row is null.
    public let validity: [Bool]?

    /// Values from their bytes, `count + 1` offsets and validity (nil: no nulls); for tests and adapters.
    public init(bytes: [UInt8], offsets: [Int], validity: [Bool]?) {
        self.bytes = bytes
        self.offsets = offsets
        self.validity = validity
    }

    /// Rows, null ones included.
    public var count: Int { offsets.count - 1 }

    public func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }

    /// Row `row`'s bytes (a slice of `bytes`, no copy), or nil when null.
    public subscript(row: Int) -> ArraySlice<UInt8>? {
        isNull(row) ? nil : bytes[offsets[row]..<offsets[row + 1]]
    }

    /// Calls `body` with row `row`'s bytes (nil when null), without copying them.
    public func withBytes<R>(ofRow row: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        if isNull(row) { return try body(nil) }
        return try bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[offsets[row]..<offsets[row + 1]]))
        }
    }
}
