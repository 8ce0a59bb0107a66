#if canImport(Glibc)
import Glibc
#endif
import GristCore

/// Reads a plain-text file (plain, `.gz` or `.zst`) as documents.
///
/// - `split: file`: the whole file is one document, byte for byte; its id is the path.
/// - `split: paragraphs`: blocks of lines separated by one or more blank lines (only spaces, tabs,
///   `\r`) are documents; the text is the block's lines joined by `\n`, exactly as in the file
///   (`\r` kept: cleaning is a later stage); the id is `"PATH:LINE"` of the block's first line.
///
/// - `split: separator`: the blocks between occurrences of `options.separator` (exact bytes) are
///   documents, byte for byte; blocks of only whitespace are not; ids as for paragraphs.
///
/// Text must be UTF-8 without NUL bytes. The first NUL marks the file as binary: one `.skip(.invalidUTF8)`
/// event at that byte, and the rest of the file is skipped (documents before it were already
/// yielded). So does the first invalid UTF-8 byte under the `reject` policy; under `replace`, each
/// invalid sequence becomes U+FFFD. A document above `maxDocumentBytes` is a
/// `.skip(.recordTooLarge)` event (a paragraph is dropped up to the next blank line and reading goes on;
/// in `file` mode the file is not read further). A file with no text (0 bytes, or only
/// whitespace) is one `.skip(.emptyFile)` event. A truncated or corrupt compressed stream yields the
/// paragraphs before the break; the one being read is dropped and reported as the
/// `.skip(.truncated)`/`.skip(.corrupt)` event.
///
/// A reader is a single-pass cursor; copies of it share the position.
public struct TextReader: DocumentReader {
    public let path: String
    private let options: TextReaderOptions
    private let policy: InputPolicy
    private let source: any ByteSource
    private let splitter: LineSplitter?
    private let blocks: SeparatorSplitter?
    private let chunkSize: Int
    private var ordinal = 0
    private var finished = false
    /// The paragraph being collected (lines joined by `\n`), reused between paragraphs.
    private var paragraph: [UInt8] = []
    private var inParagraph = false
    private var paragraphTooLarge = false
    private var paragraphLine = 0
    private var paragraphOffset = 0
    /// Set when the paragraph may hold invalid UTF-8 to replace (policy `replace`).
    private var needsRepair = false

    /// Opens `path`; compression comes from the extension (checked against the magic bytes).
    /// `bufferSize` is the read chunk (and initial line buffer) size.
    public init(path: String, options: TextReaderOptions, policy: InputPolicy = .init(),
                bufferSize: Int = 1 << 20) throws {
        self.path = path
        self.options = options
        self.policy = policy
        chunkSize = max(bufferSize, 16)
        source = try Compression.openSource(path: path, bufferSize: bufferSize,
                                            maxExpansionRatio: policy.maxExpansionRatio)
        splitter = options.split == .paragraphs
            ? LineSplitter(source: source, bufferSize: bufferSize, maxLineBytes: options.maxDocumentBytes) : nil
        if options.split == .separator, let separator = options.separator, !separator.isEmpty {
            blocks = SeparatorSplitter(source: source, separator: Array(separator.utf8), bufferSize: bufferSize,
                                       maxBlockBytes: options.maxDocumentBytes)
        } else {
            blocks = nil
        }
    }

    public mutating func next() throws -> ReaderEvent? {
        if finished { return nil }
        if let splitter { return try nextParagraph(splitter) }
        if let blocks { return try nextBlock(blocks) }
        finished = true
        return try wholeFile()
    }

    // MARK: - split: file

