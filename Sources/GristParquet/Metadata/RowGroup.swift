/// One row group of the footer (`RowGroup`): a column chunk per leaf column, and its row count.
struct RowGroup: Sendable {
    var columns: [ColumnChunk]
    var totalByteSize: Int64
    var numRows: Int64
    var fileOffset: Int64?
    var totalCompressedSize: Int64?

    init(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) {
        var columns: [ColumnChunk]?
        var totalByteSize: Int64?
        var numRows: Int64?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .list): columns = try reader.readList(of: .struct) { r throws(ThriftCompactReader.Failure) in try ColumnChunk(from: &r) }
            case (2, .i64): totalByteSize = try reader.readI64()
            case (3, .i64): numRows = try reader.readI64()
            case (5, .i64): fileOffset = try reader.readI64()
            case (6, .i64): totalCompressedSize = try reader.readI64()
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        guard let columns, let totalByteSize, let numRows else {
            throw reader.failure("row group without its columns, size or row count")
        }
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
    }
}

/// Where one column's values of one row group are (`ColumnChunk`).
struct ColumnChunk: Sendable {
    /// Set when the chunk lives in another file (not supported here).
    var filePath: String?
    var fileOffset: Int64
    var metaData: ColumnMetaData?

    init(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) {
        var fileOffset: Int64?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .binary): filePath = try reader.readString()
            case (2, .i64): fileOffset = try reader.readI64()
            case (3, .struct): metaData = try ColumnMetaData(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        // file_offset is deprecated; some writers leave it out. 0 is what they mean.
        self.fileOffset = fileOffset ?? 0
    }
}

/// A column chunk's description (`ColumnMetaData`): its pages' type, codec, value count and place.
struct ColumnMetaData: Sendable {
    /// Raw physical `Type`.
    var type: Int32
    /// Raw `Encoding`s used in the chunk (informational: each page names its own).
    var encodings: [Int32]
    var pathInSchema: [String]
    /// Raw `CompressionCodec`.
    var codec: Int32
    var numValues: Int64
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var dataPageOffset: Int64
    var indexPageOffset: Int64?
    var dictionaryPageOffset: Int64?

    init(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) {
        var type: Int32?
        var encodings: [Int32]?
        var path: [String]?
        var codec: Int32?
        var numValues: Int64?
        var uncompressed: Int64?
        var compressed: Int64?
        var dataPageOffset: Int64?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): type = try reader.readI32()
            case (2, .list): encodings = try reader.readList(of: .i32) { r throws(ThriftCompactReader.Failure) in try r.readI32() }
            case (3, .list): path = try reader.readList(of: .binary) { r throws(ThriftCompactReader.Failure) in try r.readString() }
            case (4, .i32): codec = try reader.readI32()
            case (5, .i64): numValues = try reader.readI64()
            case (6, .i64): uncompressed = try reader.readI64()
            case (7, .i64): compressed = try reader.readI64()
            case (9, .i64): dataPageOffset = try reader.readI64()
            case (10, .i64): indexPageOffset = try reader.readI64()
            case (11, .i64): dictionaryPageOffset = try reader.readI64()
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        guard let type, let encodings, let path, let codec, let numValues, let uncompressed, let compressed,
              let dataPageOffset
        else { throw reader.failure("column metadata without one of its required fields") }
        self.type = type
        self.encodings = encodings
        self.pathInSchema = path
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = uncompressed
        self.totalCompressedSize = compressed
        self.dataPageOffset = dataPageOffset
    }
}
