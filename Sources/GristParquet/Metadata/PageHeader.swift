/// The header before every page of a column chunk (`PageHeader`): its kind, sizes and the header of
/// its kind.
struct PageHeader: Sendable {
    /// Raw `PageType`.
    var type: Int32
    /// Bytes of the page once decompressed (for data page v2: with the levels, which are never compressed).
    var uncompressedPageSize: Int32
    /// Bytes of the page as stored, after this header.
    var compressedPageSize: Int32
    var dataPage: DataPageHeader?
    var dictionaryPage: DictionaryPageHeader?
    var dataPageV2: DataPageHeaderV2?

    init(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) {
        var type: Int32?
        var uncompressed: Int32?
        var compressed: Int32?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): type = try reader.readI32()
            case (2, .i32): uncompressed = try reader.readI32()
            case (3, .i32): compressed = try reader.readI32()
            case (5, .struct): dataPage = try DataPageHeader(from: &reader)
            case (7, .struct): dictionaryPage = try DictionaryPageHeader(from: &reader)
            case (8, .struct): dataPageV2 = try DataPageHeaderV2(from: &reader)
            default: try reader.skip(field.type)  // crc, index page header, statistics
            }
        }
        reader.structEnd()
        guard let type, let uncompressed, let compressed else {
            throw reader.failure("page header without its type or sizes")
        }
        self.type = type
        self.uncompressedPageSize = uncompressed
        self.compressedPageSize = compressed
    }
}

/// A data page v1's header: levels and values are compressed together.
struct DataPageHeader: Sendable {
    /// Values in the page, nulls included (for a flat column: its rows).
    var numValues: Int32
    /// Raw `Encoding` of the values, of the definition levels and of the repetition levels.
    var encoding: Int32
    var definitionLevelEncoding: Int32
    var repetitionLevelEncoding: Int32

    init(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) {
        var numValues: Int32?
        var encoding: Int32?
        var definition: Int32?
        var repetition: Int32?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): numValues = try reader.readI32()
            case (2, .i32): encoding = try reader.readI32()
            case (3, .i32): definition = try reader.readI32()
            case (4, .i32): repetition = try reader.readI32()
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        guard let numValues, let encoding, let definition, let repetition else {
            throw reader.failure("data page header without one of its required fields")
        }
        self.numValues = numValues
        self.encoding = encoding
        self.definitionLevelEncoding = definition
        self.repetitionLevelEncoding = repetition
    }
}

/// A data page v2's header: the levels come first, uncompressed, with their byte lengths here.
struct DataPageHeaderV2: Sendable {
    var numValues: Int32
    var numNulls: Int32
    var numRows: Int32
    /// Raw `Encoding` of the values.
    var encoding: Int32
    var definitionLevelsByteLength: Int32
    var repetitionLevelsByteLength: Int32
    /// Whether the values section is compressed with the chunk's codec (default true).
    var isCompressed: Bool

    init(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) {
        var numValues: Int32?
        var numNulls: Int32?
        var numRows: Int32?
        var encoding: Int32?
        var definition: Int32?
        var repetition: Int32?
        isCompressed = true
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): numValues = try reader.readI32()
            case (2, .i32): numNulls = try reader.readI32()
            case (3, .i32): numRows = try reader.readI32()
            case (4, .i32): encoding = try reader.readI32()
            case (5, .i32): definition = try reader.readI32()
            case (6, .i32): repetition = try reader.readI32()
            case (7, .boolTrue), (7, .boolFalse): isCompressed = try reader.boolValue(field.type)
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        guard let numValues, let numNulls, let numRows, let encoding, let definition, let repetition else {
            throw reader.failure("data page v2 header without one of its required fields")
        }
        self.numValues = numValues
        self.numNulls = numNulls
        self.numRows = numRows
        self.encoding = encoding
        self.definitionLevelsByteLength = definition
        self.repetitionLevelsByteLength = repetition
    }
}

/// A dictionary page's header: the distinct values that dictionary-encoded pages index.
struct DictionaryPageHeader: Sendable {
    var numValues: Int32
    /// Raw `Encoding` (PLAIN, or PLAIN_DICTIONARY in old files: both mean plain values).
    var encoding: Int32

    init(from reader: inout ThriftCompactReader) throws(ThriftCompactReader.Failure) {
        var numValues: Int32?
        var encoding: Int32?
        try reader.structBegin()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): numValues = try reader.readI32()
            case (2, .i32): encoding = try reader.readI32()
            default: try reader.skip(field.type)
            }
        }
        reader.structEnd()
        guard let numValues, let encoding else { throw reader.failure("dictionary page header without its count or encoding") }
        self.numValues = numValues
        self.encoding = encoding
    }
}
