import GristCore

/// Reads an HTML file (plain, `.gz`, `.zst`, `.bz2`) as one document: its main text (or all its
/// visible text), with `title` and `lang` in the metadata.
///
/// The id is the file path. The whole file is read (at most `maxDocumentBytes` after
/// decompression, else `.skip(.recordTooLarge)`), parsed with libxml2's HTML parser and extracted by
/// `HTMLTextExtractor`. A page with no text is a document with empty text (cleaning drops it);
/// an empty file is `.skip(.emptyFile)`; `.skip(.invalidUTF8)` and `.skip(.tooDeep)` as `HTMLPage` says; a truncated
/// compressed file is `.skip(.truncated)` (nothing of it is kept: half a page is not a page).
public struct HTMLReader: DocumentReader {
    public let path: String
    private let options: HTMLReaderOptions
    private let policy: InputPolicy
    private let source: any ByteSource
    private var finished = false

    public init(path: String, options: HTMLReaderOptions, policy: InputPolicy = .init(),
                bufferSize: Int = 1 << 20) throws {
        self.path = path
        self.options = options
        self.policy = policy
        source = try Compression.openSource(path: path, bufferSize: bufferSize,
                                            maxExpansionRatio: policy.maxExpansionRatio)
    }

    public mutating func next() throws -> ReaderEvent? {
        if finished { return nil }
        finished = true
        let start = InputPosition(path: path, line: 1, byteOffset: 0)
        let bytes: [UInt8]
        switch try WholeStream.read(source, limit: options.maxDocumentBytes) {
        case .bytes(let read): bytes = read
        case .tooLarge:
            return .skipped(GristError(.skip(.recordTooLarge), "file is larger than max_document_bytes (\(options.maxDocumentBytes))",
                                       at: start, hint: "raise html.max_document_bytes to read such pages"))
        case .failed(let failure, let count):
            return .skipped(GristError(failure.kind, failure.message, at: InputPosition(path: path, byteOffset: count),
                                       hint: failure.hint))
        }
        if bytes.allSatisfy(BlockTextWriter.isSpace) {
            return .skipped(GristError(.skip(.emptyFile), bytes.isEmpty ? "file is empty" : "file has only whitespace",
                                       at: InputPosition(path: path)))
        }
        do {
            let page = try HTMLPage.extract(bytes, encoding: nil, mode: options.extract, policy: policy, at: start)
            var document = Document(id: path, text: page.text, ordinal: 0, line: 1, byteOffset: 0)
            if let title = page.title { document.metadata["title"] = title }
            if let lang = page.lang { document.metadata["lang"] = lang }
            return .document(document)
        } catch {
            return .skipped(error)
        }
    }
}
