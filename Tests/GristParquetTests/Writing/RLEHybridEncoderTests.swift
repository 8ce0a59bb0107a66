import GristCore
import Testing
@testable import GristParquet

@Suite struct RLEHybridEncoderTests {
    private func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var out: [UInt8] = []
        values.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: bitWidth, into: &out) }
        return out
    }

    @Test func bitWidthHoldsTheLargestIndex() {
        #expect([1, 2, 3, 4, 5, 8, 9, 256, 257, 1 << 20].map { RLEHybridEncoder.bitWidth(forValuesBelow: $0) }
            == [1, 1, 2, 2, 3, 3, 4, 8, 9, 20])
    }

    @Test func bitPacksTheSpecExample() {
        // Encodings.md: 0...7 at width 3 pack to 10001000 11000110 11111010; header 1 << 1 | 1.
        #expect(encode(Array(0...7), bitWidth: 3) == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func runsOfEightOrMoreAreRLE() {
        #expect(encode(Array(repeating: 5, count: 10), bitWidth: 3) == [0x14, 0x05])
        #expect(encode(Array(repeating: 1, count: 300), bitWidth: 1) == [0xD8, 0x04, 0x01])
        // Wider than a byte: the repeated value takes two bytes.
        #expect(encode(Array(repeating: 300, count: 8), bitWidth: 9) == [0x10, 0x2C, 0x01])
    }

    @Test func shortTailsArePaddedToAGroup() {
        // 1, 2, 3 and five zeros at width 2: 01 | 10 << 2 | 11 << 4 = 0x39, then 0x00.
        #expect(encode([1, 2, 3], bitWidth: 2) == [0x03, 0x39, 0x00])
    }

    @Test func aGroupOfLiteralsThenARun() {
        #expect(encode([1, 2, 3, 4, 5, 6, 7, 0] + Array(repeating: 0, count: 16), bitWidth: 3)
            == [0x03, 0b1101_0001, 0b0101_1000, 0b0001_1111, 0x20, 0x00])
    }

    @Test func literalRunsStopAt63Groups() throws {
        let values = (0..<1000).map { UInt32($0 % 2) }
        let encoded = encode(values, bitWidth: 1)
        #expect(encoded[0] == 63 << 1 | 1)
        #expect(encoded[64] == 62 << 1 | 1)  // the 496 values left
        #expect(try decodeRLEHybrid(encoded, 0..<encoded.count, bitWidth: 1, count: 1000) == values)
    }

    @Test(arguments: [1, 2, 5, 8, 13, 20, 32])
    func roundTripsMixedRuns(bitWidth: Int) throws {
        var random = SplitMix64(seed: UInt64(bitWidth))
        var values: [UInt32] = []
        let mask = bitWidth == 32 ? UInt64(UInt32.max) : (1 << UInt64(bitWidth)) - 1
        while values.count < 5000 {
            let value = UInt32(random.next() & mask)
            let run = Int(random.next() % 4 == 0 ? random.next() % 40 : 1)
            values += repeatElement(value, count: max(run, 1))
        }
        let encoded = encode(values, bitWidth: bitWidth)
        #expect(try decodeRLEHybrid(encoded, 0..<encoded.count, bitWidth: bitWidth, count: values.count) == values)
    }
}

/// Decodes the RLE / bit-packing hybrid: `count` values of `bitWidth` bits from `bytes[range]`.
func decodeRLEHybrid(_ bytes: [UInt8], _ range: Range<Int>, bitWidth: Int, count: Int) throws -> [UInt32] {
    var position = range.lowerBound
    func byte() throws -> UInt8 {
        guard position < range.upperBound else { throw ProbeError("RLE data runs past its section") }
        defer { position += 1 }
        return bytes[position]
    }
    func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            result |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return result }
            shift += 7
        }
    }
    var out: [UInt32] = []
    let byteWidth = (bitWidth + 7) / 8
    while out.count < count {
        guard position < range.upperBound else { throw ProbeError("RLE data ends after \(out.count) of \(count) values") }
        let header = try varint()
        if header & 1 == 0 {
            var value: UInt32 = 0
            for index in 0..<byteWidth { value |= UInt32(try byte()) << UInt32(8 * index) }
            out.append(contentsOf: repeatElement(value, count: Int(header >> 1)))
        } else {
            let values = Int(header >> 1) * 8
            var pending: UInt64 = 0
            var bits = 0
            for _ in 0..<values {
                while bits < bitWidth {
                    pending |= UInt64(try byte()) << UInt64(bits)
                    bits += 8
                }
                out.append(UInt32(pending & ((1 << UInt64(bitWidth)) - 1)))
                pending >>= UInt64(bitWidth)
                bits -= bitWidth
            }
        }
    }
    return Array(out.prefix(count))
}

/// What the tests' decoders of written bytes could not follow.
struct ProbeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
