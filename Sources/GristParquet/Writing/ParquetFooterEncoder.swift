/// The Thrift `FileMetaData` a writer ends its file with: the flat schema, each row group's column
/// chunks (where their pages are, their sizes, encodings and statistics) and the file's key-value
/// metadata. Field numbers are parquet.thrift's, named in the comments.
struct ParquetFooterEncoder {
    /// What the footer records of one column chunk.
    struct ColumnChunk {
        /// Every encoding its pages use, values and levels (ascending).
        var encodings: [ParquetEncoding]
        /// Rows, nulls included.
        var valueCount: Int
        /// The pages' bytes with their headers, before and after compression.
        var uncompressedSize: Int
        var compressedSize: Int
        var dataPageOffset: Int
        var dictionaryPageOffset: Int?
        var nullCount: Int?
        /// The PLAIN bytes of the minimum and maximum (no length prefix for strings).
        var minValue: [UInt8]?
        var maxValue: [UInt8]?
        /// How many pages of each kind and encoding.
        var pageCounts: [PageCount]

        struct PageCount: Equatable {
            var type: ParquetPageType
            var encoding: ParquetEncoding
            var count: Int
        }
    }

    struct RowGroup {
        var columns: [ColumnChunk]
        var rowCount: Int
        /// Where its first page starts.
        var fileOffset: Int
    }

    var columns: [ParquetColumnSpec]
    var codec: ParquetCompression
    var rowGroups: [RowGroup] = []
    var createdBy: String
    var metadata: [ParquetWriterOptions.KeyValue]

    /// The encoded `FileMetaData`.
    func encoded() -> [UInt8] {
        var thrift = ThriftCompactWriter(capacity: 1024)
        thrift.field(1, i32: 2)  // version: 2, for RLE_DICTIONARY pages (as Arrow writes)
        thrift.fieldListBegin(2, of: .struct, count: columns.count + 1)  // schema
        thrift.structBegin()  // the root: a group of the columns
        thrift.field(4, string: "schema")  // name
        thrift.field(5, i32: Int32(columns.count))  // num_children
        thrift.structEnd()
        for column in columns { writeSchemaElement(column, &thrift) }
        thrift.field(3, i64: Int64(rowGroups.reduce(0) { $0 + $1.rowCount }))  // num_rows
        thrift.fieldListBegin(4, of: .struct, count: rowGroups.count)  // row_groups
        for (ordinal, group) in rowGroups.enumerated() { writeRowGroup(group, ordinal: ordinal, &thrift) }
        if !metadata.isEmpty {
            thrift.fieldListBegin(5, of: .struct, count: metadata.count)  // key_value_metadata
            for entry in metadata {
                thrift.structBegin()
                thrift.field(1, string: entry.key)
                thrift.field(2, string: entry.value)
                thrift.structEnd()
            }
        }
        thrift.field(6, string: createdBy)  // created_by
        // column_orders: TYPE_ORDER for every column, so that readers trust min_value/max_value
        thrift.fieldListBegin(7, of: .struct, count: columns.count)
        for _ in columns {
            thrift.structBegin()  // ColumnOrder (a union)
            thrift.fieldStructBegin(1)  // TYPE_ORDER: TypeDefinedOrder, an empty struct
            thrift.structEnd()
            thrift.structEnd()
        }
        thrift.structEnd()
        assert(thrift.isBalanced)
        return thrift.bytes
    }

    private func writeSchemaElement(_ column: ParquetColumnSpec, _ thrift: inout ThriftCompactWriter) {
        thrift.structBegin()
        thrift.field(1, i32: column.physicalType.rawValue)  // type
        thrift.field(3, i32: (column.nullable ? ParquetRepetition.optional : .required).rawValue)  // repetition_type
        thrift.field(4, string: column.name)  // name
        if column.kind == .string {
            thrift.field(6, i32: ParquetConvertedType.utf8.rawValue)  // converted_type
            thrift.fieldStructBegin(10)  // logicalType (a union)
            thrift.fieldStructBegin(1)  // STRING: StringType, an empty struct
            thrift.structEnd()
            thrift.structEnd()
        }
        thrift.structEnd()
    }

    private func writeRowGroup(_ group: RowGroup, ordinal: Int, _ thrift: inout ThriftCompactWriter) {
        thrift.structBegin()
        thrift.fieldListBegin(1, of: .struct, count: group.columns.count)  // columns
        for (index, chunk) in group.columns.enumerated() {
            thrift.structBegin()  // ColumnChunk
            thrift.field(2, i64: 0)  // file_offset: deprecated, 0 as Arrow writes it
            thrift.fieldStructBegin(3)  // meta_data
            writeColumnMetaData(chunk, column: columns[index], &thrift)
            thrift.structEnd()
            thrift.structEnd()
        }
        thrift.field(2, i64: Int64(group.columns.reduce(0) { $0 + $1.uncompressedSize }))  // total_byte_size
        thrift.field(3, i64: Int64(group.rowCount))  // num_rows
        thrift.field(5, i64: Int64(group.fileOffset))  // file_offset
        thrift.field(6, i64: Int64(group.columns.reduce(0) { $0 + $1.compressedSize }))  // total_compressed_size
        if ordinal <= Int(Int16.max) { thrift.field(7, i16: Int16(ordinal)) }  // ordinal
        thrift.structEnd()
    }

    private func writeColumnMetaData(_ chunk: ColumnChunk, column: ParquetColumnSpec, _ thrift: inout ThriftCompactWriter) {
        thrift.field(1, i32: column.physicalType.rawValue)  // type
        thrift.fieldListBegin(2, of: .i32, count: chunk.encodings.count)  // encodings
        for encoding in chunk.encodings { thrift.writeI32(encoding.rawValue) }
        thrift.fieldListBegin(3, of: .binary, count: 1)  // path_in_schema
        thrift.writeString(column.name)
        thrift.field(4, i32: codec.rawValue)  // codec
        thrift.field(5, i64: Int64(chunk.valueCount))  // num_values
        thrift.field(6, i64: Int64(chunk.uncompressedSize))  // total_uncompressed_size
        thrift.field(7, i64: Int64(chunk.compressedSize))  // total_compressed_size
        thrift.field(9, i64: Int64(chunk.dataPageOffset))  // data_page_offset
        if let offset = chunk.dictionaryPageOffset { thrift.field(11, i64: Int64(offset)) }  // dictionary_page_offset
        if chunk.nullCount != nil || chunk.minValue != nil {
            thrift.fieldStructBegin(12)  // statistics
            if let nullCount = chunk.nullCount { thrift.field(3, i64: Int64(nullCount)) }  // null_count
            if let maxValue = chunk.maxValue, let minValue = chunk.minValue {
                thrift.field(5, binary: maxValue)  // max_value
                thrift.field(6, binary: minValue)  // min_value
            }
            thrift.structEnd()
        }
        thrift.fieldListBegin(13, of: .struct, count: chunk.pageCounts.count)  // encoding_stats
        for pages in chunk.pageCounts {
            thrift.structBegin()  // PageEncodingStats
            thrift.field(1, i32: pages.type.rawValue)  // page_type
            thrift.field(2, i32: pages.encoding.rawValue)  // encoding
            thrift.field(3, i32: Int32(pages.count))  // count
            thrift.structEnd()
        }
    }
}
