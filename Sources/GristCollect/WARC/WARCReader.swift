import GristCore

/// Reads a WARC file (ISO 28500, WARC/1.0 and 1.1): plain, or gzip with one member per record as
/// Common Crawl publishes it (`.warc.gz`), or any other compression the name says.
///
/// - `response` records holding an HTTP response with status 2xx and an HTML body (`text/html`,
///   `application/xhtml+xml`) become documents through `HTMLPage` (main text, or all text);
///   `text/plain` bodies are taken as text. Chunked transfer and gzip/deflate content encodings
///   are decoded; the HTTP `charset` is the encoding hint.
/// - `resource` records with an HTML or plain-text `Content-Type` likewise (no HTTP envelope).
/// - `conversion` records (Common Crawl's WET files) are plain text, taken as they are.
/// - Every other record (`warcinfo`, `request`, `metadata`, `revisit`, …), non-2xx responses and
///   other media types are passed over and counted in `filtered`, by reason.
///
/// A document's id is its `WARC-Record-ID` (without `<>`), or with `id: url` its `WARC-Target-URI`; `url`, `date`
/// (`WARC-Date`) and `record_id` go into the metadata, with `title` and `lang` for HTML. Its
/// ordinal is the record's number in the file (every record counts), its line and byte offset
/// those of the record's `WARC/` line in the decompressed stream.
///
/// As the WET reader (`format: wet`, ``init(path:wet:policy:bufferSize:)``) only `conversion` records
/// are read (a `response` or the file's `warcinfo` is passed over, counted by its type), the id is the
/// `WARC-Target-URI` unless `wet: {id: record_id}`, and the metadata also has `refers_to`
/// (`WARC-Refers-To` without `<>`) and `cc_language` (`WARC-Identified-Content-Language` as written,
/// e.g. `eng` or `eng,fra`).
///
/// Damage: a record whose header cannot be read is `.skip(.malformedRecord)`, and reading resumes at the
/// next line that starts with `WARC/1.`; a record larger than `maxRecordBytes` is streamed past and
/// `.skip(.recordTooLarge)`; a file that ends inside a record is `.skip(.truncated)` at that record; broken
/// compression `.skip(.truncated)`/`.skip(.corrupt)`/`.skip(.decompressionBomb)`. Records before the damage are kept.
public struct WARCReader: DocumentReader {
    public let path: String
    private let options: WARCReaderOptions
    /// Reading as `format: wet`: conversion records only, with the WET metadata.
    private let wet: Bool
    private let policy: InputPolicy
    private let stream: RecordStream
    private var ordinal = 0
    private var finished = false
    private var resyncing = false
    public private(set) var filtered: [String: Int] = [:]

    /// Longest header line accepted (a `WARC-Target-URI` can be long, not this long).
    static let maxHeaderLine = 32 << 10
    /// Most header lines in one record.
    static let maxHeaderLines = 256

    public init(path: String, options: WARCReaderOptions, policy: InputPolicy = .init(),
                bufferSize: Int = 1 << 18) throws {
        try self.init(path: path, options: options, wet: false, policy: policy, bufferSize: bufferSize)
    }

    /// A reader of Common Crawl WET files (`format: wet`): `conversion` records only.
    public init(path: String, wet: WETReaderOptions, policy: InputPolicy = .init(),
                bufferSize: Int = 1 << 18) throws {
        var options = WARCReaderOptions()
        options.maxRecordBytes = wet.maxRecordBytes
        options.id = wet.id
        try self.init(path: path, options: options, wet: true, policy: policy, bufferSize: bufferSize)
    }

    private init(path: String, options: WARCReaderOptions, wet: Bool, policy: InputPolicy, bufferSize: Int) throws {
        self.path = path
        self.options = options
        self.wet = wet
        self.policy = policy
        let source = try Compression.openSource(path: path, bufferSize: bufferSize,
                                                maxExpansionRatio: policy.maxExpansionRatio)
        stream = RecordStream(source: source, bufferSize: max(bufferSize, 4 * Self.maxHeaderLine))
    }

