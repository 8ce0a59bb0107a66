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
}

/// Opens the reader a source format needs.
public enum Readers {
    /// Opens the right reader for `format` with its options; compression from the file name
    /// (`.gz`, `.zst`), verified against the magic bytes (a `.gz` that is not gzip is an error naming the file).
    public static func open(path: String, format: SourceFormat, text: TextReaderOptions,
                            jsonl: JSONLReaderOptions) throws -> any DocumentReader {
        switch format {
        case .jsonl: try JSONLReader(path: path, options: jsonl)
        case .text: try TextReader(path: path, options: text)
        }
    }
}
