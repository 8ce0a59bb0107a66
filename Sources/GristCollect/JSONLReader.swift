import GristCore

/// Reads a JSON Lines file (plain, `.gz` or `.zst`): one JSON object per line, one document per object.
///
/// - The document text is the string at `options.textField` (a dotted path reaches into nested
///   objects, see `JSONFieldPath`); the id is the string or number at `options.idField`, or
///   `"PATH:LINE"` when that field is absent, null, empty or of another type.
/// - A trailing `\r` is removed from every line (CRLF files), and a UTF-8 byte order mark from
///   the start of the file.
/// - Blank lines (only spaces, tabs, `\r`) are not records: they are ignored and do not take an
///   ordinal, but they do count as lines. A file with no records at all is one `.skip(.emptyFile)` event.
/// - Every other line is a record and takes the next ordinal, whether it becomes a document or a
///   `.skipped` event, so ordinals are stable record numbers.
/// - Skipped records: `.skip(.notJSON)` (syntax error, or not an object), `.skip(.missingField)` (no text field,
///   or not a string), `.skip(.invalidUTF8)` (bad bytes or a lone surrogate escape), `.skip(.recordTooLarge)`
///   (longer than `maxRecordBytes`; dropped without being buffered). Errors at a byte (syntax,
///   UTF-8) point at that byte; the others at the start of the record.
/// - A truncated or corrupt compressed stream yields the records before the break, then one
///   `.skip(.truncated)`/`.skip(.corrupt)` event at the record that was cut, then the end.
///
/// A reader is a single-pass cursor; copies of it share the position.
public struct JSONLReader: DocumentReader {
    public let path: String
    private let options: JSONLReaderOptions
    /// The names the metadata fields are stored under (a dotted path by its last name).
    private let storedNames: [String]
    private let policy: InputPolicy
    private let splitter: LineSplitter
    private var scanner: JSONScanner
    private var ordinal = 0
    private var finished = false
    /// Reading one byte range of a plain file: lines starting at or after this offset belong to the next range.
    private let stopOffset: Int?
    /// Lines (blank ones included) whose start this reader consumed.
    public private(set) var linesRead = 0
    /// Records (non-blank lines) this reader consumed: the ordinal the next one would get.
    public var recordsRead: Int { ordinal }

    /// Where `line` starts in the raw line: 3 after a byte order mark, else 0.
    private var lineStart = 0
    /// The raw bytes of the last line read (in the splitter's buffer: valid until the next call).
    private var rawLine = UnsafeRawBufferPointer(start: nil, count: 0)

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    private static let textField = 0
    private static let idField = 1

    private static let firstMetadataField = 2

    /// Opens `path`; compression comes from the extension (checked against the magic bytes).
    /// `bufferSize` is the read chunk (and initial line buffer) size.
    public init(path: String, options: JSONLReaderOptions, policy: InputPolicy = .init(),
                bufferSize: Int = 1 << 20) throws {
        self.path = path
        self.options = options
        storedNames = options.metadataFields.map(MetadataFields.storedName)
        self.policy = policy
        let source = try Compression.openSource(path: path, bufferSize: bufferSize,
                                                maxExpansionRatio: policy.maxExpansionRatio)
        // One more byte than a record may have, for the `\r` of a CRLF line.
        splitter = LineSplitter(source: source, bufferSize: bufferSize, maxLineBytes: min(options.maxRecordBytes, 1 << 40) + 1)
        let fields = [options.textField, options.idField] + options.metadataFields
        scanner = JSONScanner(fields: fields.map(JSONFieldPath.init), repairUTF8: policy.repairsUTF8)
        stopOffset = nil
    }

