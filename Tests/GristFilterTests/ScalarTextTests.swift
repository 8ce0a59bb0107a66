@testable import GristFilter
import Testing

/// `ScalarText`: UTF-8 to code points (Python's `str`) and back, on the eight-byte ASCII path and off it.
@Suite struct ScalarTextTests {
    private func scalars(_ bytes: [UInt8]) -> [UInt32] { ScalarText(utf8: bytes).scalars }

    @Test func validTextDecodesLikeSwiftAndEncodesBack() {
        // Runs of ASCII longer and shorter than eight bytes, at every alignment, between multi-byte scalars.
        var text = ""
        let pieces = ["plain ascii text", "é", "ab", "日本語", "abcdefghijklmnopq", "😀", "x", "Ωmega", "1234567", "\u{10FFFF}"]
        for i in 0..<60 { text += pieces[i % pieces.count] + String(repeating: "z", count: i % 9) }
        let bytes = Array(text.utf8)
        #expect(scalars(bytes) == text.unicodeScalars.map(\.value))
        #expect(ScalarText.utf8(scalars(bytes)) == bytes)
        #expect(scalars([]).isEmpty && ScalarText.utf8([]).isEmpty)
    }

    @Test func eachInvalidByteBecomesOneReplacementCharacter() {
        // A stray continuation byte, a truncated 3-byte sequence, an overlong encoding, a surrogate,
        // and a bad byte inside what would otherwise be an eight-byte ASCII block.
        let bytes: [UInt8] = [0x61, 0x80, 0x62, 0xE6, 0x97, 0x63, 0xC0, 0xAF, 0xED, 0xA0, 0x80,
                              0x61, 0x62, 0x63, 0xFF, 0x64, 0x65, 0x66, 0x67, 0x68]
        #expect(scalars(bytes) == [0x61, 0xFFFD, 0x62, 0xFFFD, 0xFFFD, 0x63, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD,
                                   0x61, 0x62, 0x63, 0xFFFD, 0x64, 0x65, 0x66, 0x67, 0x68])
    }
}
