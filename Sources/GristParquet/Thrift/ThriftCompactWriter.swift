/// Encodes Thrift structs in the compact protocol, the encoding of every Parquet footer and page header.
///
/// The caller writes fields in increasing id order, as the generated Thrift code does, and closes each
/// struct it opens. Spec: Apache Thrift's `doc/specs/thrift-compact-protocol.md`.
///
/// - A field header is one byte, `delta << 4 | type`, when the id is 1...15 above the previous field
///   of the same struct; otherwise the type byte and the id as a zigzag varint.
/// - Integers are zigzag varints; binary and strings are a varint length and the bytes; doubles are
///   8 bytes little-endian.
/// - A bool field has no value byte: its type nibble is 1 (true) or 2 (false).
/// - A list header is `size << 4 | elementType` below 15 elements, else `0xF0 | elementType` and the
///   size as a varint.
/// - A struct ends with a stop byte (0).
struct ThriftCompactWriter {
    /// The compact protocol's type numbers (the low nibble of a field header or list header).
    enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, `struct` = 12

        /// The element type of a list of bools (the compact protocol writes true's number).
        static let bool = FieldType.boolTrue
    }

    /// The encoded bytes so far.
    private(set) var bytes: [UInt8]
    /// The id of the previous field of the struct being written (0 at its start).
    private var lastFieldID: Int16 = 0
    /// The enclosing structs' `lastFieldID`s.
    private var enclosing: [Int16] = []

    init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Whether every struct opened has been closed.
    var isBalanced: Bool { enclosing.isEmpty }

    // MARK: Fields

    mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, .i32)
        writeI32(value)
    }

    mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, .i64)
        writeI64(value)
    }

    mutating func field(_ id: Int16, i16 value: Int16) {
        fieldHeader(id, .i16)
        writeVarint(zigzag(Int64(value)))
    }

    mutating func field(_ id: Int16, bool value: Bool) {
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    mutating func field(_ id: Int16, double value: Double) {
        fieldHeader(id, .double)
        writeDouble(value)
    }

    mutating func field(_ id: Int16, binary value: some Collection<UInt8>) {
        fieldHeader(id, .binary)
        writeBinary(value)
    }

    mutating func field(_ id: Int16, string value: String) {
        field(id, binary: value.utf8)
    }

    /// Opens a struct-valued field; its fields follow, then `structEnd()`.
    mutating func fieldStructBegin(_ id: Int16) {
        fieldHeader(id, .struct)
        structBegin()
    }

    /// Opens a list-valued field of `count` elements; the elements follow (`writeI32`, `writeBinary`,
    /// `structBegin()`…`structEnd()`), with nothing to close the list.
    mutating func fieldListBegin(_ id: Int16, of elementType: FieldType, count: Int) {
        fieldHeader(id, .list)
        listBegin(of: elementType, count: count)
    }

    // MARK: Values (list elements, or a field's value after its header)

    /// Starts a struct: a list element, or the top-level struct (which needs no call: a fresh writer is
    /// at the start of one).
    mutating func structBegin() {
        enclosing.append(lastFieldID)
        lastFieldID = 0
    }

    /// Writes the stop byte of the innermost open struct.
    mutating func structEnd() {
        bytes.append(0)
        lastFieldID = enclosing.popLast() ?? 0
    }

    mutating func listBegin(of elementType: FieldType, count: Int) {
        precondition(count >= 0, "a list has no negative size")
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    mutating func writeI32(_ value: Int32) { writeVarint(zigzag(Int64(value))) }

    mutating func writeI64(_ value: Int64) { writeVarint(zigzag(value)) }

    mutating func writeDouble(_ value: Double) {
        var bits = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    mutating func writeBinary(_ value: some Collection<UInt8>) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeString(_ value: String) { writeBinary(value.utf8) }

    // MARK: Encoding

    private mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeVarint(zigzag(Int64(id)))
        }
        lastFieldID = id
    }

    /// Unsigned LEB128: 7 bits a byte, low bits first, the high bit set on every byte but the last.
    mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Maps signed to unsigned so that small magnitudes stay short: 0, -1, 1, -2 → 0, 1, 2, 3.
    private func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
