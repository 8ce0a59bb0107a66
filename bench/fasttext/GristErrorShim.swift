import Glibc
// Stands in for GristCore's GristError and AtomicFile when bench/fasttext/compare.sh compiles GristFilter/FastText alone.
struct GristError: Error, CustomStringConvertible {
    enum Kind { case io, badFormat, usage }
    var kind: Kind
    var message: String
    init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    var description: String { message }
}

/// GristCore's AtomicFile, as far as the trainer's model writer uses it (the bench writes no model).
enum AtomicFile {
    final class Writer {
        var bytes: [UInt8] = []
        func write(_ b: [UInt8]) throws { bytes += b }
        func write(_ b: UnsafeRawBufferPointer) throws { bytes += b }
    }

    static func write(path: String, _ body: (Writer) throws -> Void) throws {
        let writer = Writer()
        try body(writer)
        guard let file = fopen(path, "wb") else { throw GristError(.io, "\(path): cannot write") }
        defer { fclose(file) }
        _ = writer.bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    }
}
