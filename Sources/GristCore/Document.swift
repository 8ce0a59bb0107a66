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
    /// What rules learned about the document (`language`, `language_score`, a source `url`).
    public var metadata: DocumentMetadata
    /// Work derived from the text that several rules need (the filters' code points and words), left by
    /// the first rule that computed it for the next; a rule checks it still belongs to `text`.
    public var analysis: (any DocumentAnalysis)?

    public init(id: String, text: [UInt8], ordinal: Int, line: Int, byteOffset: Int,
                metadata: DocumentMetadata = DocumentMetadata()) {
        self.id = id
        self.text = text
        self.ordinal = ordinal
        self.line = line
        self.byteOffset = byteOffset
        self.metadata = metadata
    }
}

/// Work derived from a document's text that several rules need, computed once per text.
public protocol DocumentAnalysis: AnyObject, Sendable {}

/// Named string values attached to a document, kept sorted by key (UTF-8 byte order) so that anything
/// written from them comes out in the same order on every run (no hash-order iteration).
public struct DocumentMetadata: Sendable, Equatable, Sequence {
    private var entries: [(key: String, value: String)] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public init(_ dictionary: [String: String]) {
        for (key, value) in dictionary { self[key] = value }
    }

    /// The value of `key`; setting `nil` removes it.
    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            let index = entries.firstIndex { !$0.key.utf8.lexicographicallyPrecedes(key.utf8) } ?? entries.endIndex
            let present = index < entries.endIndex && entries[index].key == key
            switch (newValue, present) {
            case (let value?, true): entries[index].value = value
            case (let value?, false): entries.insert((key, value), at: index)
            case (nil, true): entries.remove(at: index)
            case (nil, false): break
            }
        }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// Entries in key order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: String)> { entries.makeIterator() }

    public static func == (a: Self, b: Self) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0 == $1 }
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
    /// Files whose contents decide what the rule does (a blocklist, a model): a build's stored scan
    /// results are reused only while these files are unchanged.
    var inputFiles: [String] { get }
}

extension DocumentRule {
    public var inputFiles: [String] { [] }
}

extension DocumentMetadata: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }
}
