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
        #expect(clean("ﬁne ½", CleanConfig().with { $0.unicode = .nfkc }) == "fine 1⁄2")
        #expect(clean("ﬁne", CleanConfig().with { $0.unicode = .nfc }) == "ﬁne")
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
        let config = CleanConfig().with { $0.unicode = .none; $0.removeControl = false; $0.normalizeWhitespace = false }
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

/// The fast whitespace and control pass against a plain line-by-line reference, on random text.
@Suite struct WhitespaceReferenceTests {
    /// Remove controls, unify line breaks, strip line ends, collapse blank lines, trim.
    private func reference(_ text: String, removeControl: Bool) -> String {
        var scalars = Array(text.unicodeScalars)
        if removeControl, scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        if removeControl {
            scalars.removeAll { s in
                (s.value < 0x20 && ![0x09, 0x0A, 0x0D].contains(s.value)) || s.value == 0x7F
                    || (0x80...0x9F).contains(s.value)
            }
        }
        var unified = String(String.UnicodeScalarView(scalars))
        unified = unified.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\u{2028}", with: "\n").replacingOccurrences(of: "\u{2029}", with: "\n")
        var lines = unified.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = Substring(line)
            while let last = line.unicodeScalars.last, last == " " || last == "\t" { line = line.dropLast() }
            return String(line)
        }
        var collapsed: [String] = []
        for line in lines {
            if line.isEmpty, collapsed.last?.isEmpty == true { continue }
            collapsed.append(line)
        }
        lines = collapsed
        var joined = lines.joined(separator: "\n")
        while let first = joined.unicodeScalars.first, [" ", "\t", "\n"].contains(first) {
            joined.unicodeScalars.removeFirst()
        }
        while let last = joined.unicodeScalars.last, [" ", "\t", "\n"].contains(last) {
            joined.unicodeScalars.removeLast()
        }
        return joined
    }

    @Test(arguments: [true, false]) func matchesTheReferenceOnRandomText(removeControl: Bool) {
        let pieces = ["a", "bc", " ", "  ", "\t", "\n", "\r", "\r\n", "\u{1}", "\u{7F}", "\u{85}", "\u{A0}", "é",
                      "\u{2028}", "\u{2029}", "東", "🙂", "\u{FEFF}", "x y", "\u{0}"]
        var generator = SplitMix64(seed: removeControl ? 1 : 2)
        let cleaner = TextCleaner(config: CleanConfig().with { $0.unicode = .none; $0.removeControl = removeControl })
        for _ in 0..<3000 {
            let length = Int(generator.next() % 24)
            let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let cleaned = String(decoding: cleaner.clean(Array(text.utf8)), as: UTF8.self)
            #expect(cleaned == reference(text, removeControl: removeControl), "input \(Array(text.unicodeScalars))")
        }
    }
}
