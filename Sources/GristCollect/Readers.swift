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
