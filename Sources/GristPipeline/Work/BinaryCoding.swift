import GristCore

/// A little-endian binary encoding for the build's own work files (part results, dedup members):
/// 64-bit integers and length-prefixed UTF-8 strings, read back with bounds checks so a damaged file is
/// an error (and the work is redone), never a crash.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func uint64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func double(_ value: Double) { uint64(value.bitPattern) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        int(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    mutating func optionalInt(_ value: Int?) {
        bool(value != nil)
        if let value { int(value) }
    }
}

struct BinaryReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    let path: String

    init(_ bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    var isAtEnd: Bool { offset == bytes.count }

    private func damaged(_ what: String) -> GristError {
        GristError(.badFormat, "work file is damaged (\(what) at byte \(offset))", at: InputPosition(path: path))
    }

    mutating func int() throws -> Int {
        guard offset + 8 <= bytes.count else { throw damaged("end of file") }
        defer { offset += 8 }
        return Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
    }

    mutating func uint64() throws -> UInt64 {
        guard offset + 8 <= bytes.count else { throw damaged("end of file") }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func double() throws -> Double { Double(bitPattern: try uint64()) }

    mutating func bool() throws -> Bool {
        guard offset < bytes.count else { throw damaged("end of file") }
        defer { offset += 1 }
        return bytes[offset] != 0
    }

    mutating func string() throws -> String {
        let count = try int()
        guard count >= 0, offset + count <= bytes.count else { throw damaged("string length \(count)") }
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]), as: UTF8.self)
    }

    mutating func optionalString() throws -> String? { try bool() ? try string() : nil }

    mutating func optionalInt() throws -> Int? { try bool() ? try int() : nil }

    /// A range written as its two bounds.
    mutating func range() throws -> Range<Int> {
        let lower = try int(), upper = try int()
        guard lower <= upper else { throw damaged("range \(lower)..<\(upper)") }
        return lower..<upper
    }

    /// Checks a count read from the file against what is left, before allocating for it.
    mutating func count(each minimumBytes: Int) throws -> Int {
        let count = try int()
        guard count >= 0, count <= (bytes.count - offset) / max(minimumBytes, 1) else { throw damaged("count \(count)") }
        return count
    }
}
