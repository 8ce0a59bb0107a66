import GristClean
import GristCore
import Testing

@Suite struct TextCleanerTests {
    private func clean(_ text: String, _ config: CleanConfig = CleanConfig()) -> String {
        String(decoding: TextCleaner(config: config).clean(Array(text.utf8)), as: UTF8.self)
    }

    @Test func composesToNFC() {
        #expect(clean("e\u{301}cole") == "\u{E9}cole")
        #expect(clean("Ame\u{301}lie and Zoe\u{308}") == "Am\u{E9}lie and Zo\u{EB}")
        // Already-NFC non-ASCII text is unchanged.
        #expect(clean("naïve café ‘quoted’ 東京 🙂") == "naïve café ‘quoted’ 東京 🙂")
    }

    @Test func nfkcFoldsCompatibilityCharacters() {
        #expect(clean("ﬁne ½", CleanConfig(unicode: .nfkc)) == "fine 1⁄2")
        #expect(clean("ﬁne", CleanConfig(unicode: .nfc)) == "ﬁne")
    }

    @Test func removesControlCharactersButKeepsTabsAndNewlines() {
        #expect(clean("a\u{0}b\u{7}c\u{7F}d\u{85}e\tf\ng") == "abcde\tf\ng")
    }

    @Test func normalizesWhitespace() {
        #expect(clean("\u{FEFF}  \n\nTitle  \r\n\r\n\r\n\r\nBody\rline\u{2028}end   \n\n") == "Title\n\nBody\nline\nend")
        #expect(clean("a\n   \n  \n \nb") == "a\n\nb")
        #expect(clean("def f():\n    return 1") == "def f():\n    return 1")
    }

    @Test func canLeaveWhitespaceAlone() {
        let config = CleanConfig(unicode: .none, removeControl: false, normalizeWhitespace: false)
        #expect(clean(" a \r\n\n\n b\u{1} ", config) == " a \r\n\n\n b\u{1} ")
    }

    @Test func dropsDocumentsThatCleanToNothing() {
        var document = Document(id: "d", text: Array(" \n\t\r\n".utf8), ordinal: 0, line: 1, byteOffset: 0)
        #expect(TextCleaner(config: CleanConfig()).apply(to: &document) == .drop(reason: "empty"))
        var kept = Document(id: "k", text: Array(" hi ".utf8), ordinal: 0, line: 1, byteOffset: 0)
        #expect(TextCleaner(config: CleanConfig()).apply(to: &kept) == .keep)
        #expect(kept.text == Array("hi".utf8))
    }
}
