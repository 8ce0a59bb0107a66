/// One column of a flat Parquet file that `ParquetWriter` writes: its name, what its values are, and
/// whether a row may leave it null.
public struct ParquetColumnSpec: Sendable, Equatable {
    /// What a column holds, and so its physical type in the file.
    public enum Kind: Sendable, Equatable {
        /// UTF-8 text: `BYTE_ARRAY` annotated `STRING` (converted type `UTF8`), so readers see strings.
        case string
        /// `INT64`, no annotation.
        case int64
        /// `DOUBLE` (IEEE 754 binary64).
        case double
        /// `BOOLEAN`.
        case boolean
    }

    /// The field name in the schema (one level: the files are flat).
    public var name: String
    public var kind: Kind
    /// An `OPTIONAL` field (rows may give nil) rather than a `REQUIRED` one.
    public var nullable: Bool

    public init(name: String, kind: Kind, nullable: Bool) {
        self.name = name
        self.kind = kind
        self.nullable = nullable
    }

    /// The physical type the column's values are stored as.
    var physicalType: ParquetPhysicalType {
        switch kind {
        case .string: .byteArray
        case .int64: .int64
        case .double: .double
        case .boolean: .boolean
        }
    }
}
