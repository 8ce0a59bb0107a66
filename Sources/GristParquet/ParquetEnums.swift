/// The enumerations of Apache Parquet's `parquet.thrift`, with the numbers the file format stores.
/// Reader and writer both speak in these; unknown numbers are kept (`init?(rawValue:)` fails) so an
/// error can name them.

/// The magic bytes at the start and end of every Parquet file.
public let parquetMagic: [UInt8] = Array("PAR1".utf8)

/// How a column's values are stored (`Type`).
public enum ParquetPhysicalType: Int32, Sendable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5
    case byteArray = 6, fixedLenByteArray = 7
}

/// The older annotation of what a physical type means (`ConvertedType`); `utf8` marks strings.
public enum ParquetConvertedType: Int32, Sendable {
    case utf8 = 0, map = 1, mapKeyValue = 2, list = 3, `enum` = 4, decimal = 5, date = 6
    case timeMillis = 7, timeMicros = 8, timestampMillis = 9, timestampMicros = 10
    case uint8 = 11, uint16 = 12, uint32 = 13, uint64 = 14, int8 = 15, int16 = 16, int32 = 17, int64 = 18
    case json = 19, bson = 20, interval = 21
}

/// Whether a field is required, optional (nullable) or repeated (`FieldRepetitionType`).
public enum ParquetRepetition: Int32, Sendable {
    case required = 0, optional = 1, repeated = 2
}

/// How values or levels are encoded in a page (`Encoding`).
public enum ParquetEncoding: Int32, Sendable {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4
    case deltaBinaryPacked = 5, deltaLengthByteArray = 6, deltaByteArray = 7
    case rleDictionary = 8, byteStreamSplit = 9
}

/// The codec of a column chunk's pages (`CompressionCodec`).
public enum ParquetCompression: Int32, Sendable {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7
}

/// The kind of a page (`PageType`).
public enum ParquetPageType: Int32, Sendable {
    case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
}
