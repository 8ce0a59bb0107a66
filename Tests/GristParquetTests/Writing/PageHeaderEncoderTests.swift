import Testing
@testable import GristParquet

/// Page headers as parquet.thrift's `PageHeader` and the compact protocol spell them, worked out by hand.
@Suite struct PageHeaderEncoderTests {
    @Test func dictionaryPageHeaderMatchesTheSpec() {
        // PageHeader{type: DICTIONARY_PAGE (2), uncompressed 10, compressed 12,
        //            dictionary_page_header (7): {num_values: 2, encoding: PLAIN}}
        #expect(PageHeaderEncoder.dictionaryPage(count: 2, uncompressedSize: 10, compressedSize: 12)
            == [0x15, 0x04, 0x15, 0x14, 0x15, 0x18, 0x4C, 0x15, 0x04, 0x15, 0x00, 0x00, 0x00])
    }

    @Test func dataPageHeaderMatchesTheSpec() {
        // PageHeader{type: DATA_PAGE (0), 100, 60, data_page_header (5): {num_values 3,
        //            RLE_DICTIONARY (8), RLE (3), RLE (3)}}
        #expect(PageHeaderEncoder.dataPage(values: 3, encoding: .rleDictionary, uncompressedSize: 100, compressedSize: 60)
            == [0x15, 0x00, 0x15, 0xC8, 0x01, 0x15, 0x78, 0x2C, 0x15, 0x06, 0x15, 0x10, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00])
    }

    @Test func dataPageV2HeaderMatchesTheSpec() {
        // PageHeader{type: DATA_PAGE_V2 (3), 40, 30, data_page_header_v2 (8): {num_values 5, num_nulls 1,
        //            num_rows 5, PLAIN, definition_levels_byte_length 2, repetition_levels_byte_length 0,
        //            is_compressed true}}
        #expect(PageHeaderEncoder.dataPageV2(values: 5, nulls: 1, encoding: .plain, levelBytes: 2, isCompressed: true,
                                             uncompressedSize: 40, compressedSize: 30)
            == [0x15, 0x06, 0x15, 0x50, 0x15, 0x3C, 0x5C, 0x15, 0x0A, 0x15, 0x02, 0x15, 0x0A, 0x15, 0x00,
                0x15, 0x04, 0x15, 0x00, 0x11, 0x00, 0x00])
    }
}
