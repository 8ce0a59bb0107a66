import CLibXML2
import GristCore

/// Reads a MediaWiki XML export (`Special:Export`, Wikipedia's `pages-articles` dumps): plain,
/// `.gz`, `.zst` or `.bz2`, streamed through libxml2's `xmlTextReader` — one page in memory at a time.
///
/// - One document per `<page>` of a wanted namespace (`options.namespaces`, default articles);
///   redirects are passed over unless `skipRedirects` is false, and so are pages whose content
///   model is not wikitext (CSS, JavaScript, Lua, JSON). Passed-over pages are counted in `filtered`.
/// - The text is the last `<revision>`'s wikitext turned into plain text by `WikitextConverter`.
/// - The id is the page id; `title`, `page_id`, `revision_id`, `timestamp` and `url` (from the
///   dump's `<base>`) go into the metadata. Line and byte offset are the parser's at `<page>`.
///
/// Safety: no DTD is accepted (`XMLInput` refuses a `<!DOCTYPE` before libxml2 sees it: no entity
/// expansion, no external entities), no network, no entity substitution. A page whose wikitext
/// is above `maxDocumentBytes` is `.skip(.recordTooLarge)`. XML that is not well-formed ends the file
/// with `.skip(.notXML)` (libxml2's message and line; `.skip(.truncated)` when the data just stops); pages
/// before it are kept.
public final class MediaWikiReader: DocumentReader {
    public let path: String
    private let options: MediaWikiReaderOptions
    private let policy: InputPolicy
    private let input: XMLInput
    private let reader: xmlTextReaderPtr
    private let namespaces: Set<Int>
    private var ordinal = 0
    private var finished = false
    private var urlBase: String?
    /// Set when the reader failed while reading an element's text.
    private var readFailed = false
    public private(set) var filtered: [String: Int] = [:]