    /// Reads the lines of a JSON Lines file that start in `range` (of its decompressed bytes), so that
    /// the ranges of a partition of the file read every record exactly once, in parallel if wanted.
    /// A plain file seeks to the range; a compressed one is decompressed from the start and the bytes
    /// before the range dropped.
    ///
    /// Line numbers and ordinals count from the range's first line (1 and 0); `linesRead` and
    /// `recordsRead` tell the next range where to continue counting. Byte offsets are of the whole file.
    /// A record without an id gets an empty id (its line in the whole file is not known here).
    /// A range with no records is not an empty file: it just ends. A damaged compressed stream is
    /// reported by the range it breaks in.
    public init(path: String, range: Range<Int>, options: JSONLReaderOptions, policy: InputPolicy = .init(),
                bufferSize: Int = 1 << 20) throws {
        self.path = path
        self.options = options
        storedNames = options.metadataFields.map(MetadataFields.storedName)
        self.policy = policy
        let start: Int
        let source: any ByteSource
        if Compression(path: path) == .none {
            start = try FileSource(path: path).lineStart(atOrAfter: range.lowerBound)
            source = try FileSource(path: path, offset: start)
        } else {
            let stream = try Compression.openSource(path: path, bufferSize: bufferSize,
                                                    maxExpansionRatio: policy.maxExpansionRatio)
            let aligned = try LineAlignedSource(stream, lineStartAtOrAfter: range.lowerBound, chunkSize: bufferSize)
            start = aligned.start
            source = aligned
        }
        splitter = LineSplitter(source: source, bufferSize: bufferSize,
                                maxLineBytes: min(options.maxRecordBytes, 1 << 40) + 1, baseOffset: start)
        let fields = [options.textField, options.idField] + options.metadataFields
        scanner = JSONScanner(fields: fields.map(JSONFieldPath.init), repairUTF8: policy.repairsUTF8)
        stopOffset = range.upperBound
        rangeStart = start
    }

    /// The first byte of the range's first line (0 when reading the whole file).
    private var rangeStart = 0

    public mutating func next() throws -> ReaderEvent? {
        if finished { return nil }
        while true {
            let event = try splitter.next()
            switch event {
            case .line, .tooLong:
                if let stopOffset, splitter.lineOffset >= stopOffset {
                    finished = true
                    return nil
                }
                linesRead = splitter.lineNumber
            case .end:
                linesRead = splitter.lineNumber
            case .failed:
                break
            }
            switch event {
            case .line(let raw):
                rawLine = raw
                var line = raw
                if let last = line.last, last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
                lineStart = 0
                if splitter.lineNumber == 1, rangeStart == 0, line.starts(with: Self.byteOrderMark) {
                    line = UnsafeRawBufferPointer(rebasing: line.dropFirst(3))
                    lineStart = 3
                }
                if Self.isBlank(line) { continue }
                let ordinal = takeOrdinal()
                if line.count > options.maxRecordBytes { return tooLarge(line.count) }
                return record(line, ordinal: ordinal)
            case .tooLong(let length):
                rawLine = UnsafeRawBufferPointer(start: nil, count: 0)
                _ = takeOrdinal()
                return tooLarge(length)
            case .end:
                finished = true
                if ordinal > 0 || stopOffset != nil { return nil }
                let message = splitter.totalBytes == 0 ? "file is empty" : "file has no records, only blank lines"
                return .skipped(GristError(.skip(.emptyFile), message, at: InputPosition(path: path)))
            case .failed(let failure):
                finished = true
                // A break in a line that starts past this range belongs to the range that reads that line.
                if let stopOffset, splitter.lineOffset >= stopOffset { return nil }
                let position = InputPosition(path: path, line: splitter.lineNumber, byteOffset: splitter.lineOffset)
                return .skipped(GristError(failure.kind, failure.message, at: position, hint: failure.hint))
            }
        }
    }

