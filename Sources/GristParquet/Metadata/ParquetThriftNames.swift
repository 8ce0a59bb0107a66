/// The names parquet.thrift gives the enumerations' cases, for messages ("unsupported codec LZO",
/// "encoding DELTA_BYTE_ARRAY").
extension ParquetEncoding {
    var thriftName: String {
        switch self {
        case .plain: "PLAIN"
        case .plainDictionary: "PLAIN_DICTIONARY"
        case .rle: "RLE"
        case .bitPacked: "BIT_PACKED"
        case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: "DELTA_BYTE_ARRAY"
        case .rleDictionary: "RLE_DICTIONARY"
        case .byteStreamSplit: "BYTE_STREAM_SPLIT"
        }
    }

    /// The name of a raw encoding number, known or not.
    static func thriftName(_ raw: Int32) -> String {
        ParquetEncoding(rawValue: raw)?.thriftName ?? "\(raw) (not in parquet.thrift)"
    }
}

extension ParquetPhysicalType {
    var thriftName: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }
}
