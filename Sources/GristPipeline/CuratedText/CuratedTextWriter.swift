import GristCore

/// One value of a curated text document's field: text (UTF-8 bytes) or an integer; nil is a missing
/// metadata value.
enum CuratedTextValue {
    case string([UInt8])
    case integer(Int)
}

/// Writes one file of the curated text: one row per document, its values in the order of the fields
/// it was opened with. Each format is one implementation, which `CuratedTextConfig.open` picks: JSON
/// Lines (`JSONLinesTextWriter`), Parquet (`ParquetTextWriter`: a string or int64 column per field,
/// nullable for metadata).
protocol CuratedTextWriter: AnyObject {
    /// Appends a document; `values[i]` is the value of field `i` (nil: missing, only for metadata).
    func append(_ values: [CuratedTextValue?]) throws
    /// Completes the file, whole or not at all (the others are not finished when an error is thrown);
    /// returns its SHA-256 (hex) and size.
    func finish() throws -> (sha256: String, byteCount: Int)
}

extension CuratedTextConfig {
    /// A writer of this section's format for the file at `path`, with columns `fields`.
    func open(path: String, fields: [CuratedTextField]) throws -> any CuratedTextWriter {
        switch format {
        case .jsonlZst: try JSONLinesTextWriter(path: path, fields: fields)
        case .parquet: try ParquetTextWriter(path: path, fields: fields, compression: compression ?? .snappy)
        }
    }
}
