/// The Thrift `PageHeader` ahead of every page a writer stores (parquet.thrift field numbers).
/// No CRC and no page statistics: the chunk's statistics are in the footer.
enum PageHeaderEncoder {
    /// A `DICTIONARY_PAGE` of `count` PLAIN entries.
    static func dictionaryPage(count: Int, uncompressedSize: Int, compressedSize: Int) -> [UInt8] {
        var thrift = ThriftCompactWriter(capacity: 32)
        common(&thrift, .dictionaryPage, uncompressedSize: uncompressedSize, compressedSize: compressedSize)
        thrift.fieldStructBegin(7)  // dictionary_page_header
        thrift.field(1, i32: Int32(count))  // num_values
        thrift.field(2, i32: ParquetEncoding.plain.rawValue)  // encoding
        thrift.structEnd()
        thrift.structEnd()
        return thrift.bytes
    }

    /// A `DATA_PAGE` (v1): `values` rows (nulls included), its levels RLE-encoded.
    static func dataPage(values: Int, encoding: ParquetEncoding, uncompressedSize: Int, compressedSize: Int) -> [UInt8] {
        var thrift = ThriftCompactWriter(capacity: 32)
        common(&thrift, .dataPage, uncompressedSize: uncompressedSize, compressedSize: compressedSize)
        thrift.fieldStructBegin(5)  // data_page_header
        thrift.field(1, i32: Int32(values))  // num_values
        thrift.field(2, i32: encoding.rawValue)  // encoding
        thrift.field(3, i32: ParquetEncoding.rle.rawValue)  // definition_level_encoding
        thrift.field(4, i32: ParquetEncoding.rle.rawValue)  // repetition_level_encoding
        thrift.structEnd()
        thrift.structEnd()
        return thrift.bytes
    }

    /// A `DATA_PAGE_V2`: flat, so rows and values are one count; the definition levels are stored
    /// uncompressed before the values (`levelBytes` of them), only the values are compressed.
    static func dataPageV2(values: Int, nulls: Int, encoding: ParquetEncoding, levelBytes: Int, isCompressed: Bool,
                           uncompressedSize: Int, compressedSize: Int) -> [UInt8] {
        var thrift = ThriftCompactWriter(capacity: 32)
        common(&thrift, .dataPageV2, uncompressedSize: uncompressedSize, compressedSize: compressedSize)
        thrift.fieldStructBegin(8)  // data_page_header_v2
        thrift.field(1, i32: Int32(values))  // num_values
        thrift.field(2, i32: Int32(nulls))  // num_nulls
        thrift.field(3, i32: Int32(values))  // num_rows
        thrift.field(4, i32: encoding.rawValue)  // encoding
        thrift.field(5, i32: Int32(levelBytes))  // definition_levels_byte_length
        thrift.field(6, i32: 0)  // repetition_levels_byte_length
        thrift.field(7, bool: isCompressed)  // is_compressed
        thrift.structEnd()
        thrift.structEnd()
        return thrift.bytes
    }

    private static func common(_ thrift: inout ThriftCompactWriter, _ type: ParquetPageType,
                               uncompressedSize: Int, compressedSize: Int) {
        thrift.field(1, i32: type.rawValue)  // type
        thrift.field(2, i32: Int32(uncompressedSize))  // uncompressed_page_size
        thrift.field(3, i32: Int32(compressedSize))  // compressed_page_size
    }
}