    public mutating func next() throws -> ReaderEvent? {
        while !finished {
            if let event = try nextRecord() { return event }
        }
        return nil
    }

    /// Reads one record; nil when it was passed over (or at the clean end).
    private mutating func nextRecord() throws -> ReaderEvent? {
        // The version line, after any blank lines (records end with two CRLFs).
        var versionLine: [UInt8] = []
        var start = InputPosition(path: path, line: stream.line, byteOffset: stream.offset)
        while true {
            start = InputPosition(path: path, line: stream.line, byteOffset: stream.offset)
            switch try stream.readLine(maxBytes: Self.maxHeaderLine) {
            case .end:
                return end(at: start, emptyFile: ordinal == 0)
            case .tooLong:
                if !resyncing { return malformed("a header line is longer than \(Self.maxHeaderLine) bytes", at: start) }
                continue
            case .line(let line):
                if line.isEmpty { continue }
                if line.starts(with: Self.versionPrefix) {
                    versionLine = Array(line)
                } else {
                    if resyncing { continue }
                    let shown = String(decoding: line.prefix(40), as: UTF8.self)
                    return malformed("expected a WARC/1.x record header, found \"\(shown)\"", at: start)
                }
            }
            break
        }
        resyncing = false
        let recordNumber = ordinal
        ordinal += 1

        // Named fields up to the blank line.
        var headers = HeaderFields()
        var lines = 0
        while true {
            switch try stream.readLine(maxBytes: Self.maxHeaderLine) {
            case .end:
                return end(at: start, emptyFile: false, inRecord: true)
            case .tooLong:
                return malformed("a header line is longer than \(Self.maxHeaderLine) bytes", at: start)
            case .line(let line):
                if line.isEmpty { break }
                lines += 1
                if lines > Self.maxHeaderLines { return malformed("more than \(Self.maxHeaderLines) header lines", at: start) }
                if line.first == 0x20 || line.first == 0x09 {
                    headers.continueLast(line)
                } else if !headers.add(line) {
                    let shown = String(decoding: line.prefix(40), as: UTF8.self)
                    return malformed("header line without a colon: \"\(shown)\"", at: start)
                }
                continue
            }
            break
        }
        _ = versionLine
        guard let lengthText = headers["content-length"], let length = Int(lengthText), length >= 0 else {
            return malformed(headers["content-length"] == nil ? "the record has no Content-Length"
                             : "bad Content-Length \"\(headers["content-length"] ?? "")\"", at: start)
        }

        // The content block.
        let type = (headers["warc-type"] ?? "").lowercased()
        let wanted = wet ? type == "conversion" : ["response", "resource", "conversion"].contains(type)
        if !wanted || length > options.maxRecordBytes {
            let skipped = try stream.skip(length)
            if skipped < length { return end(at: start, emptyFile: false, inRecord: true) }
            if !wanted {
                filtered[type.isEmpty ? "no_warc_type" : type, default: 0] += 1
                return nil
            }
            return .skipped(GristError(.skip(.recordTooLarge),
                                       "record content is \(length) bytes, more than max_record_bytes (\(options.maxRecordBytes))",
                                       at: start, hint: "raise \(wet ? "wet" : "warc").max_record_bytes to read such records"))
        }
        var block: [UInt8] = []
        block.reserveCapacity(length)
        if try stream.read(length, into: &block) < length {
            return end(at: start, emptyFile: false, inRecord: true)
        }
        return document(type: type, headers: headers, block: block, number: recordNumber, at: start)
    }

    private static let versionPrefix = Array("WARC/".utf8)

    // MARK: - Documents

