import Foundation
import GristCore
@testable import GristFilter
import Testing

/// datatrove 0.10.1's own decisions with a fastText model (Fixtures/fasttext/filter-decisions.json, made by
/// scripts/reference/make_fasttext_filter_fixtures.py from real paragraphs in 22 languages put together with
/// every kind of line break): `fasttext_classifier` keeps and drops what `FastTextClassifierFilter` does,
/// leaves the same text (paragraph mode rewrites it), and writes the same label scores; `language` with a
/// fastText model labels and decides as `LanguageFilter` with `FT176LID`.
@Suite struct FastTextFilterAgreementTests {
    static let folder = FastTextAgreementTests.folder
    static let model = folder + "/softmax-wordngrams.bin"

    static func fixture() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/filter-decisions.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func classifierSettings() throws -> [String] {
        (try fixture()["classifier"] as? [[String: Any]] ?? []).compactMap { ($0["setting"] as? [String: Any])?["name"] as? String }
    }

    @Test(arguments: try classifierSettings())
    func classifierDecidesAsDatatrove(setting name: String) throws {
        let root = try Self.fixture()
        let documents = try #require(root["documents"] as? [String])
        let entry = try #require((root["classifier"] as? [[String: Any]])?.first {
            ($0["setting"] as? [String: Any])?["name"] as? String == name
        })
        let setting = try #require(entry["setting"] as? [String: Any])
        var options = FastTextClassifierFilter.Options(model: Self.model)
        let pairs = try #require((setting["keep_labels"] ?? setting["remove_labels"]) as? [[Any]])
        options.label = try #require(pairs[0][0] as? String)
        options.threshold = try #require(pairs[0][1] as? Double)
        options.action = setting["keep_labels"] != nil ? .keep : .remove
        options.granularity = setting["filter_mode"] as? String == "PARAGRAPH" ? .line : .document
        options.newlineReplacement = setting["newline_replacement"] as? String ?? ""
        let filter = try FastTextClassifierFilter(options: options)
        let results = try #require(entry["results"] as? [[String: Any]])
        #expect(results.count == documents.count)
        var kept = 0
        for (index, (text, expected)) in zip(documents, results).enumerated() {
            var document = Document(id: "\(index)", text: Array(text.utf8), ordinal: index, line: 1, byteOffset: 0)
            let keep = filter.apply(to: &document) == .keep
            let expectedKeep = try #require(expected["keep"] as? Bool)
            #expect(keep == expectedKeep, "\(name), document \(index)")
            if keep {
                kept += 1
                #expect(String(decoding: document.text, as: UTF8.self) == expected["text"] as? String, "\(name), document \(index)")
            }
            let metadata = try #require(expected["metadata"] as? [String: Double])
            #expect(document.metadata.count == metadata.count, "\(name), document \(index)")
            for (label, score) in metadata {
                let ours = try #require(document.metadata[label].flatMap(Double.init), "\(name), document \(index), \(label)")
                #expect(abs(ours - score) < 1e-6, "\(name), document \(index), \(label): \(ours) vs \(score)")
            }
        }
        #expect(kept > 0 || name.contains("-de-"))
    }

    @Test func languageWithAFastTextModelDecidesAsDatatrove() throws {
        let root = try Self.fixture()
        let documents = try #require(root["documents"] as? [String])
        let settings = try #require(root["language"] as? [[String: Any]])
        #expect(settings.count == 3)
        for setting in settings {
            var options = LanguageFilter.Options()
            options.backend = .fasttext
            options.model = Self.model
            options.languages = setting["languages"] as? [String]
            options.languageThreshold = try #require(setting["threshold"] as? Double)
            let filter = try LanguageFilter(options: options)
            let results = try #require(setting["results"] as? [[String: Any]])
            for (index, (text, expected)) in zip(documents, results).enumerated() {
                var document = Document(id: "\(index)", text: Array(text.utf8), ordinal: index, line: 1, byteOffset: 0)
                let keep = filter.apply(to: &document) == .keep
                #expect(keep == expected["keep"] as? Bool, "\(options.languages ?? []), document \(index)")
                let metadata = try #require(expected["metadata"] as? [String: Any])
                #expect(document.metadata["language"] == metadata["language"] as? String, "document \(index)")
                let score = try #require(metadata["language_score"] as? Double)
                let ours = try #require(document.metadata["language_score"].flatMap(Double.init))
                #expect(abs(ours - score) <= 0.00005 + 1e-9, "document \(index): \(ours) vs \(score)")
            }
        }
    }
}
