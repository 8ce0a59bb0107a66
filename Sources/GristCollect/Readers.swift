import GristCore

/// What a reader yields: a document, or a record it had to skip (why and where).
public enum ReaderEvent: Sendable {
    case document(Document)
    /// A record that could not become a document; `kind` is the reason code for the manifest.
    case skipped(GristError)
}

/// A streaming reader over one input file. `next()` returns nil at the end.
///
/// It throws only for file-level failures that make the rest unreadable (cannot open, I/O error);
/// bad records (and truncation, emptiness) are `.skipped` events so the caller's policy decides.
public protocol DocumentReader {
    mutating func next() throws -> ReaderEvent?

    /// Records passed over by design, by reason, so far: not errors, not documents (WARC request
    /// records, MediaWiki redirects, pages of other namespaces). Empty for most formats.
    var filtered: [String: Int] { get }
}

extension DocumentReader {
    public var filtered: [String: Int] { [:] }
}

/// A reader of the records of one byte range of a file (JSON Lines lines, Parquet row groups that start
/// in it), so the ranges of a partition of the file are read in parallel. Lines and records are
/// numbered from the range's start; these counts tell the next range where to go on.
public protocol RangeReader: DocumentReader {
    var linesRead: Int { get }
    var recordsRead: Int { get }
}

extension JSONLReader: RangeReader {}

/// Opens the reader a source format needs.
public enum Readers {
    /// Opens the right reader for `source.format` with the source's options and input policy;
    /// compression from the file name (`.gz`, `.zst`, `.bz2`), verified against the magic bytes
    /// (a `.gz` that is not gzip is an error naming the file).
    public static func open(path: String, source: SourceConfig) throws -> any DocumentReader {
        let policy = InputPolicy(source)
        switch source.format {
        case .jsonl: return try JSONLReader(path: path, options: source.jsonlReading, policy: policy)
        case .text: return try TextReader(path: path, options: source.text, policy: policy)
        case .html: return try HTMLReader(path: path, options: source.html, policy: policy)
        case .warc: return try WARCReader(path: path, options: source.warc, policy: policy)
        case .wet: return try WARCReader(path: path, wet: source.wet, policy: policy)
        case .mediawiki: return try MediaWikiReader(path: path, options: source.mediawiki, policy: policy)
        case .parquet, .hfDataset: return try ParquetReader(path: path, options: source.parquetReading, policy: policy)
        }
    }

    /// Whether files of `format` can be read in byte ranges (``open(path:source:range:)``).
    public static func readsRanges(_ format: SourceFormat) -> Bool {
        format == .jsonl || format.readsParquet
    }

    /// Opens a reader of the records of `range` (of the decompressed bytes) of a file whose format
    /// ``readsRanges(_:)``.
    public static func open(path: String, source: SourceConfig, range: Range<Int>) throws -> any RangeReader {
        let policy = InputPolicy(source)
        switch source.format {
        case .parquet, .hfDataset:
            return try ParquetReader(path: path, options: source.parquetReading, policy: policy, range: range)
        default:
            return try JSONLReader(path: path, range: range, options: source.jsonlReading, policy: policy)
        }
    }

    /// Opens a text or JSONL reader with default input policy (kept for callers that predate `SourceConfig`).
    public static func open(path: String, format: SourceFormat, text: TextReaderOptions,
                            jsonl: JSONLReaderOptions) throws -> any DocumentReader {
        try open(path: path, source: SourceConfig(name: "", paths: [], format: format).with {
            $0.text = text
            $0.jsonl = jsonl
        })
    }
}
