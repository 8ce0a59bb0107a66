/// A file's footer (`FileMetaData`): its schema, row count and row groups.
struct FileMetaData: Sendable {
    var version: Int32
    /// The schema tree, flattened depth first; element 0 is the root.
    var schema: [SchemaElement]
    var numRows: Int64
    var rowGroups: [RowGroup]
    /// `key_value_metadata` (pyarrow's `ARROW:schema`, pandas' metadata, ...), in file order.
    var keyValueMetadata: [(key: String, value: String?)]
    var createdBy: String?

    init(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) {
        var version: Int32?
        var schema: [SchemaElement]?
        var numRows: Int64?
        var rowGroups: [RowGroup]?
        keyValueMetadata = []
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): version = try reader.readI32()
            case (2, .list): schema = try reader.readList(of: .struct) { r throws(ThriftCompactReader.Failure) in try SchemaElement(from: &r) }
            case (3, .i64): numRows = try reader.readI64()
            case (4, .list): rowGroups = try reader.readList(of: .struct) { r throws(ThriftCompactReader.Failure) in try RowGroup(from: &r) }
            case (5, .list): keyValueMetadata = try reader.readList(of: .struct) { r throws(ThriftCompactReader.Failure) in try Self.keyValue(from: &r) }
            case (6, .binary): createdBy = try reader.readString()
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        guard let version, let schema, let numRows, let rowGroups else {
            throw reader.failure("file metadata without its version, schema, row count or row groups")
        }
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
    }

    /// `KeyValue { 1: required string key; 2: optional string value }`.
    private static func keyValue(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) -> (key: String, value: String?) {
        var key: String?
        var value: String?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .binary): key = try reader.readString()
            case (2, .binary): value = try reader.readString()
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        guard let key else { throw reader.failure("key-value metadata without a key") }
        return (key, value)
    }
}
