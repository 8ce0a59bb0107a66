import Testing
@testable import GristParquet

/// The compact protocol decoder on hand-built bytes: every primitive, field ids by delta and written
/// out, nested structs, lists, skipping unknown fields of every type, and the limits.
@Suite struct ThriftCompactReaderTests {
    /// Runs `body` on a reader of `bytes`.
    func read<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws(ThriftCompactReader.Failure) -> T) throws -> T {
        try bytes.withUnsafeBytes { buffer in
            var reader = ThriftCompactReader(buffer)
            return try body(&reader)
        }
    }

    @Test func varintsAndZigzag() throws {
        var b = CompactBytes()
        b.varint(0)
        b.varint(127)
        b.varint(128)
        b.varint(300)
        b.varint(UInt64.max)
        b.zigzag(-1)
        b.zigzag(Int64.min)
        b.zigzag(Int64(Int32.max))
        b.zigzag(-300)
        let values = try read(b.bytes) { r throws(ThriftCompactReader.Failure) in
            [Int64(bitPattern: try r.readVarint()), Int64(bitPattern: try r.readVarint()), Int64(bitPattern: try r.readVarint()),
             Int64(bitPattern: try r.readVarint()), Int64(bitPattern: try r.readVarint()),
             try r.readI64(), try r.readI64(), Int64(try r.readI32()), Int64(try r.readI16())]
        }
        #expect(values == [0, 127, 128, 300, -1, -1, Int64.min, Int64(Int32.max), -300])
        #expect(b.bytes[0...3] == [0x00, 0x7F, 0x80, 0x01])
    }

    @Test func narrowIntegersOutOfRangeFail() throws {
        var b = CompactBytes()
        b.zigzag(Int64(Int32.max) + 1)
        #expect(throws: ThriftCompactReader.Failure.self) { try read(b.bytes) { r throws(ThriftCompactReader.Failure) in try r.readI32() } }
        #expect(throws: ThriftCompactReader.Failure.self) { try read([0xFF, 0xFF, 0x07]) { r throws(ThriftCompactReader.Failure) in try r.readI16() } }
    }

    @Test func badVarintsFail() {
        // Eleven continuation bytes, and a tenth byte with more than the 64th bit.
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read([UInt8](repeating: 0xFF, count: 11)) { r throws(ThriftCompactReader.Failure) in try r.readVarint() }
        }
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read([UInt8](repeating: 0xFF, count: 9) + [0x02]) { r throws(ThriftCompactReader.Failure) in try r.readVarint() }
        }
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read([0x80, 0x80]) { r throws(ThriftCompactReader.Failure) in try r.readVarint() }
        }
    }

    @Test func fieldHeadersByDeltaAndLongID() throws {
        var b = CompactBytes()
        b.field(delta: 1, type: 5)  // id 1, i32
        b.zigzag(7)
        b.field(delta: 3, type: 1)  // id 4, bool true
        b.field(longID: 300, type: 2)  // id 300, bool false
        b.field(delta: 2, type: 8)  // id 302, binary
        b.binary("héllo")
        b.field(longID: -5, type: 6)  // a negative id, i64
        b.zigzag(-9)
        b.stop()
        let fields = try read(b.bytes) { r throws(ThriftCompactReader.Failure) -> [String] in
            var out: [String] = []
            try r.structBegin()
            while let field = try r.readFieldHeader() {
                switch field.type {
                case .i32: out.append("\(field.id):\(try r.readI32())")
                case .boolTrue, .boolFalse: out.append("\(field.id):\(try r.boolValue(field.type))")
                case .binary: out.append("\(field.id):\(try r.readString())")
                case .i64: out.append("\(field.id):\(try r.readI64())")
                default: try r.skip(field.type)
                }
            }
            r.structEnd()
            #expect(r.remaining == 0)
            return out
        }
        #expect(fields == ["1:7", "4:true", "300:false", "302:héllo", "-5:-9"])
    }

    @Test func nestedStructsRestoreTheFieldID() throws {
        // struct { 1: struct { 5: i32 = 1 }, 2: i32 = 2 }: after the inner struct, delta 1 means id 2.
        var b = CompactBytes()
        b.field(delta: 1, type: 12)
        b.field(delta: 5, type: 5)
        b.zigzag(1)
        b.stop()
        b.field(delta: 1, type: 5)
        b.zigzag(2)
        b.stop()
        let ids = try read(b.bytes) { r throws(ThriftCompactReader.Failure) -> [Int16] in
            var ids: [Int16] = []
            try r.structBegin()
            while let outer = try r.readFieldHeader() {
                ids.append(outer.id)
                if outer.type == .struct {
                    try r.structBegin()
                    while let inner = try r.readFieldHeader() {
                        ids.append(inner.id)
                        _ = try r.readI32()
                    }
                    r.structEnd()
                } else {
                    _ = try r.readI32()
                }
            }
            r.structEnd()
            return ids
        }
        #expect(ids == [1, 5, 2])
    }

    @Test func listsShortAndLong() throws {
        var b = CompactBytes()
        b.bytes.append(3 << 4 | 5)  // 3 i32s
        b.zigzag(1)
        b.zigzag(-2)
        b.zigzag(3)
        b.bytes.append(0xF0 | 8)  // 20 binaries: size 15 means a varint size follows
        b.varint(20)
        for i in 0..<20 { b.binary("s\(i)") }
        b.bytes.append(2 << 4 | 1)  // 2 bools, a byte each
        b.bytes += [1, 2]
        let (ints, strings, bools) = try read(b.bytes) { r throws(ThriftCompactReader.Failure) in
            (try r.readList(of: .i32) { r throws(ThriftCompactReader.Failure) in try r.readI32() },
             try r.readList(of: .binary) { r throws(ThriftCompactReader.Failure) in try r.readString() },
             try r.readList(of: .boolTrue) { r throws(ThriftCompactReader.Failure) in try r.readBoolElement() })
        }
        #expect(ints == [1, -2, 3])
        #expect(strings == (0..<20).map { "s\($0)" })
        #expect(bools == [true, false])
    }

    @Test func listOfTheWrongTypeFails() {
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read([1 << 4 | 6, 2]) { r throws(ThriftCompactReader.Failure) in try r.readList(of: .i32) { r throws(ThriftCompactReader.Failure) in try r.readI32() } }
        }
    }

    @Test func unknownFieldsOfEveryTypeAreSkipped() throws {
        var b = CompactBytes()
        b.field(delta: 1, type: 3)  // byte
        b.bytes.append(0x7F)
        b.field(delta: 1, type: 4)  // i16
        b.zigzag(-3)
        b.field(delta: 1, type: 7)  // double
        b.bytes += [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]
        b.field(delta: 1, type: 8)  // binary
        b.binary("skip me")
        b.field(delta: 1, type: 9)  // list<struct>
        b.bytes.append(2 << 4 | 12)
        b.field(delta: 1, type: 5)
        b.zigzag(1)
        b.stop()
        b.stop()
        b.field(delta: 1, type: 10)  // set<i64>
        b.bytes.append(1 << 4 | 6)
        b.zigzag(99)
        b.field(delta: 1, type: 11)  // map<binary, list<bool>>
        b.varint(2)
        b.bytes.append(8 << 4 | 9)
        for key in ["a", "b"] {
            b.binary(key)
            b.bytes.append(1 << 4 | 1)
            b.bytes.append(1)
        }
        b.field(delta: 1, type: 11)  // an empty map: no type byte
        b.varint(0)
        b.field(delta: 1, type: 12)  // struct { struct { bool } }
        b.field(delta: 1, type: 12)
        b.field(delta: 1, type: 1)
        b.stop()
        b.stop()
        b.field(delta: 7, type: 5)  // the one field wanted, id 16 (after ids 1...9)
        b.zigzag(42)
        b.stop()
        let wanted = try read(b.bytes) { r throws(ThriftCompactReader.Failure) -> Int32? in
            var found: Int32?
            try r.structBegin()
            while let field = try r.readFieldHeader() {
                if field.id == 16 { found = try r.readI32() } else { try r.skip(field.type) }
            }
            r.structEnd()
            #expect(r.remaining == 0)
            return found
        }
        #expect(wanted == 42)
    }

    @Test func deepNestingIsRefused() {
        // 100 structs inside each other: skipping must stop at the depth limit, not overflow the stack.
        var b = CompactBytes()
        for _ in 0..<100 { b.field(delta: 1, type: 12) }
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read(b.bytes) { r throws(ThriftCompactReader.Failure) in try r.skip(.struct) }
        }
        // Lists of lists too.
        let lists = [UInt8](repeating: 1 << 4 | 9, count: 100)
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read(lists) { r throws(ThriftCompactReader.Failure) in try r.skip(.list) }
        }
    }

    @Test func lengthsAndCountsMustFitTheBytes() {
        // A list claiming a billion elements in 3 bytes, a binary claiming 1000 bytes in 2.
        var list = CompactBytes()
        list.bytes.append(0xF0 | 5)
        list.varint(1_000_000_000)
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read(list.bytes) { r throws(ThriftCompactReader.Failure) in try r.readList(of: .i32) { r throws(ThriftCompactReader.Failure) in try r.readI32() } }
        }
        var small = CompactBytes()
        small.bytes.append(0xF0 | 5)
        small.varint(20)  // 20 elements claimed, 5 present
        for i in 0..<5 { small.zigzag(Int64(i)) }
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read(small.bytes) { r throws(ThriftCompactReader.Failure) in try r.readList(of: .i32) { r throws(ThriftCompactReader.Failure) in try r.readI32() } }
        }
        var binary = CompactBytes()
        binary.varint(1000)
        binary.bytes += [1, 2]
        #expect(throws: ThriftCompactReader.Failure.self) { try read(binary.bytes) { r throws(ThriftCompactReader.Failure) in try r.readBinary() } }
        // A map claiming more entries than bytes.
        var map = CompactBytes()
        map.varint(1000)
        map.bytes.append(5 << 4 | 5)
        #expect(throws: ThriftCompactReader.Failure.self) { try read(map.bytes) { r throws(ThriftCompactReader.Failure) in try r.skip(.map) } }
    }

    @Test func unknownTypesAndTruncationFail() {
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read([0x1D]) { r throws(ThriftCompactReader.Failure) in try r.readFieldHeader() }  // type 13
        }
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read([0x15]) { r throws(ThriftCompactReader.Failure) in  // i32 field with no value
                try r.structBegin()
                while let field = try r.readFieldHeader() { try r.skip(field.type) }
            }
        }
        #expect(throws: ThriftCompactReader.Failure.self) { try read([1, 2, 3]) { r throws(ThriftCompactReader.Failure) in try r.readDouble() } }
    }

    @Test func pageHeaderOfAKnownFile() throws {
        // A data page header as pyarrow writes it: type 0, sizes, DataPageHeader{num_values 3, PLAIN, RLE, RLE}.
        var b = CompactBytes()
        b.field(delta: 1, type: 5)
        b.zigzag(0)
        b.field(delta: 1, type: 5)
        b.zigzag(120)
        b.field(delta: 1, type: 5)
        b.zigzag(80)
        b.field(delta: 2, type: 12)  // id 5
        b.field(delta: 1, type: 5)
        b.zigzag(3)
        b.field(delta: 1, type: 5)
        b.zigzag(0)
        b.field(delta: 1, type: 5)
        b.zigzag(3)
        b.field(delta: 1, type: 5)
        b.zigzag(3)
        b.field(delta: 1, type: 12)  // statistics: skipped
        b.field(delta: 1, type: 8)
        b.binary("max")
        b.stop()
        b.stop()
        b.stop()
        let header = try read(b.bytes) { r throws(ThriftCompactReader.Failure) in try PageHeader(from: &r) }
        #expect(header.type == 0)
        #expect(header.uncompressedPageSize == 120)
        #expect(header.compressedPageSize == 80)
        #expect(header.dataPage?.numValues == 3)
        #expect(header.dataPage?.encoding == 0)
        #expect(header.dataPage?.definitionLevelEncoding == 3)
        #expect(header.dataPageV2 == nil)
        // Without its required sizes it does not parse.
        #expect(throws: ThriftCompactReader.Failure.self) {
            try read([0x15, 0x00, 0x00]) { r throws(ThriftCompactReader.Failure) in try PageHeader(from: &r) }
        }
    }
}
