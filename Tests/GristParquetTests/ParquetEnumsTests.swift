import Testing
@testable import GristParquet

/// The numbers of `parquet.thrift` are the file format: a change here would misread every file.
@Suite struct ParquetEnumsTests {
    @Test func numbersMatchParquetThrift() {
        #expect(parquetMagic == [0x50, 0x41, 0x52, 0x31])
        #expect(ParquetPhysicalType.byteArray.rawValue == 6)
        #expect(ParquetEncoding.rleDictionary.rawValue == 8)
        #expect(ParquetCompression.zstd.rawValue == 6)
        #expect(ParquetCompression.lz4Raw.rawValue == 7)
        #expect(ParquetPageType.dataPageV2.rawValue == 3)
    }
}
