import Foundation
import GristCore
@testable import GristFilter
import Testing

/// The language identifier on the held-out set built with it (corpora/langid/heldout.jsonl, made by
/// corpora/scripts/build_langid.py from documents never used in training).
@Suite struct LanguageIdentifierTests {
    @Test func accuracyPerLanguageOnHeldOutText() throws {
        let path = FilterFixtureDocuments.root + "/corpora/langid/heldout.jsonl"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var correct: [String: Int] = [:], total: [String: Int] = [:]
        let identifier = LanguageIdentifier()
        for line in lines {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] ?? [:]
            let language = try #require(record["lang"]), text = try #require(record["text"])
            total[language, default: 0] += 1
            if identifier.identify(Array(text.utf8))?.language == language { correct[language, default: 0] += 1 }
        }
        #expect(total.count >= 20)
        var report: [String] = []
        for language in total.keys.sorted() {
            let accuracy = Double(correct[language] ?? 0) / Double(total[language] ?? 1)
            report.append("\(language) \(correct[language] ?? 0)/\(total[language] ?? 0)")
            #expect(accuracy >= 0.95, "\(language): \(accuracy)")
        }
        let overall = Double(correct.values.reduce(0, +)) / Double(total.values.reduce(0, +))
        #expect(overall >= 0.98, "overall \(overall): \(report.joined(separator: ", "))")
        print("language identification, held-out accuracy: \(report.joined(separator: ", ")); overall \(overall)")
    }

    /// Windows of 300 characters of the CLDR annotations (real Arabic, Hebrew, Hindi and Thai, scripts the
    /// model has never seen, and Greek, Korean, Russian and Chinese, which it knows).
    private func cldrWindows() throws -> [(language: String, text: String)] {
        let path = FilterFixtureDocuments.root + "/corpora/multilingual/cldr-annotations.jsonl"
        var windows: [(String, String)] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] ?? [:]
            let language = try #require(record["lang"]), text = Array(try #require(record["text"]))
            for start in stride(from: 0, to: text.count - 300, by: 3_000) {
                windows.append((language, String(text[start..<start + 300])))
            }
        }
        return windows
    }

    @Test func textInAScriptTheModelDoesNotKnowIsOther() throws {
        let identifier = LanguageIdentifier()
        var outcomes: [String: [String: Int]] = [:]
        for (language, text) in try cldrWindows() {
            let found = identifier.identify(Array(text.utf8))?.language ?? "none"
            outcomes[language, default: [:]][found, default: 0] += 1
        }
        for language in ["ar", "he", "hi", "th"] {
            let counts = try #require(outcomes[language])
            let total = counts.values.reduce(0, +)
            #expect(total >= 10 && Double(counts[LanguageIdentifier.other] ?? 0) >= 0.95 * Double(total), "\(language): \(counts)")
        }
        for language in ["el", "ko", "ru", "zh"] {
            let counts = try #require(outcomes[language])
            #expect(Double(counts[language] ?? 0) >= 0.9 * Double(counts.values.reduce(0, +)), "\(language): \(counts)")
        }
    }

    @Test func lettersOfAnUnknownScriptLowerTheKnownLanguagesScore() throws {
        let identifier = LanguageIdentifier()
        let english = "The quick brown fox jumps over the lazy dog, and then it runs away into the forest where nobody can see it."
        let arabic = try #require(try cldrWindows().first { $0.language == "ar" }).text
        let pure = try #require(identifier.identify(Array(english.utf8)))
        #expect(pure.language == "en" && pure.score > 0.99)
        // About a third of the letters Arabic: still English, with a score near the English share.
        let mixed = try #require(identifier.identify(Array((english + " " + String(arabic.prefix(60))).utf8)))
        #expect(mixed.language == "en", "\(mixed)")
        #expect(mixed.score > 0.5 && mixed.score < 0.8, "\(mixed.score)")
        let filter = try LanguageFilter(options: .init().with { $0.languages = ["en"] })
        var document = Document(id: "m", text: Array((english + " " + arabic).utf8), ordinal: 0, line: 1, byteOffset: 0)
        #expect(filter.apply(to: &document) == .drop(reason: "other_language"))
        #expect(document.metadata["language"] == LanguageIdentifier.other)
    }

    @Test func labelsDocumentsAndKeepsListedLanguages() throws {
        let filter = try LanguageFilter(options: .init().with { $0.languages = ["en"] })
        var english = Document(id: "e", text: Array("The quick brown fox jumps over the lazy dog, and then it runs away into the forest.".utf8),
                               ordinal: 0, line: 1, byteOffset: 0)
        #expect(filter.apply(to: &english) == .keep)
        #expect(english.metadata["language"] == "en")
        #expect(Double(english.metadata["language_score"] ?? "") ?? 0 > 0.65)
        var german = Document(id: "g", text: Array("Der schnelle braune Fuchs springt über den faulen Hund und läuft dann in den Wald.".utf8),
                              ordinal: 0, line: 1, byteOffset: 0)
        #expect(filter.apply(to: &german) == .drop(reason: "other_language"))
        #expect(german.metadata["language"] == "de")
        var digits = Document(id: "d", text: Array("12345 67890 !!! ###".utf8), ordinal: 0, line: 1, byteOffset: 0)
        #expect(filter.apply(to: &digits) == .drop(reason: "no_text"))
        var empty = Document(id: "x", text: [], ordinal: 0, line: 1, byteOffset: 0)
        #expect(try LanguageFilter(options: .init().with { $0.labelOnly = true }).apply(to: &empty) == .keep)
        #expect(throws: ConfigError.self) { try FilterRegistry.make(DeferredConfig(kind: "language", yaml: "{languages: [xx]}")) }
        // An empty list would drop every document; a bare code is held to lists' strictness, like `paths:`.
        #expect(throws: ConfigError.self) { try FilterRegistry.make(DeferredConfig(kind: "language", yaml: "{languages: []}")) }
        #expect(throws: (any Error).self) { try FilterRegistry.make(DeferredConfig(kind: "language", yaml: "{languages: en}")) }
        #expect(throws: Never.self) { try FilterRegistry.make(DeferredConfig(kind: "language", yaml: "{languages: [en, es]}")) }
    }
}
