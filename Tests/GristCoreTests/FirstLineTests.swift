import GristCore
import Testing

@Suite struct FirstLineTests {
    @Test func firstNonBlankLineWithoutItsEnd() {
        #expect(FirstLine.of(Array("\n\n  Title line  \r\nbody".utf8)) == "Title line")
        #expect(FirstLine.of(Array("one line only".utf8)) == "one line only")
        #expect(FirstLine.of([]) == "")
        #expect(!FirstLine.isComplete(Array("  start of a".utf8)))
        #expect(FirstLine.isComplete(Array("\nline\n".utf8)))
    }

    @Test func cutAt120BytesOnACharacterBoundary() {
        // 119 ASCII bytes, then "é" (2 bytes) straddling byte 120: the whole character goes.
        let text = String(repeating: "a", count: 119) + "é" + String(repeating: "b", count: 50)
        let line = FirstLine.of(Array(text.utf8))
        #expect(line == String(repeating: "a", count: 119))
        #expect(FirstLine.isComplete(Array(text.utf8)))
        let exact = String(repeating: "c", count: 130)
        #expect(FirstLine.of(Array(exact.utf8)).utf8.count == 120)
    }
}