    private mutating func document(type: String, headers: HeaderFields, block: [UInt8], number: Int,
                                   at start: InputPosition) -> ReaderEvent? {
        let contentType = headers["content-type"]
        var body = block
        var mediaType = HeaderFields.mediaType(contentType)
        var charset: String?
        var bodyOffset = 0
        if type == "response" {
            guard mediaType == "application/http" else { return pass("response_not_http") }
            do {
                let response = try HTTPResponse(parsing: block, maxBodyBytes: options.maxRecordBytes)
                guard (200..<300).contains(response.status) else { return pass("http_status") }
                let httpType = response.headers["content-type"]
                mediaType = HeaderFields.mediaType(httpType)
                charset = HeaderFields.parameter("charset", of: httpType)
                bodyOffset = block.count - response.body.count
                body = response.body
            } catch {
                return .skipped(GristError(.skip(.malformedRecord), error.message, at: start))
            }
        } else if type == "conversion", mediaType == nil {
            mediaType = "text/plain"
        }
        let recordId = (headers["warc-record-id"] ?? "").trimmingCharacters(in: "<>")
        var metadata: [String: String] = [:]
        if let url = headers["warc-target-uri"] { metadata["url"] = url.trimmingCharacters(in: "<>") }
        if let date = headers["warc-date"] { metadata["date"] = date }
        if !recordId.isEmpty { metadata["record_id"] = recordId }
        if wet {
            if let refersTo = headers["warc-refers-to"] { metadata["refers_to"] = refersTo.trimmingCharacters(in: "<>") }
            if let language = headers["warc-identified-content-language"], !language.isEmpty {
                metadata["cc_language"] = language
            }
        }
        var text: [UInt8]
        switch mediaType {
        case "text/html", "application/xhtml+xml":
            do {
                var at = start
                at.line = nil
                at.byteOffset = nil  // offsets inside the payload are not offsets in the file
                let page = try HTMLPage.extract(body, encoding: charset, mode: options.extract, policy: policy, at: at)
                text = page.text
                if let title = page.title { metadata["title"] = title }
                if let lang = page.lang { metadata["lang"] = lang }
            } catch {
                var error = error
                error.position = start
                error.message = "record \(recordId): " + error.message
                return .skipped(error)
            }
        case "text/plain":
            text = body
            let bad = UTF8Validation.firstInvalid(text.span, rejectNUL: false)
            if let bad {
                if policy.repairsUTF8 {
                    UTF8Validation.repair(&text)
                } else {
                    return .skipped(GristError(.skip(.invalidUTF8),
                                               "record \(recordId): invalid UTF-8 byte \(hex(text[bad])) at byte \(bad + bodyOffset) of the content",
                                               at: start, hint: "set invalid_utf8: replace to keep such records"))
                }
            }
        default:
            return pass("unsupported_content")
        }
        let url = options.id == .url ? metadata["url"].flatMap { $0.isEmpty ? nil : $0 } : nil
        var document = Document(id: url ?? (recordId.isEmpty ? "\(path):\(start.line ?? 0)" : recordId), text: text,
                                ordinal: number, line: start.line ?? 0, byteOffset: start.byteOffset ?? 0)
        document.metadata = DocumentMetadata(metadata)
        return .document(document)
    }

    private mutating func pass(_ reason: String) -> ReaderEvent? {
        filtered[reason, default: 0] += 1
        return nil
    }

    // MARK: - Damage

    private mutating func malformed(_ message: String, at position: InputPosition) -> ReaderEvent {
        resyncing = true
        return .skipped(GristError(.skip(.malformedRecord), message + "; reading resumes at the next WARC/1. line",
                                   at: position))
    }

    /// The end of the data: clean between records, or a break inside one.
    private mutating func end(at position: InputPosition, emptyFile: Bool, inRecord: Bool = false) -> ReaderEvent? {
        finished = true
        if let failure = stream.failure {
            return .skipped(GristError(failure.kind, failure.message, at: position, hint: failure.hint))
        }
        if inRecord {
            return .skipped(GristError(.skip(.truncated), "the file ends inside this record",
                                       at: position, hint: "the file was probably cut short; records before this one were read"))
        }
        if emptyFile, filtered.isEmpty {
            return .skipped(GristError(.skip(.emptyFile), "file has no WARC records", at: InputPosition(path: path)))
        }
        return nil
    }
}

extension String {
    /// Without the given leading and trailing characters.
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
