/// Decodes Thrift's compact protocol, the encoding of every Parquet footer and page header, from a
/// byte buffer that may be hostile.
///
/// Spec: Apache Thrift's `doc/specs/thrift-compact-protocol.md`.
/// - A field header is one byte, `delta << 4 | type`, when the id is 1...15 above the previous field of
///   the same struct; with delta 0 the id follows as a zigzag varint.
/// - Integers are zigzag varints (i8 is one raw byte); binary is a varint length and the bytes;
///   doubles are 8 bytes little-endian; a bool field's value is its type nibble (1 true, 2 false).
/// - A list or set header is `size << 4 | elementType`, with size 15 meaning a varint size follows;
///   a map header is a varint size, then (when not empty) one byte `keyType << 4 | valueType`.
/// - A struct ends with a stop byte (0).
///
/// Nothing here trusts a length: every length and element count is checked against the bytes left
/// (each element of any type takes at least one byte), strings against `maxBinaryBytes`, collections
/// against `maxElements`, and nesting against `maxDepth`, so hostile input can neither recurse
/// without bound nor make the reader allocate more than a small multiple of its own size.
/// Unknown fields of any type are skipped, so files from newer writers read.
struct ThriftCompactReader {
    /// The compact protocol's type numbers (the low nibble of a field header, a list's element type).
    enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, `struct` = 12
    }

    /// Why a buffer does not decode, with the byte (from the buffer's start) where it was noticed.
    struct Failure: Error, Sendable {
        let message: String
        let offset: Int
    }

    /// Deepest nesting of structs and collections accepted (Parquet's deepest is about 7).
    static let maxDepth = 32
    /// Most elements in one list, set or map (Apache Arrow's default container limit).
    static let maxElements = 1_000_000
    /// Longest binary or string (Apache Arrow's default string limit).
    static let maxBinaryBytes = 100_000_000

    private let bytes: UnsafeRawBufferPointer
    /// The next byte to read.
    private(set) var position: Int
    /// The id of the previous field of the struct being read (0 at its start).
    private var lastFieldID: Int16 = 0
    /// The enclosing structs' `lastFieldID`s; its count is the struct depth.
    private var enclosing: [Int16] = []
    /// Structs and collections open (collections nest without a field id to save).
    private var depth = 0

    /// A reader of `bytes` (which must stay valid while it is used), from byte `position`.
    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - position }

    func failure(_ message: String) -> Failure { Failure(message: message, offset: position) }

    // MARK: Primitives

    mutating func readByte() throws(Failure) -> UInt8 {
        guard position < bytes.count else { throw failure("ends in the middle of a value") }
        let byte = bytes[position]
        position += 1
        return byte
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    mutating func readVarint() throws(Failure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63, byte > 1 { throw failure("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readI64() throws(Failure) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func readI32() throws(Failure) -> Int32 {
        let value = try readI64()
        guard let narrow = Int32(exactly: value) else { throw failure("i32 value \(value) out of range") }
        return narrow
    }

    mutating func readI16() throws(Failure) -> Int16 {
        let value = try readI64()
        guard let narrow = Int16(exactly: value) else { throw failure("i16 value \(value) out of range") }
        return narrow
    }

    mutating func readDouble() throws(Failure) -> Double {
        guard remaining >= 8 else { throw failure("ends in the middle of a double") }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return Double(bitPattern: bits)
    }

    /// The range in the buffer of a binary value (no copy).
    mutating func readBinaryRange() throws(Failure) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(Self.maxBinaryBytes) else {
            throw failure("binary of \(length) bytes is over the limit of \(Self.maxBinaryBytes)")
        }
        guard length <= UInt64(remaining) else {
            throw failure("binary of \(length) bytes runs past the end (\(remaining) bytes left)")
        }
        let start = position
        position += Int(length)
        return start..<position
    }

    /// A binary value, copied.
    mutating func readBinary() throws(Failure) -> [UInt8] {
        let range = try readBinaryRange()
        return Array(UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    /// A string (invalid UTF-8 is repaired with U+FFFD: strings here are names, for messages and lookup).
    mutating func readString() throws(Failure) -> String {
        let range = try readBinaryRange()
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    // MARK: Structs

    /// Enters a struct (its fields follow, then a stop byte).
    mutating func structBegin() throws(Failure) {
        try enter()
        enclosing.append(lastFieldID)
        lastFieldID = 0
    }

    /// Leaves the struct entered last (after `readFieldHeader` returned nil).
    mutating func structEnd() {
        lastFieldID = enclosing.removeLast()
        depth -= 1
    }

    /// The next field's id and type, or nil at the struct's stop byte. A bool field's value is in its
    /// type (`.boolTrue`, `.boolFalse`).
    mutating func readFieldHeader() throws(Failure) -> (id: Int16, type: FieldType)? {
        let byte = try readByte()
        if byte == 0 { return nil }
        guard let type = FieldType(rawValue: byte & 0x0F) else {
            throw Failure(message: "unknown field type \(byte & 0x0F)", offset: position - 1)
        }
        let delta = Int16(byte >> 4)
        let id: Int16
        if delta == 0 {
            id = try readI16()
        } else {
            let (sum, overflow) = lastFieldID.addingReportingOverflow(delta)
            if overflow { throw failure("field id overflows") }
            id = sum
        }
        lastFieldID = id
        return (id, type)
    }

    /// The value of a bool field whose header said `type`.
    func boolValue(_ type: FieldType) throws(Failure) -> Bool {
        switch type {
        case .boolTrue: return true
        case .boolFalse: return false
        default: throw failure("expected a bool field, found type \(type.rawValue)")
        }
    }

    // MARK: Collections

    /// Enters a list (or set): its element type and count; the elements follow, then `collectionEnd()`.
    mutating func listBegin() throws(Failure) -> (elementType: FieldType, count: Int) {
        let header = try readByte()
        var count = UInt64(header >> 4)
        if count == 15 { count = try readVarint() }
        // A list of bools holds each as one byte: 1 true, 2 (or 0) false.
        guard let type = FieldType(rawValue: header & 0x0F) else {
            throw failure("unknown list element type \(header & 0x0F)")
        }
        try checkCount(count, bytesEach: 1)
        try enter()
        return (type, Int(count))
    }

    /// Enters a map: its key and value types and entry count; then `collectionEnd()`.
    mutating func mapBegin() throws(Failure) -> (keyType: FieldType, valueType: FieldType, count: Int) {
        let count = try readVarint()
        try enter()
        if count == 0 { return (.byte, .byte, 0) }
        let types = try readByte()
        guard let key = FieldType(rawValue: types >> 4), let value = FieldType(rawValue: types & 0x0F) else {
            throw failure("unknown map types \(types)")
        }
        try checkCount(count, bytesEach: 2)
        return (key, value, Int(count))
    }

    /// Leaves the list, set or map entered last.
    mutating func collectionEnd() { depth -= 1 }

    /// A bool that is a list element (one byte).
    mutating func readBoolElement() throws(Failure) -> Bool {
        switch try readByte() {
        case 1: return true
        case 0, 2: return false
        case let other: throw failure("bool element \(other) is neither 1 nor 2")
        }
    }

    private func checkCount(_ count: UInt64, bytesEach: UInt64) throws(Failure) {
        guard count <= UInt64(Self.maxElements) else {
            throw failure("collection of \(count) elements is over the limit of \(Self.maxElements)")
        }
        guard count * bytesEach <= UInt64(remaining) else {
            throw failure("collection of \(count) elements cannot fit in the \(remaining) bytes left")
        }
    }

    private mutating func enter() throws(Failure) {
        guard depth < Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth) levels") }
        depth += 1
    }

    // MARK: Skipping

    /// Skips a value of `type` (a field's value, a list element): structs and collections whole.
    mutating func skip(_ type: FieldType, inCollection: Bool = false) throws(Failure) {
        switch type {
        case .boolTrue, .boolFalse:
            if inCollection { _ = try readBoolElement() }  // a bool field's value is in its header
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double:
            guard remaining >= 8 else { throw failure("ends in the middle of a double") }
            position += 8
        case .binary: _ = try readBinaryRange()
        case .list, .set:
            let (elementType, count) = try listBegin()
            for _ in 0..<count { try skip(elementType, inCollection: true) }
            collectionEnd()
        case .map:
            let (keyType, valueType, count) = try mapBegin()
            for _ in 0..<count {
                try skip(keyType, inCollection: true)
                try skip(valueType, inCollection: true)
            }
            collectionEnd()
        case .struct:
            try structBegin()
            while let field = try readFieldHeader() { try skip(field.type) }
            structEnd()
        }
    }
}

// MARK: Reading lists of values

extension ThriftCompactReader {
    /// A list whose elements are of `type`, each read by `element`.
    mutating func readList<T>(
        of type: FieldType, _ element: (inout ThriftCompactReader) throws(Failure) -> T
    ) throws(Failure) -> [T] {
        let (elementType, count) = try listBegin()
        guard elementType == type || (type == .boolTrue && elementType == .boolFalse) else {
            throw failure("list of type \(elementType.rawValue) where type \(type.rawValue) was expected")
        }
        var out: [T] = []
        for _ in 0..<count { out.append(try element(&self)) }  // grows with what is read, never reserved
        collectionEnd()
        return out
    }
}
