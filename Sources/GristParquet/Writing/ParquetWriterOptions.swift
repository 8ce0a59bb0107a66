/// How `ParquetWriter` lays out and compresses a file. The defaults follow Arrow's C++ writer (1 MiB
/// pages and dictionaries, at most 20,000 rows a page) and make files that pyarrow, polars and DuckDB
/// read; the row group size counts the values' own bytes before encoding.
public struct ParquetWriterOptions: Sendable, Equatable {
    /// The data page format: v1 (every reader) or v2 (levels stored uncompressed ahead of the values).
    public enum DataPageVersion: Sendable, Equatable { case v1, v2 }

    /// The page codec: `.snappy`, `.zstd` or `.uncompressed` (other codecs are refused).
    public var compression: ParquetCompression = .snappy
    /// The zstd level of `.zstd` pages.
    public var zstdLevel: Int32 = 3
    /// Dictionary-encode string columns (an `RLE_DICTIONARY` chunk while the dictionary stays below
    /// `dictionaryPageBytes`, PLAIN for the rest of the chunk past it); other columns are always PLAIN.
    public var dictionary = true
    /// The PLAIN size of a chunk's dictionary past which the chunk falls back to PLAIN.
    public var dictionaryPageBytes = 1 << 20
    /// A row group is closed after the row that brings its values' bytes (string lengths, 8 for numbers,
    /// 1 for booleans, nulls nothing) to this many.
    public var rowGroupBytes = 128 << 20
    /// A data page is closed once its encoded values (and levels) reach this many bytes...
    public var pageBytes = 1 << 20
    /// ...or it holds this many rows.
    public var pageRows = 20_000
    /// v1 by default: the page format every reader reads.
    public var dataPageVersion: DataPageVersion = .v1
    /// Write each column chunk's null count, minimum and maximum (readers skip row groups by them).
    public var statistics = true
    /// Compute the finished file's SHA-256 as it is written (`ParquetWriter.sha256`).
    public var hashing = false
    /// A chunk whose string minimum or maximum would be longer than this (a long text) gets no range,
    /// only its null count: the footer stays small (Arrow's `max_statistics_size`).
    public var statisticsMaxBytes = 4096
    /// The footer's `created_by`: the application, as `NAME version X (build Y)` in parquet-mr's form.
    public var createdBy = "grist"
    /// The footer's `key_value_metadata`, in this order (e.g. `grist.version`).
    public var metadata: [KeyValue] = []

    /// One entry of the footer's `key_value_metadata`.
    public struct KeyValue: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init() {}
}
