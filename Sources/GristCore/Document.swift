/// One document flowing through the pipeline: UTF-8 text and where it came from.
///
/// Text stays as bytes (`[UInt8]`, valid UTF-8) end to end: stages scan bytes, never `Character`s.
public struct Document: Sendable {
    /// The id from the input (a JSONL `id` field) or one made from the file and record number.
    public var id: String
    /// Valid UTF-8.
    public var text: [UInt8]
    /// 0-based number of the record within its file.
    public var ordinal: Int
    /// 1-based line where the record starts.
    public var line: Int
    /// Byte offset of the record in the (decompressed) file.
    public var byteOffset: Int
    /// What the reader knows about the document besides its text (`url`, `title`, `lang`, configured
    /// JSONL fields). Written in key order wherever it is output; never iterate it to make output.
    public var metadata: [String: String] = [:]

    public init(id: String, text: [UInt8], ordinal: Int, line: Int, byteOffset: Int) {
        self.id = id
        self.text = text
        self.ordinal = ordinal
        self.line = line
        self.byteOffset = byteOffset
    }
}

/// What a rule decided about a document.
public enum Verdict: Sendable, Equatable {
    case keep
    /// Remove the document; `reason` is a short stable code (`too_short`) counted in the manifest.
    case drop(reason: String)
}

/// A pure per-document check or rewrite: cleaners and filters. Rules do no I/O.
public protocol DocumentRule: Sendable {
    /// Reason codes and counters are grouped under this name (its YAML `kind`).
    var name: String { get }
    func apply(to document: inout Document) -> Verdict
}
