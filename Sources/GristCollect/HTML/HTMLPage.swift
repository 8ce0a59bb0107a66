import CLibXML2
import GristCore

/// Turns the bytes of one HTML page into text, title and language: the step shared by the HTML
/// reader (a file per page) and the WARC reader (a response record per page).
enum HTMLPage {
    /// Extracts `bytes`; `encoding` is a charset from outside the page (HTTP `Content-Type`).
    ///
    /// Encoding: libxml2 decodes the page from its byte order mark, its `<meta charset>` or
    /// `encoding`. A page read as UTF-8 (declared so, or not declared at all) that holds invalid
    /// UTF-8 is refused (`.skip(.invalidUTF8)` at the first bad byte) under the `reject` policy; under
    /// `replace` its bad sequences become U+FFFD before parsing.
    /// - Throws: `.skip(.invalidUTF8)`; `.skip(.tooDeep)` when the page nests elements deeper than libxml2's limit
    ///   (256), at the line where it stopped.
    static func extract(_ bytes: [UInt8], encoding: String?, mode: HTMLExtraction, policy: InputPolicy,
                        at position: InputPosition) throws(GristError) -> ExtractedHTML {
        let hint = encoding.flatMap(supportedEncoding)
        guard let tree = bytes.withUnsafeBytes({ HTMLTree(bytes: $0, encoding: hint) }) else {
            return ExtractedHTML(text: [], title: nil, lang: nil)
        }
        var parsed = tree
        if isUTF8(tree.declaredEncoding ?? hint) {
            let bad = UTF8Validation.firstInvalid(bytes.span, rejectNUL: false)
            if let bad {
                var at = position
                at.byteOffset = (position.byteOffset ?? 0) + bad
                guard policy.repairsUTF8 else {
                    throw GristError(.skip(.invalidUTF8), "page is read as UTF-8 but byte \(hex(bytes[bad])) is not UTF-8",
                                     at: at, hint: "declare the page's charset, or set invalid_utf8: replace")
                }
                var repaired = bytes
                UTF8Validation.repair(&repaired)
                guard let again = repaired.withUnsafeBytes({ HTMLTree(bytes: $0, encoding: "UTF-8") }) else {
                    return ExtractedHTML(text: [], title: nil, lang: nil)
                }
                parsed = again
            }
        }
        if let line = parsed.depthLimitLine {
            var at = position
            at.line = line
            at.byteOffset = nil
            throw GristError(.skip(.tooDeep), "HTML is nested deeper than \(HTMLTree.maxDepth) elements; libxml2 stops there",
                             at: at, hint: "such pages are broken or hostile; nothing of this page is kept")
        }
        return HTMLTextExtractor(mode: mode).extract(parsed.document)
    }

    private static func isUTF8(_ name: String?) -> Bool {
        guard let name else { return true }
        let lower = name.lowercased()
        return lower == "utf-8" || lower == "utf8"
    }

    /// `charset` values libxml2 can decode, as it names them; others are left to the page.
    private static func supportedEncoding(_ charset: String) -> String? {
        let name = charset.trimmingSpaces()
        guard !name.isEmpty, name.utf8.count < 40,
              let handler = xmlFindCharEncodingHandler(name) else { return nil }
        xmlCharEncCloseFunc(handler)
        return name
    }
}
