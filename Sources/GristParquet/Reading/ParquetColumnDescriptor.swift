/// One top-level column of a Parquet file, as `ParquetFile.columns` lists them in schema order.
///
/// Flat primitive columns are read; a group (struct, list, map) or a repeated field is listed with
/// `isNested` so that a caller can name it in an error, and reading it fails.
public struct ParquetColumnDescriptor: Sendable {
    /// The field's name at the top level of the schema.
    public let name: String
    /// How values are stored; for a nested column, its first leaf's type.
    public let physicalType: ParquetPhysicalType
    /// Whether values may be null (`OPTIONAL`).
    public let isOptional: Bool
    /// Whether the column holds UTF-8 text (BYTE_ARRAY annotated STRING, ENUM or JSON, or UTF8).
    public let isString: Bool
    /// The unit of a TIMESTAMP column (INT96 timestamps count nanoseconds); nil for other columns.
    public let timestampUnit: ParquetTimeUnit?
    /// A group or repeated field: listed, but not read here.
    public let isNested: Bool

    /// What the reader needs beyond the public description.
    let logicalType: LogicalType?
    let convertedType: ParquetConvertedType?
    /// FIXED_LEN_BYTE_ARRAY's width.
    let typeLength: Int?
    /// The index of the column's (first) leaf among the row groups' column chunks.
    let leafIndex: Int
    /// Leaves under the column (1 for a flat column).
    let leafCount: Int

    init(leaf element: SchemaElement, physicalType: ParquetPhysicalType, leafIndex: Int) {
        name = element.name
        self.physicalType = physicalType
        isOptional = element.repetition == ParquetRepetition.optional.rawValue
        isNested = element.repetition == ParquetRepetition.repeated.rawValue
        logicalType = element.logicalType
        convertedType = element.convertedType.flatMap(ParquetConvertedType.init(rawValue:))
        typeLength = element.typeLength.map(Int.init)
        self.leafIndex = leafIndex
        leafCount = 1
        let textual: Bool =
            switch (logicalType, convertedType) {
            case (.string?, _), (.enum?, _), (.json?, _): true
            case (nil, .utf8?), (nil, .enum?), (nil, .json?): true
            default: false
            }
        isString = physicalType == .byteArray && textual
        timestampUnit =
            switch (physicalType, logicalType, convertedType) {
            case (.int96, _, _): .nanoseconds
            case (.int64, .timestamp(let unit, _)?, _): unit
            case (.int64, nil, .timestampMillis?): .milliseconds
            case (.int64, nil, .timestampMicros?): .microseconds
            default: nil
            }
    }

    init(group element: SchemaElement, firstLeafType: ParquetPhysicalType, leafIndex: Int, leafCount: Int) {
        name = element.name
        physicalType = firstLeafType
        isOptional = element.repetition == ParquetRepetition.optional.rawValue
        isString = false
        timestampUnit = nil
        isNested = true
        logicalType = element.logicalType
        convertedType = element.convertedType.flatMap(ParquetConvertedType.init(rawValue:))
        typeLength = nil
        self.leafIndex = leafIndex
        self.leafCount = leafCount
    }

    /// Whether INT64 (TIMESTAMP) values count from 1970 in UTC (`isAdjustedToUTC`, and the old
    /// TIMESTAMP_MILLIS/MICROS annotations, which meant UTC).
    var isAdjustedToUTC: Bool {
        switch (logicalType, convertedType) {
        case (.timestamp(_, let utc)?, _): utc
        case (nil, .timestampMillis?), (nil, .timestampMicros?): true
        default: false
        }
    }

    /// Whether an integer column is unsigned (UINT_8 ... UINT_64, or INTEGER(_, false)).
    var isUnsigned: Bool {
        switch (logicalType, convertedType) {
        case (.integer(_, let signed)?, _): !signed
        case (nil, .uint8?), (nil, .uint16?), (nil, .uint32?), (nil, .uint64?): true
        default: false
        }
    }

    /// Whether an INT32 column holds dates (days since 1970).
    var isDate: Bool {
        switch (logicalType, convertedType) {
        case (.date?, _), (nil, .date?): true
        default: false
        }
    }
}
