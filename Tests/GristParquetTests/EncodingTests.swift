import GristCore
import Testing
@testable import GristParquet

/// Each encoding on hand-built bytes (the spec's own examples where it gives them) and on values
/// packed by a naive reference packer.
@Suite struct EncodingTests {
    // MARK: Helpers

    /// Packs `values` of `bitWidth` bits least significant first (the naive reference).
    static func pack(_ values: [UInt64], bitWidth: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (values.count * bitWidth + 7) / 8)
        var bit = 0
        for value in values {
            for b in 0..<bitWidth where (value >> UInt64(b)) & 1 == 1 {
                out[(bit + b) / 8] |= 1 << UInt8((bit + b) % 8)
            }
            bit += bitWidth
        }
        return out
    }

    static func rle(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt32] {
        var out = [UInt32](repeating: 0, count: count)
        try bytes.withUnsafeBytes { buffer in
            var decoder = try RLEHybridDecoder(buffer, bitWidth: bitWidth)
            try out.withUnsafeMutableBufferPointer { try decoder.decode(count: count, into: $0.baseAddress!) }
        }
        return out
    }

    static func delta(_ bytes: [UInt8], count: Int) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: count)
        try bytes.withUnsafeBytes { buffer in
            var decoder = try DeltaBinaryPackedDecoder(buffer)
            try out.withUnsafeMutableBufferPointer { try decoder.decode(count: count, into: $0.baseAddress!) }
        }
        return out
    }

    /// The values `views` finds in `source`, as strings.
    static func strings(_ views: ByteArrayViews, in source: [UInt8]) -> [String] {
        (0..<views.count).map { String(decoding: source[views.starts[$0]..<(views.starts[$0] + views.lengths[$0])], as: UTF8.self) }
    }

    // MARK: Bit unpacking

    @Test func unpackingMatchesTheNaivePackerAtEveryWidth() {
        var random = SplitMix64(seed: 7)
        for width in 0...64 {
            let count = 77
            let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
            let values = (0..<count).map { _ in random.next() & mask }
            let packed = Self.pack(values, bitWidth: width) + [0xAA]  // a trailing byte must not leak in
            var out = [UInt64](repeating: 9, count: count)
            packed.withUnsafeBytes { bytes in
                out.withUnsafeMutableBufferPointer { BitUnpacker.unpack64(bytes, bitWidth: width, count: count, into: $0.baseAddress!) }
            }
            #expect(out == values, "width \(width)")
            if width <= 32 {
                var narrow = [UInt32](repeating: 9, count: count)
                // From bit 3 on: the first value's low bits are lost, the rest shift.
                packed.withUnsafeBytes { bytes in
                    narrow.withUnsafeMutableBufferPointer { BitUnpacker.unpack32(bytes, bitWidth: width, count: count, into: $0.baseAddress!) }
                }
                #expect(narrow.map(UInt64.init) == values, "width \(width)")
            }
        }
    }

    // MARK: RLE / bit-packed hybrid

    @Test func rleRunsAndBitPackedRuns() throws {
        // The spec's example: bit width 3, values 0...7 bit-packed in one group: 0x88 0xC6 0xFA.
        #expect(try Self.rle([0x03, 0x88, 0xC6, 0xFA], bitWidth: 3, count: 8) == [0, 1, 2, 3, 4, 5, 6, 7])
        // A repeated run of 300 fives (varint header 600), width 3: one value byte.
        #expect(try Self.rle([0xD8, 0x04, 0x05], bitWidth: 3, count: 300) == [UInt32](repeating: 5, count: 300))
        // Width 9: repeated values take two bytes.
        #expect(try Self.rle([0x08, 0x2C, 0x01], bitWidth: 9, count: 4) == [300, 300, 300, 300])
        // A repeated run, then a bit-packed run, read across the boundary and stopping mid-group.
        let packed = Self.pack([1, 0, 1, 1, 0, 0, 1, 0], bitWidth: 1)
        #expect(try Self.rle([0x06, 0x01, 0x03] + packed, bitWidth: 1, count: 9) == [1, 1, 1, 1, 0, 1, 1, 0, 0])
    }

    @Test func rleInPieces() throws {
        // Decoding 3 + 5 + 4 values from a 16-value packed run at width 5 gives the same as at once.
        let values: [UInt64] = (0..<16).map { UInt64($0 * 7 % 32) }
        let bytes: [UInt8] = [0x05] + Self.pack(values, bitWidth: 5)
        var out = [UInt32](repeating: 0, count: 12)
        try bytes.withUnsafeBytes { buffer in
            var decoder = try RLEHybridDecoder(buffer, bitWidth: 5)
            try out.withUnsafeMutableBufferPointer { pointer in
                try decoder.decode(count: 3, into: pointer.baseAddress!)
                try decoder.decode(count: 5, into: pointer.baseAddress! + 3)
                try decoder.decode(count: 4, into: pointer.baseAddress! + 8)
            }
        }
        #expect(out.map(UInt64.init) == Array(values[0..<12]))
    }

    @Test func rleAcceptsACutLastRunButNotMissingValues() throws {
        // A bit-packed run of one group (8 values at width 8) cut to 5 bytes: 5 values are there.
        #expect(try Self.rle([0x03, 1, 2, 3, 4, 5], bitWidth: 8, count: 5) == [1, 2, 3, 4, 5])
        #expect(throws: DecodeFailure.self) { try Self.rle([0x03, 1, 2, 3, 4, 5], bitWidth: 8, count: 6) }
        #expect(throws: DecodeFailure.self) { try Self.rle([0x08], bitWidth: 8, count: 4) }  // run value missing
        #expect(throws: DecodeFailure.self) { try Self.rle([], bitWidth: 1, count: 1) }
        #expect(throws: DecodeFailure.self) { try Self.rle([0x00, 0x01], bitWidth: 33, count: 1) }
        // Width 0: every value is 0, the run headers still count them.
        #expect(try Self.rle([0x14], bitWidth: 0, count: 10) == [UInt32](repeating: 0, count: 10))
    }

    @Test func dictionaryIndicesAreChecked() throws {
        let bytes: [UInt8] = [4, 0x03] + Self.pack([0, 1, 11, 2, 3, 4, 5, 6], bitWidth: 4)
        var out = [UInt32](repeating: 0, count: 8)
        try bytes.withUnsafeBytes { buffer in
            try out.withUnsafeMutableBufferPointer { try DictionaryIndexDecoding.decode(buffer, count: 8, dictionaryCount: 12, into: $0.baseAddress!) }
        }
        #expect(out == [0, 1, 11, 2, 3, 4, 5, 6])
        do {
            try bytes.withUnsafeBytes { buffer in
                try out.withUnsafeMutableBufferPointer { try DictionaryIndexDecoding.decode(buffer, count: 8, dictionaryCount: 11, into: $0.baseAddress!) }
            }
            Issue.record("index 11 of 11 values passed")
        } catch let failure as DecodeFailure {
            #expect(failure.message == "dictionary index 11 out of range (dictionary has 11 values)")
            #expect(failure.kind == .skip(.corrupt))
        }
    }

    // MARK: PLAIN

    @Test func plainValues() throws {
        var ints = [Int32](repeating: 0, count: 2)
        try ([0x01, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF] as [UInt8]).withUnsafeBytes { bytes in
            try ints.withUnsafeMutableBufferPointer { _ = try PlainDecoding.fixed(bytes, count: 2, into: $0.baseAddress!) }
        }
        #expect(ints == [1, -1])
        var flags = [Bool](repeating: false, count: 10)
        try ([0b1010_0101, 0b10] as [UInt8]).withUnsafeBytes { bytes in
            try flags.withUnsafeMutableBufferPointer { _ = try PlainDecoding.booleans(bytes, count: 10, into: $0.baseAddress!) }
        }
        #expect(flags == [true, false, true, false, false, true, false, true, false, true])
        #expect(throws: DecodeFailure.self) {
            try ([1, 2, 3] as [UInt8]).withUnsafeBytes { bytes in
                try ints.withUnsafeMutableBufferPointer { _ = try PlainDecoding.fixed(bytes, count: 1, into: $0.baseAddress!) }
            }
        }
    }

    @Test func plainInt96IsImpalaTime() throws {
        // 2024-01-02 03:04:05.123456789: Julian day 2460312, nanoseconds of the day 11045123456789.
        var bytes: [UInt8] = []
        withUnsafeBytes(of: Int64(11_045_123_456_789).littleEndian) { bytes += $0 }
        withUnsafeBytes(of: Int32(2_460_312).littleEndian) { bytes += $0 }
        var out = [Int64](repeating: 0, count: 1)
        try bytes.withUnsafeBytes { buffer in
            try out.withUnsafeMutableBufferPointer { _ = try PlainDecoding.int96(buffer, count: 1, into: $0.baseAddress!) }
        }
        #expect(out == [1_704_164_645_123_456_789])
    }

    @Test func plainByteArrays() throws {
        let source: [UInt8] = [3, 0, 0, 0] + Array("abc".utf8) + [0, 0, 0, 0] + [2, 0, 0, 0] + Array("xy".utf8)
        var views = ByteArrayViews()
        let used = try source.withUnsafeBytes { try PlainDecoding.byteArrays($0, count: 3, into: &views) }
        #expect(used == source.count)
        #expect(Self.strings(views, in: source) == ["abc", "", "xy"])
        #expect(views.totalBytes == 5)
        // A length that runs past the page.
        let lying: [UInt8] = [9, 0, 0, 0] + Array("abc".utf8)
        #expect(throws: DecodeFailure.self) { try lying.withUnsafeBytes { try PlainDecoding.byteArrays($0, count: 1, into: &views) } }
        #expect(throws: DecodeFailure.self) { try source.withUnsafeBytes { try PlainDecoding.byteArrays($0, count: 4, into: &views) } }
        // More values than 4-byte lengths fit is refused before anything is allocated for them.
        #expect(throws: DecodeFailure.self) { try source.withUnsafeBytes { try PlainDecoding.byteArrays($0, count: 1 << 40, into: &views) } }
    }

    // MARK: DELTA_BINARY_PACKED

    @Test func deltaBinaryPackedSpecExamples() throws {
        // Example 1 of the spec: 1 2 3 4 5 (every delta 1: min delta 1, bit widths 0).
        #expect(try Self.delta([0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0], count: 5) == [1, 2, 3, 4, 5])
        // Example 2: 7 5 3 1 2 3 4 5 (min delta -2, relative deltas 0 0 0 3 3 3 3 at width 2).
        let example2: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 2, 0, 0, 0, 0xC0, 0x3F, 0, 0, 0, 0, 0, 0]
        #expect(try Self.delta(example2, count: 8) == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(throws: DecodeFailure.self) { try Self.delta(example2, count: 9) }
    }

    /// A DELTA_BINARY_PACKED stream of `values` (block 128, 4 miniblocks), by the naive packer.
    static func encodeDelta(_ values: [Int64]) -> [UInt8] {
        var out = CompactBytes()
        out.varint(128)
        out.varint(4)
        out.varint(UInt64(values.count))
        out.zigzag(values.first ?? 0)
        var i = 1
        while i < values.count {
            let block = (i..<min(i + 128, values.count)).map { values[$0] &- values[$0 - 1] }
            let minDelta = block.min()!
            out.zigzag(minDelta)
            var widths: [UInt8] = []
            var bodies: [[UInt8]] = []
            for m in 0..<4 {
                let part = block.dropFirst(m * 32).prefix(32).map { UInt64(bitPattern: $0 &- minDelta) }
                if part.isEmpty {
                    widths.append(0)
                    continue
                }
                let width = part.map { 64 - $0.leadingZeroBitCount }.max()!
                widths.append(UInt8(width))
                bodies.append(pack(part + [UInt64](repeating: 0, count: 32 - part.count), bitWidth: width))
            }
            out.bytes += widths
            for body in bodies { out.bytes += body }
            i += 128
        }
        return out.bytes
    }

    @Test func deltaBinaryPackedRoundTripsExtremes() throws {
        var random = SplitMix64(seed: 3)
        let values: [Int64] = [0, Int64.max, Int64.min, -1, 1] + (0..<600).map { i in
            i % 50 == 0 ? Int64(bitPattern: random.next()) : Int64(i * 3) - Int64(random.next() % 5)
        }
        #expect(try Self.delta(Self.encodeDelta(values), count: values.count) == values)
        // Reading a prefix stops inside a block.
        #expect(try Self.delta(Self.encodeDelta(values), count: 200) == Array(values[0..<200]))
    }

    @Test func deltaBinaryPackedBadHeadersFail() {
        #expect(throws: DecodeFailure.self) { try Self.delta([0x64, 0x04, 0x01, 0x00], count: 1) }  // block 100
        #expect(throws: DecodeFailure.self) { try Self.delta([0x80, 0x01, 0x03, 0x01, 0x00], count: 1) }  // 3 miniblocks
        #expect(throws: DecodeFailure.self) { try Self.delta([0x80, 0x01, 0x04, 0x03, 0x00, 0x00, 65, 0, 0, 0], count: 3) }  // width 65
        #expect(throws: DecodeFailure.self) { try Self.delta([0x80, 0x01, 0x04, 0x03, 0x00, 0x00, 8, 0, 0, 0, 1], count: 3) }  // short
    }

    // MARK: DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY

    @Test func deltaLengthByteArray() throws {
        let words = ["Hello", "World", "Foobar", "ABCDEF", ""]
        let data = Self.encodeDelta(words.map { Int64($0.utf8.count) }) + Array(words.joined().utf8)
        var views = ByteArrayViews()
        var scratch: [Int64] = []
        let used = try data.withUnsafeBytes { try DeltaLengthByteArrayDecoding.decode($0, count: 5, lengths: &scratch, into: &views) }
        #expect(used == data.count)
        #expect(Self.strings(views, in: data) == words)
        // A length stream of more values than the page has (a billion would cost memory and time).
        #expect(throws: DecodeFailure.self) {
            try data.withUnsafeBytes { try DeltaLengthByteArrayDecoding.decode($0, count: 3, lengths: &scratch, into: &views) }
        }
        let lying = Self.encodeDelta([5, 500]) + Array("HelloWorld".utf8)
        #expect(throws: DecodeFailure.self) {
            try lying.withUnsafeBytes { try DeltaLengthByteArrayDecoding.decode($0, count: 2, lengths: &scratch, into: &views) }
        }
    }

    @Test func deltaByteArraySpecExample() throws {
        // The spec's example: axis, axle, babble, babyhood: prefixes 0 2 0 3, suffixes axis le babble yhood.
        let suffixes = ["axis", "le", "babble", "yhood"]
        let data = Self.encodeDelta([0, 2, 0, 3]) + Self.encodeDelta(suffixes.map { Int64($0.count) }) + Array(suffixes.joined().utf8)
        var views = ByteArrayViews()
        var suffixViews = ByteArrayViews()
        var buffer: [UInt8] = []
        var a: [Int64] = []
        var b: [Int64] = []
        try data.withUnsafeBytes {
            try DeltaByteArrayDecoding.decode($0, count: 4, maxBytes: 1000, prefixScratch: &a, lengthScratch: &b,
                                              suffixes: &suffixViews, buffer: &buffer, into: &views)
        }
        #expect(Self.strings(views, in: buffer) == ["axis", "axle", "babble", "babyhood"])
        // A prefix longer than the value before it, and values that expand past the budget.
        let bad = Self.encodeDelta([0, 9]) + Self.encodeDelta([4, 2]) + Array("axisle".utf8)
        #expect(throws: DecodeFailure.self) {
            try bad.withUnsafeBytes {
                try DeltaByteArrayDecoding.decode($0, count: 2, maxBytes: 1000, prefixScratch: &a, lengthScratch: &b,
                                                  suffixes: &suffixViews, buffer: &buffer, into: &views)
            }
        }
        do {
            try data.withUnsafeBytes {
                try DeltaByteArrayDecoding.decode($0, count: 4, maxBytes: 10, prefixScratch: &a, lengthScratch: &b,
                                                  suffixes: &suffixViews, buffer: &buffer, into: &views)
            }
            Issue.record("expanded past maxBytes")
        } catch let failure as DecodeFailure {
            #expect(failure.kind == .skip(.decompressionBomb))
        }
    }

    // MARK: BYTE_STREAM_SPLIT

    @Test func byteStreamSplit() throws {
        let values: [Float] = [1.5, -2.25, .infinity]
        var streams = [UInt8](repeating: 0, count: 12)
        for (i, value) in values.enumerated() {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes in
                for k in 0..<4 { streams[k * 3 + i] = bytes[k] }
            }
        }
        var out = [Float](repeating: 0, count: 3)
        try streams.withUnsafeBytes { bytes in
            try out.withUnsafeMutableBufferPointer { try ByteStreamSplitDecoding.decode(bytes, count: 3, width: 4, into: $0.baseAddress!) }
        }
        #expect(out == values)
        #expect(throws: DecodeFailure.self) {
            try streams.withUnsafeBytes { bytes in
                try out.withUnsafeMutableBufferPointer { try ByteStreamSplitDecoding.decode(bytes, count: 4, width: 4, into: $0.baseAddress!) }
            }
        }
    }
}
