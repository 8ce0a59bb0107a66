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