    private func wholeFile() throws -> ReaderEvent {
        let limit = options.maxDocumentBytes
        var text: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try source.read(into: chunk)
            if n == 0 { break }
            if text.count + n > limit {
                return .skipped(GristError(.skip(.recordTooLarge),
                                           "file is larger than max_document_bytes (\(limit))",
                                           at: InputPosition(path: path, line: 1, byteOffset: 0),
                                           hint: "raise text.max_document_bytes, or use split: paragraphs"))
            }
            text.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        }
        if let failure = source.failure {
            let position = text.withUnsafeBufferPointer { location(in: $0, at: $0.count) }
            return .skipped(GristError(failure.kind, failure.message, at: position, hint: failure.hint))
        }
        if text.allSatisfy(Self.isSpace) {
            return .skipped(GristError(.skip(.emptyFile), text.isEmpty ? "file is empty" : "file has only whitespace",
                                       at: InputPosition(path: path)))
        }
        let bad = text.withUnsafeBufferPointer { buffer -> InputPosition? in
            guard let index = firstInvalid(UnsafeRawBufferPointer(buffer)) else { return nil }
            return location(in: buffer, at: index)
        }
        if let bad, let offset = bad.byteOffset {
            return .skipped(notText(text[offset], at: bad))
        }
        if policy.repairsUTF8 { UTF8Validation.repair(&text) }
        return .document(Document(id: path, text: text, ordinal: 0, line: 1, byteOffset: 0))
    }

    /// The line and offset of byte `index` of the file held in `bytes`.
    private func location(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> InputPosition {
        var line = 1
        for byte in bytes[0..<index] where byte == 0x0A { line += 1 }
        return InputPosition(path: path, line: line, byteOffset: index)
    }

    // MARK: - split: paragraphs

    private mutating func nextParagraph(_ splitter: LineSplitter) throws -> ReaderEvent? {
        while true {
            switch try splitter.next() {
            case .line(let line):
                if line.allSatisfy(Self.isLineSpace) {
                    if inParagraph { return endParagraph() }
                    continue
                }
                if let bad = firstInvalid(line) {
                    finished = true
                    let position = InputPosition(path: path, line: splitter.lineNumber,
                                                 byteOffset: splitter.lineOffset + bad)
                    return .skipped(notText(line[bad], at: position))
                }
                startParagraphIfNeeded(splitter)
                append(line)
                if policy.repairsUTF8, !paragraphTooLarge { needsRepair = true }
            case .tooLong:
                startParagraphIfNeeded(splitter)
                paragraphTooLarge = true
                paragraph.removeAll()
            case .end:
                finished = true
                if inParagraph { return endParagraph() }
                if ordinal > 0 { return nil }
                let message = splitter.totalBytes == 0 ? "file is empty" : "file has only whitespace"
                return .skipped(GristError(.skip(.emptyFile), message, at: InputPosition(path: path)))
            case .failed(let failure):
                finished = true
                let position = inParagraph
                    ? InputPosition(path: path, line: paragraphLine, byteOffset: paragraphOffset)
                    : InputPosition(path: path, line: splitter.lineNumber, byteOffset: splitter.lineOffset)
                return .skipped(GristError(failure.kind, failure.message, at: position, hint: failure.hint))
            }
        }
    }

    private mutating func startParagraphIfNeeded(_ splitter: LineSplitter) {
        guard !inParagraph else { return }
        inParagraph = true
        paragraphTooLarge = false
        paragraphLine = splitter.lineNumber
        paragraphOffset = splitter.lineOffset
        paragraph.removeAll(keepingCapacity: paragraph.capacity <= 4 << 20)
    }

    private mutating func append(_ line: UnsafeRawBufferPointer) {
        if paragraphTooLarge { return }
        let separator = paragraph.isEmpty ? 0 : 1
        if paragraph.count + separator + line.count > options.maxDocumentBytes {
            paragraphTooLarge = true
            paragraph.removeAll()
            return
        }
        if separator == 1 { paragraph.append(0x0A) }
        paragraph.append(contentsOf: line)
    }

    // MARK: - split: separator

    private mutating func nextBlock(_ blocks: SeparatorSplitter) throws -> ReaderEvent? {
        while true {
            switch try blocks.next() {
            case .block(let block):
                if block.allSatisfy(Self.isSpace) { continue }
                let position = InputPosition(path: path, line: blocks.blockLine, byteOffset: blocks.blockOffset)
                if let bad = firstInvalid(block) {
                    finished = true
                    var at = position
                    at.byteOffset = blocks.blockOffset + bad
                    at.line = blocks.blockLine + block[0..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                    return .skipped(notText(block[bad], at: at))
                }
                var text = Array(block)
                if policy.repairsUTF8 { UTF8Validation.repair(&text) }
                let ordinal = takeOrdinal()
                return .document(Document(id: "\(path):\(blocks.blockLine)", text: text, ordinal: ordinal,
                                          line: blocks.blockLine, byteOffset: blocks.blockOffset))
            case .tooLong(let length):
                _ = takeOrdinal()
                return .skipped(GristError(.skip(.recordTooLarge),
                                           "block is \(length) bytes, more than max_document_bytes (\(options.maxDocumentBytes))",
                                           at: InputPosition(path: path, line: blocks.blockLine, byteOffset: blocks.blockOffset),
                                           hint: "raise text.max_document_bytes to keep such blocks"))
            case .end:
                finished = true
                if ordinal > 0 { return nil }
                let message = blocks.totalBytes == 0 ? "file is empty" : "file has only whitespace"
                return .skipped(GristError(.skip(.emptyFile), message, at: InputPosition(path: path)))
            case .failed(let failure):
                finished = true
                let position = InputPosition(path: path, line: blocks.blockLine, byteOffset: blocks.blockOffset)
                return .skipped(GristError(failure.kind, failure.message, at: position, hint: failure.hint))
            }
        }
    }

    private mutating func takeOrdinal() -> Int {
        defer { ordinal += 1 }
        return ordinal
    }

    private mutating func endParagraph() -> ReaderEvent {
        inParagraph = false
        let ordinal = self.ordinal
        self.ordinal += 1
        let position = InputPosition(path: path, line: paragraphLine, byteOffset: paragraphOffset)
        if paragraphTooLarge {
            return .skipped(GristError(.skip(.recordTooLarge),
                                       "paragraph is larger than max_document_bytes (\(options.maxDocumentBytes))",
                                       at: position, hint: "raise text.max_document_bytes to keep such paragraphs"))
        }
        var text = Array(paragraph)
        if needsRepair { UTF8Validation.repair(&text) }
        needsRepair = false
        let document = Document(id: "\(path):\(paragraphLine)", text: text, ordinal: ordinal,
                                line: paragraphLine, byteOffset: paragraphOffset)
        return .document(document)
    }

    // MARK: - Bytes

    /// The first byte that makes `bytes` unreadable: a NUL (binary file), or under `reject` an invalid byte.
    private func firstInvalid(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        if policy.repairsUTF8 {
            guard let nul = memchr(base, 0, bytes.count) else { return nil }
            return UnsafeRawPointer(nul) - UnsafeRawPointer(base)
        }
        return UTF8Validation.firstInvalid(UnsafeBufferPointer(start: base, count: bytes.count).span, rejectNUL: true)
    }

    private func notText(_ byte: UInt8, at position: InputPosition) -> GristError {
        let what = byte == 0 ? "a NUL byte" : "invalid UTF-8 byte \(hex(byte))"
        return GristError(.skip(.invalidUTF8), "not UTF-8 text (binary file?): \(what); the rest of the file is skipped",
                          at: position, hint: "convert the file to UTF-8, or leave it out of the source's paths")
    }

    /// Blank-line bytes: space, tab, `\r`.
    private static func isLineSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    /// Whitespace for "file has no text": blank-line bytes and `\n`.
    private static func isSpace(_ byte: UInt8) -> Bool { isLineSpace(byte) || byte == 0x0A }
}
