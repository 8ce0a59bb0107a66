/// One row group of a Parquet file: how many rows, and where its bytes are.
public struct ParquetRowGroupInfo: Sendable {
    /// Rows in the row group.
    public let rowCount: Int
    /// The file offset of the first byte of its first column chunk.
    public let fileOffset: Int
    /// Bytes its column chunks take in the file (compressed, with page headers).
    public let compressedBytes: Int
}
