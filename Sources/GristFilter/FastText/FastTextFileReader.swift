import GristCore

/// Reads the little-endian fields of a fastText model file, checking every length against the bytes
/// that are left, so a truncated or damaged file is an error naming the byte offset, never a crash or
/// an allocation the file cannot back.
struct FastTextFileReader {
    let bytes: [UInt8]
    let path: String
    private(set) var offset = 0

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - offset }

    func error(_ what: String, at position: Int? = nil) -> GristError {
        GristError(.badFormat, "\(path): not a fastText model (\(what) at byte \(position ?? offset))")
    }

    mutating func need(_ count: Int, _ what: String) throws {
        if count < 0 || count > remaining {
            throw error("\(what): needs \(count) bytes, \(remaining) left")
        }
    }

    /// A little-endian integer of `T`'s width.
    mutating func integer<T: FixedWidthInteger>(_ what: String, as _: T.Type) throws -> T {
        let width = MemoryLayout<T>.size
        try need(width, what)
        var v: T.Magnitude = 0
        for i in 0..<width { v |= T.Magnitude(bytes[offset + i]) << (8 * i) }
        offset += width
        return T(truncatingIfNeeded: v)
    }

    mutating func int32(_ what: String) throws -> Int32 { try integer(what, as: Int32.self) }

    mutating func int64(_ what: String) throws -> Int64 { try integer(what, as: Int64.self) }

    mutating func double(_ what: String) throws -> Double {
        Double(bitPattern: UInt64(bitPattern: try int64(what)))
    }

    mutating func uint8(_ what: String) throws -> UInt8 {
        try need(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bool(_ what: String) throws -> Bool { try uint8(what) != 0 }

    /// `count` floats; the count is checked against the file before anything is allocated.
    mutating func floats(_ count: Int, _ what: String) throws -> [Float] {
        guard count >= 0, count <= remaining / 4 else {
            throw error("\(what): \(count) floats, \(remaining) bytes left")
        }
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<(offset + count * 4)]))
            }
        }
        offset += count * 4
        return out  // little-endian hosts only (Linux x86-64 and arm64), as fastText itself writes
    }

    mutating func rawBytes(_ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
        try need(count, what)
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// A NUL-terminated string's bytes (without the NUL).
    mutating func cString(_ what: String) throws -> ArraySlice<UInt8> {
        var end = offset
        while end < bytes.count, bytes[end] != 0 { end += 1 }
        guard end < bytes.count else { throw error("\(what): no terminating NUL") }
        defer { offset = end + 1 }
        return bytes[offset..<end]
    }
}
