import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide libxml2 setup, done once before the first parse: the parser's global state is
/// initialised (needed before parsing on several threads), and loading of external entities and
/// DTDs is refused outright, whatever a parser's options say (no XXE, no network, no file reads).
enum LibXML {
    static let ready: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    /// The UTF-8 bytes of a libxml2 string (not copied: valid while its node lives).
    @inline(__always)
    static func bytes(_ string: UnsafePointer<xmlChar>?) -> UnsafeBufferPointer<UInt8> {
        guard let string else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: string, count: strlen(UnsafeRawPointer(string).assumingMemoryBound(to: CChar.self)))
    }
}
