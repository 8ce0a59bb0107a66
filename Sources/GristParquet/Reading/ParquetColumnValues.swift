/// One row group's values of one column, in the type the column's physical and logical types give,
/// with nulls kept by row.
///
/// Strings and binary come as `ParquetByteArrays` (one buffer, offsets); the other types as a value
/// per row. Integers keep their physical width, except unsigned 32-bit ones (`UINT_32`), which arrive
/// as `int64s` so that values past 2^31 stay positive; INT96 (Impala's timestamps) arrive as
/// nanosecond `timestamps`, as pyarrow reads them.
public enum ParquetColumnValues: Sendable {
    /// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY (strings, binary, UUIDs, decimals as stored).
    case byteArrays(ParquetByteArrays)
    case booleans(ParquetFixedValues<Bool>)
    /// INT32 (also INT_8, INT_16, UINT_8, UINT_16, and TIME/DECIMAL values as stored).
    case int32s(ParquetFixedValues<Int32>)
    /// INT64 (also UINT_32, widened).
    case int64s(ParquetFixedValues<Int64>)
    /// INT64 annotated as unsigned (UINT_64).
    case uint64s(ParquetFixedValues<UInt64>)
    case floats(ParquetFixedValues<Float>)
    case doubles(ParquetFixedValues<Double>)
    /// INT64 TIMESTAMP (counts of `unit` since 1970-01-01 00:00:00), and INT96 (nanoseconds).
    case timestamps(ParquetFixedValues<Int64>, unit: ParquetTimeUnit, adjustedToUTC: Bool)
    /// INT32 DATE: days since 1970-01-01.
    case dates(ParquetFixedValues<Int32>)

    /// Rows, null ones included.
    public var count: Int {
        switch self {
        case .byteArrays(let v): v.count
        case .booleans(let v): v.count
        case .int32s(let v): v.count
        case .int64s(let v): v.count
        case .uint64s(let v): v.count
        case .floats(let v): v.count
        case .doubles(let v): v.count
        case .timestamps(let v, _, _): v.count
        case .dates(let v): v.count
        }
    }

    /// Whether row `row` is null.
    public func isNull(_ row: Int) -> Bool {
        switch self {
        case .byteArrays(let v): v.isNull(row)
        case .booleans(let v): v.isNull(row)
        case .int32s(let v): v.isNull(row)
        case .int64s(let v): v.isNull(row)
        case .uint64s(let v): v.isNull(row)
        case .floats(let v): v.isNull(row)
        case .doubles(let v): v.isNull(row)
        case .timestamps(let v, _, _): v.isNull(row)
        case .dates(let v): v.isNull(row)
        }
    }

    /// Rows that are null.
    public var nullCount: Int {
        var nulls = 0
        for row in 0..<count where isNull(row) { nulls += 1 }
        return nulls
    }

    /// Appends row `row` as text to `out` and returns true, or returns false (appending nothing) when
    /// it is null. Byte arrays are appended as they are (strings are UTF-8 by the format; not
    /// validated here); numbers in decimal (floats shortest round-trip, `nan`, `inf`); booleans
    /// `true`/`false`; timestamps in ISO 8601 as Python's `datetime.isoformat()` writes pyarrow's
    /// values (`2024-01-02T03:04:05.123456`, no fraction when it is zero, 9 digits only when there
    /// are nanoseconds, `+00:00` when adjusted to UTC); dates `2024-01-02`.
    @discardableResult
    public func appendText(ofRow row: Int, to out: inout [UInt8]) -> Bool {
        guard !isNull(row) else { return false }
        switch self {
        case .byteArrays(let v):
            out.append(contentsOf: v.bytes[v.offsets[row]..<v.offsets[row + 1]])
        case .booleans(let v):
            out.append(contentsOf: v.values[row] ? "true".utf8 : "false".utf8)
        case .int32s(let v): ValueText.appendDecimal(Int64(v.values[row]), to: &out)
        case .int64s(let v): ValueText.appendDecimal(v.values[row], to: &out)
        case .uint64s(let v): ValueText.appendDecimal(v.values[row], to: &out)
        case .floats(let v): out.append(contentsOf: ValueText.float(v.values[row]).utf8)
        case .doubles(let v): out.append(contentsOf: ValueText.float(v.values[row]).utf8)
        case .timestamps(let v, let unit, let utc):
            ValueText.appendTimestamp(v.values[row], unit: unit, adjustedToUTC: utc, to: &out)
        case .dates(let v): ValueText.appendDate(daysSince1970: Int64(v.values[row]), to: &out)
        }
        return true
    }

    /// Row `row` as text (see `appendText(ofRow:to:)`), or nil when null.
    public func text(ofRow row: Int) -> [UInt8]? {
        var out: [UInt8] = []
        return appendText(ofRow: row, to: &out) ? out : nil
    }

    /// Row `row` as a `String` (invalid UTF-8 repaired), or nil when null: for metadata and messages.
    public func string(ofRow row: Int) -> String? {
        text(ofRow: row).map { String(decoding: $0, as: UTF8.self) }
    }
}
