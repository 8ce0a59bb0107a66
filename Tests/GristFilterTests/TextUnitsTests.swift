@testable import GristFilter
import Testing

/// The units a classifier scores: Python's `splitlines()` on bytes, blank lines attached to the unit
/// before them, and the text put back as datatrove puts it.
@Suite struct TextUnitsTests {
    func units(_ text: String, _ granularity: TextGranularity) -> [String] {
        let bytes = Array(text.utf8)
        var units = TextUnits()
        return bytes.withUnsafeBufferPointer { t in
            units.split(t, granularity)
            return (0..<units.count).map { u in
                var out: [UInt8] = []
                units.append(unit: u, of: t, granularity: granularity, to: &out)
                return String(decoding: out, as: UTF8.self)
            }
        }
    }

    @Test func documentIsTheWholeText() {
        #expect(units("a\r\nb\n", .document) == ["a\r\nb\n"])
        #expect(units("", .document) == [""])
    }

    @Test func linesAreDatatrovesParagraphMode() {
        // datatrove: split_into_parts("\n\nHello\nWorld", mode="PARAGRAPH") == ["\n\n", "Hello\n", "World"]
        #expect(units("\n\nHello\nWorld", .line) == ["\n\n", "Hello\n", "World"])
        #expect(units("a\r\n \r\nb\u{2028}c\u{85}d\u{0C}e\n", .line) == ["a\n \n", "b\n", "c\n", "d\n", "e"])
        #expect(units("", .line) == [])
        #expect(units("\n", .line) == [""])
    }

    @Test func paragraphsEndAtBlankLines() {
        #expect(units("one\ntwo\n\nthree\n \nfour\nfive", .paragraph) == ["one\ntwo\n\n", "three\n \n", "four\nfive"])
        // leading blank lines are a unit of their own, as in datatrove's mode
        #expect(units("\n\nfirst\nsecond", .paragraph) == ["\n\n", "first\nsecond"])
        #expect(units("only", .paragraph) == ["only"])
    }

    @Test func stripIsPythons() {
        let text = Array("\u{3000} \tx y\u{A0}\n\u{2029}".utf8)
        text.withUnsafeBufferPointer { t in
            let r = TextUnits.strip(t, 0..<t.count)
            #expect(String(decoding: t[r], as: UTF8.self) == "x y")
        }
        let blank = Array(" \u{85}\u{1680}".utf8)
        blank.withUnsafeBufferPointer { #expect(TextUnits.strip($0, 0..<$0.count).isEmpty) }
    }
}
