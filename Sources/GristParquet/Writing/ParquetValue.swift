/// One value of a row given to `ParquetWriter.append(_:)`; `nil` in the row stands for null.
///
/// Strings are UTF-8 bytes, never `String`: `.bytes` points into the caller's memory (a document's
/// text, a memory-mapped file) and is copied during `append`, so a row costs no text allocation. The
/// writer does not validate UTF-8: callers pass text they have validated.
public enum ParquetValue {
    /// UTF-8 bytes read during `append` only (the pointer need not outlive the call).
    case bytes(UnsafeRawBufferPointer)
    /// UTF-8 bytes held by an array.
    case byteArray([UInt8])
    case int64(Int64)
    case double(Double)
    case bool(Bool)

    /// The UTF-8 bytes of `text` (an allocation per value: for tests and small columns).
    public static func string(_ text: String) -> ParquetValue { .byteArray(Array(text.utf8)) }

    /// The longest string a page can hold (Parquet's sizes are 32-bit).
    static let maxByteCount = Int(Int32.max) - 64

    /// Whether this value can go in a column of `kind`.
    func fits(_ kind: ParquetColumnSpec.Kind) -> Bool {
        switch (self, kind) {
        case (.bytes, .string), (.byteArray, .string), (.int64, .int64), (.double, .double), (.bool, .boolean): true
        default: false
        }
    }

    /// The bytes this value adds to a row group's size (what `ParquetWriterOptions.rowGroupBytes` counts).
    var byteSize: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .byteArray(let bytes): bytes.count
        case .int64, .double: 8
        case .bool: 1
        }
    }

    /// A short name of the value's kind, for error messages.
    var kindName: String {
        switch self {
        case .bytes, .byteArray: "bytes"
        case .int64: "int64"
        case .double: "double"
        case .bool: "bool"
        }
    }
}