    /// Calls `body` with the bytes of the line of the record `next()` last returned, exactly as in the
    /// file (a `\r` before its newline and a byte order mark included, the newline not): what
    /// `grist dedup --write` copies. Valid only until the next call of `next()`; empty for a record too
    /// large to be kept.
    public func withCurrentLine<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(rawLine)
    }

    private mutating func takeOrdinal() -> Int {
        defer { ordinal += 1 }
        return ordinal
    }

    /// Whether the file's first line starts a JSON array (a `.json` file given as JSON Lines), after a
    /// byte-order mark and white space.
    private static func looksLikeAnArray(_ line: UnsafeRawBufferPointer, lineNumber: Int) -> Bool {
        guard lineNumber == 1 else { return false }
        let body = line.starts(with: [0xEF, 0xBB, 0xBF]) ? line.dropFirst(3) : line[...]
        return body.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D } == UInt8(ascii: "[")
    }

    /// Whether a line holds only JSON whitespace (usually decided by its first byte).
    private static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        for byte in line where byte != 0x20 && byte != 0x09 && byte != 0x0D { return false }
        return true
    }

    private var recordStart: InputPosition {
        InputPosition(path: path, line: splitter.lineNumber, byteOffset: splitter.lineOffset)
    }

    private func tooLarge(_ length: Int) -> ReaderEvent {
        .skipped(GristError(.skip(.recordTooLarge),
                            "record is \(length) bytes, more than max_record_bytes (\(options.maxRecordBytes))",
                            at: recordStart, hint: "raise jsonl.max_record_bytes to keep such records"))
    }

    private mutating func record(_ line: UnsafeRawBufferPointer, ordinal: Int) -> ReaderEvent {
        // Blank lines never get here, so the line has bytes.
        guard let p = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return .skipped(GristError(.skip(.notJSON), "expected a JSON object, found an empty line", at: recordStart))
        }
        do {
            try scanner.scan(line)
        } catch {
            let position = InputPosition(path: path, line: splitter.lineNumber,
                                         byteOffset: splitter.lineOffset + lineStart + error.index)
            let column = lineStart + error.index + 1
            return .skipped(GristError(error.kind, "\(error.message) at column \(column)", at: position,
                                       hint: Self.looksLikeAnArray(line, lineNumber: splitter.lineNumber)
                                        ? "this looks like a JSON array; JSON Lines (one object per line) expected: "
                                          + "convert it with jq -c '.[]' FILE" : nil))
        }
        guard let text = scanner.value(ofField: Self.textField), text.type == .string else {
            return missingText(line, found: scanner.value(ofField: Self.textField)?.type)
        }
        var bytes = JSONString.decode(p, from: text.start + 1, to: text.end - 1, escaped: text.escaped)
        if policy.repairsUTF8, text.escaped { UTF8Validation.repair(&bytes) }
        var document = Document(id: id(p), text: bytes, ordinal: ordinal,
                                line: splitter.lineNumber, byteOffset: splitter.lineOffset)
        if !options.metadataFields.isEmpty { document.metadata = metadata(p) }
        return .document(document)
    }

    /// The configured metadata fields present in the record: strings decoded, other values as written.
    private func metadata(_ p: UnsafePointer<UInt8>) -> DocumentMetadata {
        var metadata = DocumentMetadata()
        for (index, name) in storedNames.enumerated() {
            guard let span = scanner.value(ofField: Self.firstMetadataField + index) else { continue }
            switch span.type {
            case .null:
                continue
            case .string:
                var bytes = JSONString.decode(p, from: span.start + 1, to: span.end - 1, escaped: span.escaped)
                if policy.repairsUTF8, span.escaped { UTF8Validation.repair(&bytes) }
                metadata[name] = String(decoding: bytes, as: UTF8.self)
            default:
                metadata[name] = String(decoding: UnsafeBufferPointer(start: p + span.start, count: span.end - span.start),
                                        as: UTF8.self)
            }
        }
        return metadata
    }

    private func id(_ p: UnsafePointer<UInt8>) -> String {
        if let span = scanner.value(ofField: Self.idField) {
            switch span.type {
            case .string where span.end - span.start > 2:
                // String(decoding:) also replaces what the `replace` policy let through.
                return String(decoding: JSONString.decode(p, from: span.start + 1, to: span.end - 1,
                                                          escaped: span.escaped), as: UTF8.self)
            case .number:
                return String(decoding: UnsafeBufferPointer(start: p + span.start, count: span.end - span.start),
                              as: UTF8.self)
            default:
                break
            }
        }
        return stopOffset == nil ? "\(path):\(splitter.lineNumber)" : ""
    }

    private mutating func missingText(_ line: UnsafeRawBufferPointer, found type: JSONValueType?) -> ReaderEvent {
        let field = options.textField
        let message: String
        if let type {
            message = "\"\(field)\" is \(type.described), expected a string"
        } else {
            let keys = scanner.topLevelKeys(of: line)
            let shown = keys.prefix(12).joined(separator: ", ") + (keys.count > 12 ? ", …" : "")
            message = "record has no \"\(field)\" field (keys: \(keys.isEmpty ? "none" : shown))"
        }
        return .skipped(GristError(.skip(.missingField), message, at: recordStart,
                                   hint: type == nil ? "set jsonl.text_field to the key that holds the text" : nil))
    }
}
