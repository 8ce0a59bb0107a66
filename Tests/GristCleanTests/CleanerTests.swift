import GristClean
import GristCore
import Testing

/// The list-form cleaners: what each changes, and that the registry builds them strictly.
@Suite struct CleanerTests {
    static func clean(_ kind: String, _ yaml: String = "{}", _ text: String) throws -> (Verdict, String) {
        let rule = try CleanerRegistry.make(DeferredConfig(kind: kind, yaml: yaml))
        var document = Document(id: "d", text: Array(text.utf8), ordinal: 0, line: 1, byteOffset: 0)
        let verdict = rule.apply(to: &document)
        return (verdict, String(decoding: document.text, as: UTF8.self))
    }

    @Test func fixesMojibake() throws {
        #expect(try Self.clean("fix_mojibake", "{}", "cafÃ© â€œquotedâ€\u{9D} itâ€™s").1 == "café “quoted” it’s")
        #expect(try Self.clean("fix_mojibake", "{}", "plain café, naïve").1 == "plain café, naïve")
    }

    @Test func replacesEmailsAndPublicIPsLikeDatatrove() throws {
        let text = "Write to joe.bloggs@mail.example.net or ann@b.c. Servers 8.8.8.8, 10.0.0.1, 192.168.1.1 and 1.2.3.4."
        let (_, out) = try Self.clean("pii", "{}", text)
        #expect(out == "Write to email@example.com or firstname.lastname@example.org. Servers 22.214.171.124, 10.0.0.1, "
            + "192.168.1.1 and 126.96.36.199.")
        #expect(try Self.clean("pii", "{remove_ips: false, email_replacement: x@y.z}", "a@b.cd 8.8.8.8").1 == "x@y.z 8.8.8.8")
        #expect(try Self.clean("pii", "{}", "version 01.2.3.4 stays").1 == "version 01.2.3.4 stays")
    }

    @Test func normalizesAndStripsLines() throws {
        #expect(try Self.clean("unicode", "{form: nfkc}", "ﬁne ①").1 == "fine 1")
        #expect(try Self.clean("whitespace", "{}", "a  \r\n\r\n\r\nb\t\n").1 == "a\n\nb")
        #expect(try Self.clean("strip_lines", "{patterns: ['^Share this']}", "Keep me\nShare this page\nand me").1
            == "Keep me\nand me")
        #expect(try Self.clean("strip_lines", "{patterns: ['.']}", "x\ny").0 == .drop(reason: "empty"))
        #expect(throws: ConfigError.self) { try Self.clean("strip_lines", "{patterns: ['(']}", "x") }
        #expect(throws: ConfigError.self) { try Self.clean("nope", "{}", "x") }
    }
}

/// Mojibake made from real text (UTF-8 bytes read as Windows-1252) is repaired to the original.
@Suite struct MojibakeRoundTripTests {
    static func garble(_ text: String) -> String {
        let cp1252: [UInt8: Unicode.Scalar] = [
            0x80: "\u{20AC}", 0x82: "\u{201A}", 0x83: "\u{0192}", 0x84: "\u{201E}", 0x85: "\u{2026}", 0x86: "\u{2020}",
            0x87: "\u{2021}", 0x88: "\u{02C6}", 0x89: "\u{2030}", 0x8A: "\u{0160}", 0x8B: "\u{2039}", 0x8C: "\u{0152}",
            0x8E: "\u{017D}", 0x91: "\u{2018}", 0x92: "\u{2019}", 0x93: "\u{201C}", 0x94: "\u{201D}", 0x95: "\u{2022}",
            0x96: "\u{2013}", 0x97: "\u{2014}", 0x98: "\u{02DC}", 0x99: "\u{2122}", 0x9A: "\u{0161}", 0x9B: "\u{203A}",
            0x9C: "\u{0153}", 0x9E: "\u{017E}", 0x9F: "\u{0178}",
        ]
        var out = String.UnicodeScalarView()
        for b in text.utf8 { out.append(cp1252[b] ?? Unicode.Scalar(b)) }
        return String(out)
    }

    @Test func repairsGarbledRealText() throws {
        let samples = [
            "En el principio crió Dios los cielos y la tierra. Y la tierra estaba desordenada y vacía, y las tinieblas estaban sobre la haz del abismo.",
            "Ελληνικά: «Καλημέρα», naïve café — “quotes” and ‘single’ … résumé; Straße, Œuvre, Ærø, Łódź, İstanbul.",
            "Emoji 🙂 and CJK 東京 survive: 1 イエス・キリストの使徒ペテロ",
        ]
        for text in samples {
            let garbled = Self.garble(text)
            #expect(garbled != text)
            var document = Document(id: "d", text: Array(garbled.utf8), ordinal: 0, line: 1, byteOffset: 0)
            _ = MojibakeFixer().apply(to: &document)
            #expect(String(decoding: document.text, as: UTF8.self) == text)
        }
    }
}
