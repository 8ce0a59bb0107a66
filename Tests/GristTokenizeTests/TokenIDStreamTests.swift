import GristCore
import Testing
@testable import GristTokenize

/// The exact text and binary forms `grist tokenizer encode` writes and `decode` reads.
@Suite("Token id streams")
struct TokenIDStreamTests {
    @Test("Decimal: ids separated by single spaces, one newline")
    func decimal() throws {
        #expect(TokenIDStream.decimal([15496, 995]) == Array("15496 995\n".utf8))
        #expect(TokenIDStream.decimal([]) == Array("\n".utf8))
        #expect(TokenIDStream.decimal([0, 4_294_967_295]) == Array("0 4294967295\n".utf8))
        let parsed = try Array("1  22\n333\t4\r\n".utf8).withUnsafeBytes { try TokenIDStream.parseDecimal($0, source: "x") }
        #expect(parsed == [1, 22, 333, 4])
    }

    @Test("Binary: little-endian uint16, or uint32 above 65,536 ids")
    func binary() throws {
        #expect(TokenIDStream.binaryWidth(vocabularySize: 50257) == 2)
        #expect(TokenIDStream.binaryWidth(vocabularySize: 65536) == 2)
        #expect(TokenIDStream.binaryWidth(vocabularySize: 65537) == 4)
        #expect(try TokenIDStream.binary([1, 0x1234], width: 2) == [1, 0, 0x34, 0x12])
        #expect(try TokenIDStream.binary([0x0102_0304], width: 4) == [4, 3, 2, 1])
        #expect(throws: GristError.self) { _ = try TokenIDStream.binary([70000], width: 2) }
        let back = try [UInt8]([4, 3, 2, 1, 9, 0, 0, 0]).withUnsafeBytes {
            try TokenIDStream.parseBinary($0, width: 4, source: "x")
        }
        #expect(back == [0x0102_0304, 9])
    }

    @Test("Malformed input names the byte offset")
    func malformed() throws {
        let error = try #require(throws: GristError.self) {
            _ = try Array("12 3x4".utf8).withUnsafeBytes { try TokenIDStream.parseDecimal($0, source: "ids.txt") }
        }
        #expect(error.position == InputPosition(path: "ids.txt", byteOffset: 4))
        #expect(throws: GristError.self) {
            _ = try Array("99999999999".utf8).withUnsafeBytes { try TokenIDStream.parseDecimal($0, source: "x") }
        }
        #expect(throws: GristError.self) {
            _ = try [UInt8]([1, 2, 3]).withUnsafeBytes { try TokenIDStream.parseBinary($0, width: 2, source: "x") }
        }
    }

    @Test("UTF8Check finds the first malformed byte")
    func utf8Check() {
        func first(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBytes { UTF8Check.firstInvalid(in: $0) } }
        #expect(first(Array("héllo 日本 🎉".utf8)) == nil)
        #expect(first([]) == nil)
        #expect(first([0x61, 0xFF]) == 1)
        #expect(first([0x61, 0xC3]) == 1)              // truncated
        #expect(first([0xC0, 0xAF]) == 0)              // overlong
        #expect(first([0xED, 0xA0, 0x80]) == 0)        // surrogate
        #expect(first([0xF4, 0x90, 0x80, 0x80]) == 0)  // above U+10FFFF
        #expect(first([0x00, 0x61]) == nil)            // NUL is valid UTF-8
    }
}
