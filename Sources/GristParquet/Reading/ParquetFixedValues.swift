/// One row group's values of a fixed-width column (booleans, integers, floats, timestamps): a value
/// per row, nulls holding zero, and which rows are null.
public struct ParquetFixedValues<Value: Sendable & BitwiseCopyable>: Sendable {
    /// One value per row; a null row holds zero (false).
    public let values: [Value]
    /// Per row, whether it has a value; nil when no row is null.
    public let validity: [Bool]?

    /// Values, one per row, and validity (nil: no nulls); for tests and adapters.
    public init(values: [Value], validity: [Bool]?) {
        self.values = values
        self.validity = validity
    }

    /// Rows, null ones included.
    public var count: Int { values.count }

    public func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }

    /// Row `row`'s value, or nil when null.
    public subscript(row: Int) -> Value? { isNull(row) ? nil : values[row] }
}
