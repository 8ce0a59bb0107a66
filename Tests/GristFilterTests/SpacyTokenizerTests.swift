import Foundation
@testable import GristFilter
import Testing

/// The tokenizer and sentencizer against spaCy's own output (fixtures from
/// scripts/reference/make_filter_fixtures.py). `GRIST_TOKEN_FIXTURE` points at a bigger file.
@Suite struct SpacyTokenizerTests {
    struct Case {
        var id: String
        var text: String
        var spans: [Int]
        var sentences: Int
    }

    static func load(_ path: String) throws -> [Case] {
        let data = try String(contentsOfFile: path, encoding: .utf8)
        var cases: [Case] = []
        for line in data.split(separator: "\n") where !line.isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            cases.append(Case(id: object["id"] as? String ?? "?", text: object["text"] as? String ?? "",
                              spans: object["spans"] as? [Int] ?? [], sentences: object["sentences"] as? Int ?? -1))
        }
        return cases
    }

    static func tokens(_ text: String) -> (scalars: [UInt32], tokens: [SpacyToken]) {
        let scalars = text.unicodeScalars.map(\.value)
        var tokens: [SpacyToken] = []
        scalars.withUnsafeBufferPointer { SpacyTokenizer.english.tokenize($0, into: &tokens) }
        return (scalars, tokens)
    }

    static func render(_ scalars: [UInt32], _ spans: [Int]) -> [String] {
        stride(from: 0, to: spans.count, by: 2).map { i in
            String(String.UnicodeScalarView(scalars[spans[i]..<spans[i + 1]].compactMap(Unicode.Scalar.init)))
        }
    }

    @Test func matchesSpacyOnFixture() throws {
        let path = ProcessInfo.processInfo.environment["GRIST_TOKEN_FIXTURE"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/spacy-tokens.jsonl"
        let cases = try Self.load(path)
        #expect(cases.count > 0)
        var failures = 0
        for c in cases {
            let (scalars, tokens) = Self.tokens(c.text)
            let spans = tokens.flatMap { [Int($0.start), Int($0.end)] }
            let sentences = scalars.withUnsafeBufferPointer { Sentencizer.count($0, tokens) }
            if spans != c.spans || sentences != c.sentences {
                failures += 1
                if failures <= 10 {
                    let ours = Self.render(scalars, spans), theirs = Self.render(scalars, c.spans)
                    let first = (0..<min(ours.count, theirs.count)).first { ours[$0] != theirs[$0] } ?? min(ours.count, theirs.count)
                    let lo = max(0, first - 3)
                    Issue.record("""
                        \(c.id): sentences \(sentences) vs \(c.sentences); first token difference at \(first):
                          ours   \(ours[lo..<min(ours.count, first + 4)])
                          spaCy  \(theirs[lo..<min(theirs.count, first + 4)])
                        """)
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(cases.count) texts tokenized differently")
    }
}
