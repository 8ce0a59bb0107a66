import Foundation
import GristCore
@testable import GristFilter
import Testing

/// Training supervised fastText models: the dictionary, the C++ library pieces fastText's training
/// depends on (std::sort's order of ties, minstd_rand and its distributions), models equal byte for
/// byte to fastText 0.9.3's own (Fixtures/fasttext/training.json, made by
/// scripts/reference/make_fasttext_training_fixtures.py), determinism, the written file, and a trained
/// model that tells languages apart.
@Suite struct FastTextTrainingTests {
    static let langid = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path + "/corpora/langid/heldout.jsonl"

    /// corpora/langid/heldout.jsonl as (language, text, index within its language), in file order.
    static func langidDocuments() throws -> [(lang: String, text: String, index: Int)] {
        let data = try String(contentsOfFile: langid, encoding: .utf8)
        var seen: [String: Int] = [:]
        var out: [(String, String, Int)] = []
        for line in data.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let lang = try #require(object["lang"] as? String), text = try #require(object["text"] as? String)
            let i = seen[lang, default: 0]
            seen[lang] = i + 1
            out.append((lang, text, i))
        }
        return out
    }

    /// The fixture script's corpus: of each language's first 40 documents those with index 1, 2 or 3
    /// mod 8, ordered by (index, language).
    static func fixtureCorpus() throws -> FastTextCorpus {
        let picked = try langidDocuments().filter { $0.index < 40 && [1, 2, 3].contains($0.index % 8) }
            .sorted { ($0.index, $0.lang) < ($1.index, $1.lang) }
        var corpus = FastTextCorpus()
        for d in picked { corpus.append(labels: ["__label__" + d.lang], text: Array(d.text.utf8)) }
        return corpus
    }

    static func fixtureModels() throws -> [[String: Any]] {
        let path = FastTextAgreementTests.folder + "/training.json"
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        return try #require(root["models"] as? [[String: Any]])
    }

    static func settings(_ entry: [String: Any]) -> FastTextTrainingSettings {
        var s = FastTextTrainingSettings()
        s.dim = entry["dim"] as? Int ?? s.dim
        s.epoch = entry["epoch"] as? Int ?? s.epoch
        s.learningRate = entry["lr"] as? Double ?? s.learningRate
        s.wordNgrams = entry["wordNgrams"] as? Int ?? s.wordNgrams
        s.minn = entry["minn"] as? Int ?? s.minn
        s.maxn = entry["maxn"] as? Int ?? s.maxn
        s.bucket = entry["bucket"] as? Int ?? s.bucket
        s.minCount = entry["minCount"] as? Int ?? s.minCount
        s.seed = entry["seed"] as? Int ?? s.seed
        s.loss = (entry["loss"] as? String).flatMap(FastTextTrainingLoss.init(rawValue:)) ?? s.loss
        return s
    }

    @Test func dictionaryCountsEveryTokenAndSortsAsFastText() {
        let text = Array("__label__a x y x\n__label__b y z\n  __label__a x\n".utf8)
        func build(minCount: Int64, minCountLabel: Int64) -> FastTextDictionary {
            var builder = FastTextDictionaryBuilder(labelPrefix: FastTextDictionary.labelPrefix)
            text.withUnsafeBufferPointer { builder.add(corpus: $0) }
            return builder.dictionary(minCount: minCount, minCountLabel: minCountLabel, minn: 0, maxn: 0, bucket: 0)
        }
        func entries(_ d: FastTextDictionary) -> [String] {
            (0..<d.size).map { String(decoding: d.text[Int(d.textStart[$0])..<Int(d.textStart[$0 + 1])], as: UTF8.self) + ":\(d.counts[$0])" }
        }
        let all = build(minCount: 1, minCountLabel: 0)
        // words first, by count descending (ties in first-seen order, as std::sort's insertion sort
        // leaves fewer than 17 entries), then labels; `</s>` once per line; every token counted
        #expect(entries(all) == ["x:3", "</s>:3", "y:2", "z:1", "__label__a:2", "__label__b:1"])
        #expect(all.nwords == 4 && all.nlabels == 2 && all.ntokens == 12)
        let thresholded = build(minCount: 2, minCountLabel: 2)
        #expect(entries(thresholded) == ["x:3", "</s>:3", "y:2", "__label__a:2"])
        #expect(thresholded.ntokens == 12)
    }

    @Test func introSortOrdersTiesAsLibstdcxx() {
        // 60 keys from an LCG, sorted descending by g++ 12's std::sort: the original indices in the
        // order it leaves them (computed apart with a C++ program)
        let keys = [1, 1, 0, 3, 0, 0, 4, 0, 0, 4, 2, 2, 3, 2, 0, 3, 1, 0, 1, 4, 4, 0, 1, 1, 4, 4, 0, 4, 4, 4, 3, 0, 4, 1, 4,
                    0, 1, 1, 1, 4, 2, 1, 3, 0, 0, 0, 3, 2, 1, 1, 2, 3, 0, 2, 0, 3, 3, 3, 0, 3]
        let expected = [39, 19, 20, 24, 25, 27, 28, 29, 32, 34, 9, 6, 30, 42, 46, 51, 55, 56, 57, 59, 3, 15, 12, 53, 50, 11,
                        47, 13, 10, 40, 37, 1, 38, 41, 48, 49, 18, 33, 0, 22, 23, 36, 16, 26, 21, 58, 2, 4, 54, 52, 5, 17,
                        14, 7, 45, 44, 43, 8, 31, 35]
        var order = Array(0..<keys.count)
        CxxIntroSort.sort(&order) { keys[$0] > keys[$1] }
        #expect(order == expected)
        // the heapsort fallback, reached past 2·log2(n) levels, still sorts
        var many = (0..<5000).map { ($0 * 7919) % 13 }
        CxxIntroSort.sort(&many) { $0 < $1 }
        #expect(many == many.sorted())
    }

    @Test func minstdRandAndItsDistributionsMatchLibstdcxx() {
        // C++11 requires the 10000th value of a default-constructed minstd_rand (seed 1) to be 399268537
        var rng = MinstdRand(seed: 1)
        for _ in 0..<9999 { _ = rng.next() }
        #expect(rng.next() == 399_268_537)
        // values of g++'s uniform_real_distribution<>(-0.01f, 0.01f) and uniform_int_distribution<>(0, 2)
        var r0 = MinstdRand(seed: 0)
        let a = Double(Float(0.01))
        let uniform = (0..<4).map { _ in Float(r0.uniform(-a, a)) }
        #expect(uniform == [-0.00829935074, 0.00783222541, -0.00620620465, -0.0020398323])
        var r7 = MinstdRand(seed: 7)
        #expect((0..<10).map { _ in r7.uniformInt(upTo: 2) } == [0, 1, 0, 0, 2, 0, 1, 2, 2, 0])
    }

    @Test(arguments: ["softmax", "hs", "ova"])
    func trainsTheSameModelAsFastText(name: String) throws {
        let entry = try #require(try Self.fixtureModels().first { $0["name"] as? String == name })
        let model = try FastTextTrainer(settings: Self.settings(entry)).train(try Self.fixtureCorpus())
        let bytes = FastTextModelWriter.bytes(of: model)
        #expect(bytes.count == entry["bytes"] as? Int)
        #expect(SHA256.hex(of: bytes) == entry["sha256"] as? String, "\(name): not fastText's model")
    }

    @Test func trainingTwiceGivesTheSameBytes() throws {
        var s = FastTextTrainingSettings()
        s.dim = 10
        s.wordNgrams = 2
        s.bucket = 20_000
        s.seed = 5
        let corpus = try Self.fixtureCorpus()
        let a = FastTextModelWriter.bytes(of: try FastTextTrainer(settings: s).train(corpus))
        let b = FastTextModelWriter.bytes(of: try FastTextTrainer(settings: s).train(corpus))
        #expect(a == b)
        s.seed = 6
        #expect(FastTextModelWriter.bytes(of: try FastTextTrainer(settings: s).train(corpus)) != a)
    }

    /// Trained on 22 languages' paragraphs, the model names the language of held-out ones.
    @Test func trainedModelClassifiesHeldOutLanguages() throws {
        let docs = try Self.langidDocuments()
        var train = docs.filter { $0.index % 8 != 0 && $0.index < 60 }
        train.sort { ($0.index, $0.lang) < ($1.index, $1.lang) }  // languages interleaved
        var corpus = FastTextCorpus()
        for d in train { corpus.append(labels: ["__label__" + d.lang], text: Array(d.text.utf8)) }
        var s = FastTextTrainingSettings()
        s.dim = 16
        s.epoch = 10
        s.learningRate = 0.5  // fastText 0.9.3 with these settings and lines: 0.927
        let trained = try FastTextTrainer(settings: s).train(corpus)
        #expect(trained.labels.count == 22 && trained.examples == train.count)
        let model = try trained.loaded()
        let held = docs.filter { $0.index % 8 == 0 }
        var right = 0
        for d in held {
            let best = d.text.utf8.withContiguousStorageIfAvailable { model.predict(UnsafeRawBufferPointer($0), k: 1, threshold: 0) }
                ?? Array(d.text.utf8).withUnsafeBytes { model.predict($0, k: 1, threshold: 0) }
            if best.first?.label == "__label__" + d.lang { right += 1 }
        }
        let accuracy = Double(right) / Double(held.count)
        #expect(accuracy > 0.9, "held-out accuracy \(accuracy) on \(held.count) paragraphs")
    }

    @Test func writtenFileLoadsAndPredictsAsTheTrainedModel() throws {
        var s = FastTextTrainingSettings()
        s.dim = 12
        s.loss = .hs
        s.wordNgrams = 2
        s.bucket = 10_000
        let trained = try FastTextTrainer(settings: s).train(try Self.fixtureCorpus())
        let folder = FileManager.default.temporaryDirectory.path + "/grist-fasttext-train-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.bin"
        try FastTextModelWriter.write(trained, to: path)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == FastTextModelWriter.bytes(of: trained))
        let fromFile = try FastTextModel(path: path)
        let inMemory = try trained.loaded()
        #expect(fromFile.labels == trained.labels && fromFile.dimension == 12)
        #expect(fromFile.args.loss == .hierarchicalSoftmax && fromFile.args.bucket == 10_000 && fromFile.args.wordNgrams == 2)
        #expect(fromFile.dictionary.ntokens == trained.tokenCount && Int(fromFile.dictionary.nwords) == trained.wordCount)
        for d in try Self.langidDocuments().prefix(200) {
            var text = Array(d.text.utf8)
            let (a, b) = text.withUnsafeMutableBytes { raw in
                (fromFile.predict(UnsafeRawBufferPointer(raw), k: 3, threshold: 0),
                 inMemory.predict(UnsafeRawBufferPointer(raw), k: 3, threshold: 0))
            }
            #expect(a.map(\.label) == b.map(\.label) && a.map(\.probability) == b.map(\.probability))
        }
    }

    /// The real lid.176.bin cannot be fetched here; a model of its shape is made instead and read back:
    /// 176 labels, dim 16, character n-grams 2 to 4, hierarchical softmax, 2,000,000 buckets (a 128 MB
    /// input matrix). The labels are arbitrary (each paragraph of corpora/langid gets one of 176 by its
    /// position): what is checked is that the loader takes a file of that size and shape and predicts
    /// from it what the trained model predicts.
    @Test func aModelShapedLikeLid176LoadsAndPredicts() throws {
        var s = FastTextTrainingSettings()
        s.dim = 16
        s.loss = .hs
        s.minn = 2
        s.maxn = 4
        s.bucket = 2_000_000
        s.epoch = 1
        var corpus = FastTextCorpus()
        let documents = try Self.langidDocuments()
        for (i, d) in documents.enumerated() { corpus.append(labels: ["__label__l\(i % 176)"], text: Array(d.text.utf8)) }
        let trained = try FastTextTrainer(settings: s).train(corpus)
        let folder = FileManager.default.temporaryDirectory.path + "/grist-fasttext-lid176-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/lid176-shaped.bin"
        try FastTextModelWriter.write(trained, to: path)
        let model = try FastTextModel(path: path)
        #expect(model.labels.count == 176 && model.dimension == 16)
        #expect(model.input.rows == trained.wordCount + 2_000_000)
        let inMemory = try trained.loaded()
        for d in documents.prefix(50) {
            var text = Array(d.text.utf8)
            let (a, b) = text.withUnsafeMutableBytes { raw in
                (model.predict(UnsafeRawBufferPointer(raw), k: 5, threshold: 0),
                 inMemory.predict(UnsafeRawBufferPointer(raw), k: 5, threshold: 0))
            }
            #expect(a.count == 5 && a.map(\.label) == b.map(\.label) && a.map(\.probability) == b.map(\.probability))
        }
    }

    @Test func corpusIsOneLinePerDocument() {
        var corpus = FastTextCorpus()
        corpus.append(labels: ["__label__hq"], text: Array("two\nlines\n".utf8))
        corpus.append(labels: ["__label__cc", "__label__x"], text: Array("one".utf8))
        #expect(String(decoding: corpus.bytes, as: UTF8.self) == "__label__hq two lines \n__label__cc __label__x one\n")
        #expect(corpus.examples == 2)
        #expect(FastTextCorpus(fileContents: Array("a\nb".utf8)).bytes == Array("a\nb\n".utf8))
    }

    @Test func corpusWithoutLabelsOrWordsIsAnError() throws {
        var unlabeled = FastTextCorpus()
        unlabeled.append(labels: [], text: Array("no labels here".utf8))
        #expect(throws: GristError.self) { try FastTextTrainer(settings: FastTextTrainingSettings()).train(unlabeled) }
        #expect(throws: GristError.self) { try FastTextTrainer(settings: FastTextTrainingSettings()).train(FastTextCorpus()) }
        var bad = FastTextTrainingSettings()
        bad.dim = 0
        #expect(throws: GristError.self) { try FastTextTrainer(settings: bad) }
        bad = FastTextTrainingSettings()
        bad.wordNgrams = 2
        bad.bucket = 0
        #expect(throws: GristError.self) { try FastTextTrainer(settings: bad) }
    }

    @Test func meterCountsPrecisionAndRecallAsFastText() {
        var meter = FastTextMeter(labelCount: 3)
        meter.log(gold: [0], predicted: [0])
        meter.log(gold: [1], predicted: [0])
        meter.log(gold: [1, 2], predicted: [2])
        #expect(meter.examples == 3)
        #expect(meter.overall == FastTextMeter.Counts(gold: 4, predicted: 3, predictedGold: 2))
        #expect(abs(meter.overall.precision - 2.0 / 3) < 1e-12 && meter.overall.recall == 0.5)
        #expect(meter.labels[0] == FastTextMeter.Counts(gold: 1, predicted: 2, predictedGold: 1))
        #expect(meter.labels[1].recall == 0 && meter.labels[1].precision.isNaN)
    }
}
