/// A place in an input file: its path and, when known, the 1-based line and the byte offset
/// (in the decompressed stream for `.gz`/`.zst`).
public struct InputPosition: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var byteOffset: Int?

    public init(path: String, line: Int? = nil, byteOffset: Int? = nil) {
        self.path = path
        self.line = line
        self.byteOffset = byteOffset
    }

    public var description: String {
        var out = path
        if let line { out += ":\(line)" }
        if let byteOffset { out += " (byte \(byteOffset))" }
        return out
    }
}

/// Why a record or a file was skipped: bad data, never a fault of the tool. The raw values are the
/// reason codes the manifest stores (`skippedRecord.reason`, the read stage's `stageCount.reason`):
/// never rename one.
public enum SkipReason: String, Sendable, CaseIterable {
    /// A JSONL line that is not a JSON object.
    case notJSON = "not_json"
    /// A record without the configured text field, or with a non-string one.
    case missingField = "missing_field"
    case invalidUTF8 = "invalid_utf8"
    case emptyFile = "empty_file"
    /// A compressed stream that ends before its end marker.
    case truncated
    /// A stream that cannot be decompressed at all.
    case corrupt
    case recordTooLarge = "record_too_large"
    /// Compressed data that expands more than the configured ratio (a decompression bomb).
    case decompressionBomb = "decompression_bomb"
    /// A WARC record whose header cannot be parsed.
    case malformedRecord = "malformed_record"
    /// An XML document (MediaWiki dump) that is not well-formed.
    case notXML = "not_xml"
    /// An XML document with a DTD: entity declarations are refused (billion laughs, XXE).
    case unsafeXML = "unsafe_xml"
    /// Markup nested deeper than the parser's limit.
    case tooDeep = "too_deep"
}

/// Anything that goes wrong with data or files, with where and a hint on what to do.
///
/// Bad data (`.skip`) is skipped, counted and recorded under its reason; the other kinds are failures
/// of the run. `kind.code` is what the manifest records when either ends a file's reading.
public struct GristError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Bad data: the record (or the rest of the file) is skipped for this reason.
        case skip(SkipReason)
        /// A file that cannot be opened, read or written.
        case io
        /// A binary file that is not what it claims to be (bad magic, short header).
        case badFormat
        /// Two things that must agree do not (a shard and its manifest row).
        case mismatch
        /// A bad command-line argument or configuration value.
        case usage
        /// A build, or one of its sources, kept no documents: shards of nothing are not a success.
        case nothingKept

        /// The short stable code the manifest stores: the skip reason's, or the failure's.
        public var code: String {
            switch self {
            case .skip(let reason): reason.rawValue
            case .io: "io"
            case .badFormat: "bad_format"
            case .mismatch: "mismatch"
            case .usage: "usage"
            case .nothingKept: "nothing_kept"
            }
        }

        /// The kind a stored `code` names; nil for a code this version does not know.
        public init?(code: String) {
            if let reason = SkipReason(rawValue: code) {
                self = .skip(reason)
                return
            }
            guard let kind = [Kind.io, .badFormat, .mismatch, .usage, .nothingKept].first(where: { $0.code == code }) else {
                return nil
            }
            self = kind
        }
    }

    public var kind: Kind
    public var message: String
    public var position: InputPosition?
    public var hint: String?

    public init(_ kind: Kind, _ message: String, at position: InputPosition? = nil, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.position = position
        self.hint = hint
    }

    public var description: String {
        var out = position.map { "\($0): " } ?? ""
        out += message
        if let hint { out += "\n  hint: \(hint)" }
        return out
    }
}
