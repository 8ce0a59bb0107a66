import CLibXML2
import GristCore

/// Feeds a `ByteSource` to libxml2's reader through its I/O callbacks, refusing any DTD.
///
/// Before the first byte reaches libxml2, the document's prolog (everything before the root
/// element) is checked: only an XML declaration, processing instructions, comments and whitespace
/// may come first. A `<!DOCTYPE` — where entity declarations live, so billion-laughs and external
/// entity (XXE) documents — fails the file as `.skip(.unsafeXML)` without libxml2 ever parsing it.
/// MediaWiki export files never have a DTD.
final class XMLInput {
    let source: any ByteSource
    let path: String
    /// Longest prolog accepted before the root element.
    static let maxProlog = 1 << 16

    private var head: [UInt8] = []
    private var headSent = 0
    private var checked = false
    /// The stream has no more bytes (cleanly or not).
    private(set) var ended = false
    /// A failure of our own (I/O, unsafe prolog) that made the read callback fail.
    var failure: GristError?
    /// The first error libxml2 reported: its message and line.
    var xmlError: (message: String, line: Int, code: Int)?

    init(source: any ByteSource, path: String) {
        self.source = source
        self.path = path
    }

    /// libxml2's read callback: up to `count` bytes into `into`; 0 at the end, -1 on failure.
    func read(into: UnsafeMutablePointer<CChar>, count: Int) -> Int32 {
        do {
            if !checked {
                try checkProlog()
                checked = true
            }
            if headSent < head.count {
                let n = min(count, head.count - headSent)
                head.withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress else { return }
                    UnsafeMutableRawPointer(into).copyMemory(from: base + headSent, byteCount: n)
                }
                headSent += n
                if headSent == head.count {
                    head = []
                    headSent = 0
                }
                return Int32(n)
            }
            let n = try source.read(into: UnsafeMutableRawBufferPointer(start: into, count: count))
            if n == 0 { ended = true }
            return Int32(n)
        } catch {
            failure = error
            return -1
        }
    }

    /// Reads the prolog into `head` and refuses a DTD.
    private func checkProlog() throws(GristError) {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            switch Self.scanProlog(head) {
            case .rootFound:
                return
            case .doctype(let offset):
                throw GristError(.skip(.unsafeXML), "the document has a DTD (<!DOCTYPE …>): entity declarations are refused "
                                 + "(billion laughs, external entities)", at: InputPosition(path: path, byteOffset: offset),
                                 hint: "MediaWiki export files have no DTD; this file is not one, or was tampered with")
            case .needMore:
                if head.count >= Self.maxProlog {
                    throw GristError(.skip(.notXML), "no root element in the first \(Self.maxProlog) bytes",
                                     at: InputPosition(path: path, byteOffset: 0))
                }
                let n = try source.read(into: chunk)
                if n == 0 { ended = true; return }  // libxml2 reports the missing root element
                head.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            }
        }
    }

    enum PrologScan: Equatable { case rootFound, doctype(Int), needMore }

    /// Walks the prolog of `bytes`: BOM, whitespace, `<?…?>`, `<!--…-->`, then `<` + a name start.
    static func scanProlog(_ bytes: [UInt8]) -> PrologScan {
        var i = 0
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while true {
            while i < n, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
            guard i + 1 < n else { return .needMore }
            guard bytes[i] == UInt8(ascii: "<") else { return .rootFound }  // not XML: libxml2 says so
            switch bytes[i + 1] {
            case UInt8(ascii: "?"):
                guard let close = find([0x3F, 0x3E], in: bytes, from: i + 2) else { return .needMore }
                i = close + 2
            case UInt8(ascii: "!"):
                guard i + 3 < n else { return .needMore }
                if bytes[i + 2] == UInt8(ascii: "-"), bytes[i + 3] == UInt8(ascii: "-") {
                    guard let close = find([0x2D, 0x2D, 0x3E], in: bytes, from: i + 4) else { return .needMore }
                    i = close + 3
                } else {
                    return .doctype(i)  // <!DOCTYPE, <!ENTITY, <![CDATA[ before the root: all refused
                }
            default:
                return .rootFound
            }
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for i in start...(bytes.count - needle.count) where bytes[i] == needle[0] {
            if Array(bytes[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