    public init(path: String, options: MediaWikiReaderOptions, policy: InputPolicy = .init(),
                bufferSize: Int = 1 << 18) throws {
        _ = LibXML.ready
        self.path = path
        self.options = options
        self.policy = policy
        namespaces = Set(options.namespaces)
        let source = try Compression.openSource(path: path, bufferSize: bufferSize,
                                                maxExpansionRatio: policy.maxExpansionRatio)
        input = XMLInput(source: source, path: path)
        let context = Unmanaged.passUnretained(input).toOpaque()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        guard let reader = xmlReaderForIO({ context, buffer, count in
            guard let context, let buffer, count > 0 else { return -1 }
            return Unmanaged<XMLInput>.fromOpaque(context).takeUnretainedValue().read(into: buffer, count: Int(count))
        }, nil, context, nil, nil, options) else {
            throw GristError(.io, "cannot start the XML reader", at: InputPosition(path: path))
        }
        self.reader = reader
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            let input = Unmanaged<XMLInput>.fromOpaque(context).takeUnretainedValue()
            guard input.xmlError == nil else { return }
            let message = error.pointee.message.map { String(cString: $0) } ?? "XML error \(error.pointee.code)"
            input.xmlError = (message.trimmingSpaces(), Int(error.pointee.line), Int(error.pointee.code))
        }, context)
    }

    deinit { xmlFreeTextReader(reader) }

    /// One page as it is read.
    private struct Page {
        var title = ""
        var namespace = 0
        var id = ""
        var redirect = false
        var revisionId = ""
        var timestamp = ""
        var model = ""
        var text: [UInt8] = []
        var tooLarge = 0
        var line = 0
        var offset = 0
    }

    public func next() throws -> ReaderEvent? {
        if finished { return nil }
        var page: Page?
        var inRevision = false
        while true {
            let rc = xmlTextReaderRead(reader)
            if rc == 0 {
                finished = true
                if ordinal == 0, filtered.isEmpty {
                    return .skipped(GristError(.skip(.emptyFile), "the dump has no pages", at: InputPosition(path: path)))
                }
                return nil
            }
            if rc < 0 { return failure(page: page) }
            let type = xmlTextReaderNodeType(reader)
            let depth = xmlTextReaderDepth(reader)
            let name = localName()
            if type == Int32(XML_READER_TYPE_ELEMENT.rawValue) {
                switch (depth, name) {
                case (1, "siteinfo"):
                    continue
                case (2, "base"):
                    if let base = readText(limit: 4096).map({ String(decoding: $0, as: UTF8.self) }),
                       let slash = base.lastIndex(of: "/") {
                        urlBase = String(base[...slash])
                    }
                case (1, "page"):
                    let node = xmlTextReaderCurrentNode(reader)
                    page = Page(line: node.map { Int(xmlGetLineNo($0)) } ?? Int(xmlTextReaderGetParserLineNumber(reader)),
                                offset: Int(xmlTextReaderByteConsumed(reader)))
                    inRevision = false
                case (2, "title"):
                    page?.title = readText(limit: 4096).map { String(decoding: $0, as: UTF8.self) } ?? ""
                case (2, "ns"):
                    page?.namespace = readText(limit: 32).flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
                case (2, "id"):
                    page?.id = readText(limit: 32).map { String(decoding: $0, as: UTF8.self) } ?? ""
                case (2, "redirect"):
                    page?.redirect = true
                case (2, "revision"):
                    inRevision = true
                case (3, "id") where inRevision:
                    page?.revisionId = readText(limit: 32).map { String(decoding: $0, as: UTF8.self) } ?? ""
                case (3, "timestamp") where inRevision:
                    page?.timestamp = readText(limit: 64).map { String(decoding: $0, as: UTF8.self) } ?? ""
                case (3, "model") where inRevision:
                    page?.model = readText(limit: 64).map { String(decoding: $0, as: UTF8.self) } ?? ""
                case (3, "text") where inRevision:
                    guard page != nil else { continue }
                    var tooLarge = 0
                    page?.text = readText(limit: options.maxDocumentBytes, tooLarge: &tooLarge) ?? []
                    page?.tooLarge = tooLarge
                default:
                    continue
                }
                if readFailed { return failure(page: page) }
            } else if type == Int32(XML_READER_TYPE_END_ELEMENT.rawValue), depth == 1, name == "page", let done = page {
                page = nil
                if let event = finish(done) { return event }
            }
        }
    }

    /// The page as a document, a skipped record, or nil when it is passed over.
    private func finish(_ page: Page) -> ReaderEvent? {
        let number = ordinal
        ordinal += 1
        let position = InputPosition(path: path, line: page.line, byteOffset: page.offset)
        if !namespaces.contains(page.namespace) {
            filtered["namespace", default: 0] += 1
            return nil
        }
        if page.redirect, options.skipRedirects {
            filtered["redirect", default: 0] += 1
            return nil
        }
        if !page.model.isEmpty, page.model != "wikitext" {
            filtered["not_wikitext", default: 0] += 1
            return nil
        }
        if page.tooLarge > 0 {
            return .skipped(GristError(.skip(.recordTooLarge),
                                       "page \"\(page.title)\": wikitext is \(page.tooLarge) bytes, more than max_document_bytes "
                                       + "(\(options.maxDocumentBytes))", at: position,
                                       hint: "raise mediawiki.max_document_bytes to read such pages"))
        }
        var document = Document(id: page.id.isEmpty ? "\(path):\(page.line)" : page.id,
                                text: WikitextConverter().plainText(page.text), ordinal: number,
                                line: page.line, byteOffset: page.offset)
        document.metadata["title"] = page.title
        if !page.id.isEmpty { document.metadata["page_id"] = page.id }
        if !page.revisionId.isEmpty { document.metadata["revision_id"] = page.revisionId }
        if !page.timestamp.isEmpty { document.metadata["timestamp"] = page.timestamp }
        if let urlBase, !page.title.isEmpty {
            document.metadata["url"] = urlBase + page.title.replacingSpaces()
        }
        return .document(document)
    }

    /// The text content of the current element (libxml2 gives it already decoded and as UTF-8),
    /// or nil for an empty element; at most `limit` bytes are kept (the size is still counted).
    private func readText(limit: Int) -> [UInt8]? {
        var ignored = 0
        return readText(limit: limit, tooLarge: &ignored)
    }

    private func readText(limit: Int, tooLarge: inout Int) -> [UInt8]? {
        if xmlTextReaderIsEmptyElement(reader) == 1 { return nil }
        var bytes: [UInt8] = []
        var total = 0
        let depth = xmlTextReaderDepth(reader)
        while true {
            let rc = xmlTextReaderRead(reader)
            if rc != 1 {
                readFailed = true  // the main loop reports it
                break
            }
            let type = xmlTextReaderNodeType(reader)
            if type == Int32(XML_READER_TYPE_END_ELEMENT.rawValue), xmlTextReaderDepth(reader) == depth { break }
            if type == Int32(XML_READER_TYPE_TEXT.rawValue) || type == Int32(XML_READER_TYPE_CDATA.rawValue)
                || type == Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue)
                || type == Int32(XML_READER_TYPE_WHITESPACE.rawValue) {
                let value = LibXML.bytes(xmlTextReaderConstValue(reader))
                total += value.count
                if total <= limit { bytes.append(contentsOf: value) }
            }
        }
        if total > limit {
            tooLarge = total
            return []
        }
        return bytes
    }

    private func localName() -> String {
        guard let name = xmlTextReaderConstLocalName(reader) else { return "" }
        return String(decoding: LibXML.bytes(name), as: UTF8.self)
    }

    /// The reader failed: our own failure, a broken stream, or XML that is not well-formed.
    private func failure(page: Page?) -> ReaderEvent {
        finished = true
        let line = Int(xmlTextReaderGetParserLineNumber(reader))
        if let error = input.failure { return .skipped(error) }
        if let broken = input.source.failure {
            return .skipped(GristError(broken.kind, broken.message,
                                       at: InputPosition(path: path, line: page?.line ?? line, byteOffset: page?.offset),
                                       hint: broken.hint))
        }
        let (message, errorLine, code) = input.xmlError ?? ("XML error", line, 0)
        // "Premature end of data in tag …" / "Extra content"… at the end of the input: the file was cut.
        let cut = input.ended && (code == Int(XML_ERR_TAG_NOT_FINISHED.rawValue) || code == Int(XML_ERR_DOCUMENT_END.rawValue)
            || code == Int(XML_ERR_LTSLASH_REQUIRED.rawValue) || code == Int(XML_ERR_GT_REQUIRED.rawValue))
        let kind: GristError.Kind = cut ? .skip(.truncated) : .skip(.notXML)
        let detail = cut ? "the file ends before the XML does: " + message : "not well-formed XML: " + message
        return .skipped(GristError(kind, detail, at: InputPosition(path: path, line: errorLine),
                                   hint: "pages before this point were read"))
    }
}

extension String {
    /// Spaces as underscores, as MediaWiki writes titles in URLs.
    func replacingSpaces() -> String { String(map { $0 == " " ? "_" : $0 }) }
}
