/// One node of a file's schema (`SchemaElement`): the schema is a tree flattened depth first, each
/// group giving its number of children; leaves carry a physical type.
struct SchemaElement: Sendable {
    /// Physical type (raw `Type` number); nil for a group.
    var type: Int32?
    var typeLength: Int32?
    /// Raw `FieldRepetitionType`; nil only for the root.
    var repetition: Int32?
    var name: String
    /// Children of a group; nil for a leaf.
    var numChildren: Int32?
    /// Raw `ConvertedType`.
    var convertedType: Int32?
    var logicalType: LogicalType?

    init(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) {
        var name: String?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): type = try reader.readI32()
            case (2, .i32): typeLength = try reader.readI32()
            case (3, .i32): repetition = try reader.readI32()
            case (4, .binary): name = try reader.readString()
            case (5, .i32): numChildren = try reader.readI32()
            case (6, .i32): convertedType = try reader.readI32()
            case (10, .struct): logicalType = try LogicalType(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        guard let name else { throw reader.failure("schema element without a name") }
        self.name = name
    }

    /// A group (it has children, or no physical type).
    var isGroup: Bool { numChildren != nil || type == nil }
}

/// The logical types this reader acts on (`LogicalType`, a Thrift union); the others are `.other`.
enum LogicalType: Sendable, Equatable {
    case string
    case `enum`
    case json
    case date
    case timestamp(unit: ParquetTimeUnit, adjustedToUTC: Bool)
    case integer(bitWidth: Int8, signed: Bool)
    /// A logical type this reader has no use for (map, list, decimal, time, uuid, ...), by field id.
    case other(Int16)

    init(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) {
        var found: LogicalType?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            guard field.type == .struct else {
                try reader.skip(field.type)
                continue
            }
            switch field.id {
            case 1: found = .string
            case 4: found = .enum
            case 6: found = .date
            case 12: found = .json
            case 8:
                found = try Self.timestamp(from: &reader)
                continue
            case 10:
                found = try Self.integer(from: &reader)
                continue
            default: found = .other(field.id)
            }
            try reader.skip(.struct)  // the marker struct (StringType, DateType, ...): empty
        }
        reader.structEnd()
        guard let found else { throw reader.failure("logical type with no member") }
        self = found
    }

    /// `TimestampType { 1: bool isAdjustedToUTC; 2: TimeUnit unit }`.
    private static func timestamp(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) -> LogicalType {
        var utc: Bool?
        var unit: ParquetTimeUnit?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .boolTrue), (1, .boolFalse): utc = try reader.boolValue(field.type)
            case (2, .struct): unit = try timeUnit(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        guard let utc, let unit else { throw reader.failure("timestamp logical type without its unit or UTC flag") }
        return .timestamp(unit: unit, adjustedToUTC: utc)
    }

    /// `TimeUnit`, a union: `1: MILLIS, 2: MICROS, 3: NANOS` (each an empty struct).
    private static func timeUnit(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) -> ParquetTimeUnit? {
        var unit: ParquetTimeUnit?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            if field.type == .struct {
                switch field.id {
                case 1: unit = .milliseconds
                case 2: unit = .microseconds
                case 3: unit = .nanoseconds
                default: break
                }
            }
            try reader.skip(field.type)
        }
        reader.structEnd()
        return unit
    }

    /// `IntType { 1: i8 bitWidth; 2: bool isSigned }`.
    private static func integer(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) -> LogicalType {
        var width: Int8?
        var signed: Bool?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .byte): width = Int8(bitPattern: try reader.readByte())
            case (2, .boolTrue), (2, .boolFalse): signed = try reader.boolValue(field.type)
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        guard let width, let signed else { throw reader.failure("integer logical type without its width or sign") }
        return .integer(bitWidth: width, signed: signed)
    }
}
