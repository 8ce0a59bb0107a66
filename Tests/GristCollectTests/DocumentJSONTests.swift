import Foundation
import GristCollect
import GristCore
import Testing

/// `DocumentJSON`: the JSON Lines `grist collect` and `grist filter` write.
@Suite struct DocumentJSONTests {
    private func line(_ text: [UInt8], id: String = "a\"b", metadata: DocumentMetadata = [:]) -> [UInt8] {
        var out: [UInt8] = []
        DocumentJSON.append(Document(id: id, text: text, ordinal: 0, line: 1, byteOffset: 0, metadata: metadata), to: &out)
        return out
    }

    @Test func escapesWhatJSONRequiresAndRoundTrips() throws {
        let text = "quote \" backslash \\ newline \n tab \t cr \r bell \u{07} nul \u{00} é 日本 😀 end"
        let out = line(Array(text.utf8), metadata: ["url": "http://x/\"y\""])
        #expect(out.last == 0x0A)
        #expect(out.dropLast().allSatisfy { $0 != 0x0A }, "one line")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out)) as? [String: Any])
        #expect(object["id"] as? String == "a\"b")
        #expect(object["text"] as? String == text)
        #expect((object["metadata"] as? [String: String])?["url"] == "http://x/\"y\"")
        let written = String(decoding: out, as: UTF8.self)
        #expect(written.contains(#"bell \u0007 nul \u0000 é 日本 😀 end"#), "control characters as \\u00XX, the rest as UTF-8")
    }

    @Test func invalidUTF8BecomesReplacementCharacters() throws {
        let out = line([0x61, 0xFF, 0x62, 0xC3])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out)) as? [String: Any])
        #expect(object["text"] as? String == "a\u{FFFD}b\u{FFFD}")
    }

    @Test func emptyAndEscapeOnlyStrings() throws {
        #expect(String(decoding: line([], id: ""), as: UTF8.self) == #"{"id":"","text":"","metadata":{}}"# + "\n")
        #expect(String(decoding: line(Array("\"\\".utf8), id: "\n"), as: UTF8.self)
                == #"{"id":"\n","text":"\"\\","metadata":{}}"# + "\n")
    }
}
