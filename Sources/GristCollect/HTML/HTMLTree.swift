import CLibXML2
import GristCore

/// An HTML page parsed by libxml2's HTML parser (error-tolerant, like a browser), freed with the value.
///
/// Options: `RECOVER` (broken markup is repaired, never refused), `NONET` (no network), `NOERROR`
/// and `NOWARNING` (nothing printed), `COMPACT`. The HTML parser never loads DTDs or external
/// entities, and `LibXML.ready` refuses them process-wide anyway.
final class HTMLTree {
    let document: htmlDocPtr
    /// The line at which libxml2 stopped building the tree because the page was nested deeper than
    /// its limit (256); nil when it did not. The tree then holds only what came before.
    let depthLimitLine: Int?

    static let maxDepth = 256

    /// Parses `bytes`; `encoding` overrides the page's own declaration (an HTTP `charset`).
    /// Returns nil when libxml2 produces no document at all (empty input).
    init?(bytes: UnsafeRawBufferPointer, encoding: String? = nil) {
        _ = LibXML.ready
        guard let base = bytes.baseAddress, bytes.count > 0, bytes.count <= Int(Int32.max),
              let context = htmlNewParserCtxt() else { return nil }
        defer { htmlFreeParserCtxt(context) }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue)
        let document = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            htmlCtxtReadMemory(context, chars, Int32(bytes.count), nil, encoding, options)
        }
        guard let document else { return nil }
        self.document = document
        let error = context.pointee.lastError
        let tooDeep = error.code == Int32(XML_ERR_INTERNAL_ERROR.rawValue)
            && error.message.map { String(cString: $0).contains("Excessive depth") } == true
        depthLimitLine = tooDeep ? Int(error.line) : nil
    }

    deinit { xmlFreeDoc(document) }

    /// The encoding libxml2 read the page in (from a BOM, `<meta charset>` or the override), if any.
    var declaredEncoding: String? {
        document.pointee.encoding.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
