import Testing
@testable import GristParquet

/// Bytes worked out by hand from Thrift's compact protocol spec (thrift-compact-protocol.md).
@Suite struct ThriftCompactWriterTests {
    @Test func fieldHeadersCarryTheDeltaOrTheFullID() {
        var thrift = ThriftCompactWriter()
        thrift.field(1, i32: 1)  // delta 1, i32 (5); zigzag(1) = 2
        thrift.field(2, i64: -1)  // delta 1, i64 (6); zigzag(-1) = 1
        thrift.field(3, string: "ab")  // delta 1, binary (8); length 2
        thrift.field(5, bool: true)  // delta 2, true (1), no value byte
        thrift.field(6, bool: false)  // delta 1, false (2)
        thrift.field(20, i32: 300)  // delta 14; zigzag(300) = 600 = 0b100_1011000 → D8 04
        thrift.field(40, i32: 0)  // delta 20 > 15: type byte, then zigzag(40) = 80
        thrift.field(41, i16: -3)  // delta 1, i16 (4); zigzag(-3) = 5
        thrift.structEnd()
        #expect(thrift.bytes == [
            0x15, 0x02,
            0x16, 0x01,
            0x18, 0x02, 0x61, 0x62,
            0x21,
            0x12,
            0xE5, 0xD8, 0x04,
            0x05, 0x50, 0x00,
            0x14, 0x05,
            0x00,
        ])
        #expect(thrift.isBalanced)
    }

    @Test func nestedStructsRestartAndRestoreFieldIDs() {
        var thrift = ThriftCompactWriter()
        thrift.field(1, i32: 7)
        thrift.fieldStructBegin(3)  // delta 2, struct (12)
        thrift.field(1, i32: -2)  // counts from 0 inside: delta 1; zigzag(-2) = 3
        thrift.fieldStructBegin(2)  // an empty struct: a stop byte only
        thrift.structEnd()
        thrift.structEnd()
        thrift.field(4, i32: 1)  // delta 1 from field 3 of the outer struct
        thrift.structEnd()
        #expect(thrift.bytes == [0x15, 0x0E, 0x2C, 0x15, 0x03, 0x1C, 0x00, 0x00, 0x15, 0x02, 0x00])
    }

    @Test func listHeadersHoldShortSizesInTheHighNibble() {
        var thrift = ThriftCompactWriter()
        thrift.fieldListBegin(2, of: .i32, count: 3)  // delta 2, list (9); 3 << 4 | i32
        for value: Int32 in [1, 2, 3] { thrift.writeI32(value) }
        thrift.fieldListBegin(3, of: .binary, count: 20)  // delta 1; 20 ≥ 15: 0xF8, then varint 20
        for _ in 0..<20 { thrift.writeString("") }
        thrift.fieldListBegin(4, of: .struct, count: 2)  // elements are structs numbered from 0
        for value: Int32 in [0, 63] {
            thrift.structBegin()
            thrift.field(1, i32: value)
            thrift.structEnd()
        }
        thrift.structEnd()
        #expect(thrift.bytes == [0x29, 0x35, 0x02, 0x04, 0x06, 0x19, 0xF8, 0x14]
            + [UInt8](repeating: 0, count: 20)
            + [0x19, 0x2C, 0x15, 0x00, 0x00, 0x15, 0x7E, 0x00, 0x00])
    }

    @Test func doublesAreLittleEndianAndWideIntegersTakeTenBytes() {
        var thrift = ThriftCompactWriter()
        thrift.field(1, double: 1.0)
        thrift.field(2, i64: Int64.min)  // zigzag: UInt64.max, ten varint bytes
        thrift.field(3, i64: 1 << 40)
        thrift.structEnd()
        #expect(thrift.bytes == [0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F]
            + [0x16] + [UInt8](repeating: 0xFF, count: 9) + [0x01]
            + [0x16, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]
            + [0x00])
    }
}
