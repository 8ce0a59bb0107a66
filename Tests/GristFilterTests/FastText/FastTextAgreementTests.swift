import Foundation
import GristCore
@testable import GristFilter
import Testing

/// Every prediction of fastText 0.9.3 itself on the committed models (Fixtures/fasttext/, made by
/// scripts/reference/make_fasttext_fixtures.py): softmax with word n-grams, softmax with character
/// n-grams, hierarchical softmax, one-vs-all, and three quantized `.ftz` files with pruned dictionaries
/// (one with its output matrix quantized too).
/// The same labels in the same order, probabilities within 1e-5, for both readings of newlines.
@Suite struct FastTextAgreementTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().path + "/Fixtures/fasttext"

    struct Reference {
        let texts: [String]
        let models: [[String: Any]]
    }

    static func reference() throws -> Reference {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/predictions.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Reference(texts: try #require(root["texts"] as? [String]),
                         models: try #require(root["models"] as? [[String: Any]]))
    }

    static func modelFiles() -> [String] {
        ["softmax-wordngrams.bin", "softmax-charngrams.bin", "hs.bin", "ova.bin", "quant-qnorm.ftz", "quant-retrain.ftz", "quant-qout.ftz"]
    }

    @Test(arguments: modelFiles())
    func everyPredictionMatchesFastText(file: String) throws {
        let reference = try Self.reference()
        let entry = try #require(reference.models.first { $0["file"] as? String == file })
        let k = try #require(entry["k"] as? Int)
        let threshold = Float(try #require(entry["threshold"] as? Double))
        let model = try FastTextModel(path: Self.folder + "/" + file)
        if case .quantized = model.input { #expect(file.hasSuffix(".ftz")) } else { #expect(file.hasSuffix(".bin")) }
        if case .quantized = model.output { #expect(file == "quant-qout.ftz") } else { #expect(file != "quant-qout.ftz") }
        let scratch = FastTextModel.Scratch()
        var compared = 0
        for (reading, key) in [(FastTextLineReading.firstLine, "line"), (.joined, "joined")] {
            let expectedAll = try #require(entry[key] as? [Any])
            #expect(expectedAll.count == reference.texts.count)
            for (i, text) in reference.texts.enumerated() {
                guard let expected = (expectedAll[i] as? [[Any]]) ?? ((entry["line"] as? [Any])?[i] as? [[Any]]) else {
                    Issue.record("no reference for text \(i)")
                    continue
                }
                var bytes = Array(text.utf8)
                bytes.withUnsafeMutableBytes { raw in
                    model.predict(UnsafeRawBufferPointer(raw), k: k, threshold: threshold, reading: reading, scratch: scratch)
                }
                let got = scratch.results.map { (model.labels[$0.label], $0.probability) }
                let want = expected.map { ($0[0] as! String, Float($0[1] as! Double)) }
                let same = got.count == want.count && zip(got, want).allSatisfy { $0.0 == $1.0 && abs($0.1 - $1.1) <= 1e-5 }
                #expect(same, "\(file) \(key) text \(i) \(text.prefix(60).debugDescription): got \(got.prefix(4)), fastText \(want.prefix(4))")
                compared += 1
            }
        }
        #expect(compared == 2 * reference.texts.count)
    }

    @Test func labelsAreTheModelsLabels() throws {
        let model = try FastTextModel(path: Self.folder + "/softmax-wordngrams.bin")
        #expect(model.labels.count == 22)
        #expect(model.labels.allSatisfy { $0.hasPrefix("__label__") })
        let results = "Die Installation von Debian auf dem Rechner ist einfach und schnell.".utf8CString.withUnsafeBytes { raw in
            model.predict(UnsafeRawBufferPointer(rebasing: raw.dropLast()), k: 1, threshold: 0)
        }
        #expect(results.map(\.label) == ["__label__de"])
    }
}
