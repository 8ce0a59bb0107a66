import Foundation
import Testing
import GristCore
import GristTokenize
@testable import GristTrain

/// The whole model: against Hugging Face `transformers` on the same weights (committed fixture), against
/// finite differences, and its invariants.
@Suite struct ModelTests {
    static let referenceFolder = TestSupport.fixtureDirectory + "/gpt2-reference"

    /// Largest |a − b| relative to the largest |b|.
    static func relativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        let scale = max(b.map(abs).max() ?? 0, 1e-12)
        return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    @Test func matchesTransformersGPT2LMHeadModel() throws {
        let model = try HuggingFaceGPT2.load(folder: Self.referenceFolder + "/model", parallel: Parallelism(threads: 2))
        let expected = try SafetensorsFile(path: Self.referenceFolder + "/expected.safetensors")
        let tokens = try expected.integers("tokens").map(Int32.init), targets = try expected.integers("targets").map(Int32.init)
        let shape = expected.tensors["tokens"]!.shape
        let (b, t, v) = (shape[0], shape[1], model.config.vocabularySize)

        // Logits (forward without targets leaves them in place).
        tokens.withUnsafeBufferPointer { model.forward(tokens: $0, targets: nil, batchSize: b, sequenceLength: t) }
        var logits: [Float] = []
        for position in 0..<(b * t) { logits += model.logits(position: position) }
        let logitDiff = Self.relativeDifference(logits, try expected.floats("logits"))
        #expect(logitDiff < 1e-4, "logits maxdiff \(logitDiff) (relative)")

        // Loss and gradients.
        let loss = tokens.withUnsafeBufferPointer { x in
            targets.withUnsafeBufferPointer { y in model.forward(tokens: x, targets: y, batchSize: b, sequenceLength: t) }
        }
        let expectedLoss = try expected.floats("loss")[0]
        #expect(abs((loss ?? .nan) - expectedLoss) / expectedLoss < 1e-4, "loss \(loss ?? .nan) vs \(expectedLoss)")
        model.zeroGradients()
        model.backward()
        let c = model.config.channels, layout = model.layout
        func ours(_ tensor: ParameterLayout.Tensor, layer: Int = 0, count: Int) -> [Float] {
            let start = layout.range(tensor).lowerBound + layer * count
            return Array(model.gradients.buffer[start..<(start + count)])
        }
        func transposed(_ x: [Float], rows: Int, columns: Int) -> [Float] {
            var out = [Float](repeating: 0, count: x.count)
            for i in 0..<rows { for j in 0..<columns { out[j * rows + i] = x[i * columns + j] } }
            return out
        }
        let checks: [(String, [Float])] = [
            ("grad.wte.weight", ours(.wte, count: v * c)),
            ("grad.wpe.weight", ours(.wpe, count: model.config.maxContext * c)),
            ("grad.h.0.attn.c_attn.weight", transposed(ours(.qkvw, count: 3 * c * c), rows: 3 * c, columns: c)),
            ("grad.h.0.ln_1.weight", ours(.ln1w, count: c)),
            ("grad.h.1.mlp.c_fc.bias", ours(.fcb, layer: 1, count: 4 * c)),
            ("grad.h.1.mlp.c_proj.weight", transposed(ours(.fcprojw, layer: 1, count: 4 * c * c), rows: c, columns: 4 * c)),
            ("grad.ln_f.bias", ours(.lnfb, count: c)),
        ]
        for (name, gradient) in checks {
            let diff = Self.relativeDifference(gradient, try expected.floats(name))
            #expect(diff < 1e-4, "\(name) maxdiff \(diff) (relative)")
        }
    }

    static let tinyConfig = GPTConfig(layers: 2, heads: 2, channels: 16, maxContext: 8, vocabularySize: 37)

    static func batch(_ config: GPTConfig, b: Int, t: Int, seed: UInt64) -> ([Int32], [Int32]) {
        let sequence = TestSupport.randomTokens(b * (t + 1), below: config.vocabularySize, seed: seed)
        var x: [Int32] = [], y: [Int32] = []
        for row in 0..<b {
            x += sequence[(row * (t + 1))..<(row * (t + 1) + t)]
            y += sequence[(row * (t + 1) + 1)..<((row + 1) * (t + 1))]
        }
        return (x, y)
    }

    static func loss(_ model: GPT, _ x: [Int32], _ y: [Int32], b: Int, t: Int,
                     dropout: (seed: UInt64, pass: UInt64)? = nil) -> Float {
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                model.forward(tokens: xs, targets: ys, batchSize: b, sequenceLength: t, dropout: dropout) ?? .nan
            }
        }
    }

    /// The whole model's gradients, without dropout and with it (residual and attention masks fixed by
    /// the pass, so every evaluation of the loss sees the same masks).
    @Test(arguments: [Float(0), 0.2])
    func gradientsMatchFiniteDifferences(dropout rate: Float) {
        var config = Self.tinyConfig
        config.dropout = rate
        let masks: (seed: UInt64, pass: UInt64)? = rate > 0 ? (seed: 11, pass: 3) : nil
        let model = GPT(config: config)
        model.initialize(seed: 7)
        // Larger weights than GPT-2's init, so every path carries signal.
        var rng = SplitMix64(seed: 8)
        for i in 0..<model.parameters.count where model.parameters.base[i] != 1 {
            model.parameters.base[i] += Float(Double(rng.next() >> 11) * 0x1.0p-53 - 0.5) * 0.4
        }
        for i in (config.vocabularySize * config.channels)..<(config.paddedVocabularySize * config.channels) {
            model.parameters.base[i] = 0
        }
        let (b, t) = (2, 5)
        let (x, y) = Self.batch(config, b: b, t: t, seed: 9)
        _ = Self.loss(model, x, y, b: b, t: t, dropout: masks)
        model.zeroGradients()
        model.backward()
        var analytic: [Float] = [], numeric: [Float] = []
        for tensor in ParameterLayout.Tensor.allCases {
            var range = model.layout.range(tensor)
            if tensor == .wte { range = range.lowerBound..<(range.lowerBound + config.vocabularySize * config.channels) }
            if tensor == .wpe { range = range.lowerBound..<(range.lowerBound + t * config.channels) }
            for index in TestSupport.sampleIndices(range.count, limit: 12).map({ range.lowerBound + $0 }) {
                let saved = model.parameters.base[index], epsilon: Float = 1e-2
                model.parameters.base[index] = saved + epsilon
                let plus = Double(Self.loss(model, x, y, b: b, t: t, dropout: masks))
                model.parameters.base[index] = saved - epsilon
                let minus = Double(Self.loss(model, x, y, b: b, t: t, dropout: masks))
                model.parameters.base[index] = saved
                analytic.append(model.gradients.base[index])
                numeric.append(Float((plus - minus) / (2 * Double(epsilon))))
            }
        }
        let check = TestSupport.agree(analytic, numeric, tolerance: 5e-2, floor: 2e-3)
        #expect(check.ok, "worst relative error \(check.worst) over \(analytic.count) parameters")
    }

    @Test func untrainedLossIsNearLogVocabulary() {
        let config = GPTConfig(layers: 2, heads: 4, channels: 64, maxContext: 32, vocabularySize: 1000)
        let model = GPT(config: config, parallel: Parallelism(threads: 2))
        model.initialize(seed: 1)
        let (x, y) = Self.batch(config, b: 4, t: 32, seed: 2)
        let loss = Self.loss(model, x, y, b: 4, t: 32)
        #expect(abs(Double(loss) - log(1000.0)) < 0.1, "loss \(loss), ln V = \(log(1000.0))")
    }

    @Test func resultsDoNotDependOnTheThreadCount() {
        let config = GPTConfig(layers: 2, heads: 2, channels: 64, maxContext: 64, vocabularySize: 300)
        var results: [(Float, [Float])] = []
        for threads in [1, 2] {
            let model = GPT(config: config, parallel: Parallelism(threads: threads))
            model.initialize(seed: 3)
            let (x, y) = Self.batch(config, b: 4, t: 64, seed: 4)
            let loss = Self.loss(model, x, y, b: 4, t: 64)
            model.zeroGradients()
            model.backward()
            results.append((loss, model.gradients.array))
        }
        #expect(results[0].0 == results[1].0)
        let same = results[0].1 == results[1].1
        #expect(same, "gradients differ between 1 and 2 threads")
    }

    @Test func huggingFaceExportRoundTrips() throws {
        let folder = NSTemporaryDirectory() + "grist-export-\(UUID().uuidString)"
        defer { try? FileSystem.remove(folder) }
        let model = try HuggingFaceGPT2.load(folder: Self.referenceFolder + "/model")
        try HuggingFaceGPT2.save(model, folder: folder)
        let again = try HuggingFaceGPT2.load(folder: folder)
        #expect(again.config == model.config)
        let same = again.parameters.array == model.parameters.array
        #expect(same, "parameters change through export and import")
        let reference = try SafetensorsFile(path: Self.referenceFolder + "/model/model.safetensors")
        let exported = try SafetensorsFile(path: folder + "/model.safetensors")
        #expect(Set(exported.tensors.keys) == Set(reference.tensors.keys))
    }

    /// With a vocabulary, the export adds its tokenizer files and its `<|endoftext|>` id; a vocabulary
    /// of another size is refused before anything is written.
    @Test func huggingFaceExportWritesTheTokenizer() throws {
        let folder = NSTemporaryDirectory() + "grist-export-tokenizer-\(UUID().uuidString)"
        defer { try? FileSystem.remove(folder) }
        var trainer = try BPETrainer(options: .init(vocabularySize: 300))
        trainer.add(Array(String(repeating: "to be or not to be, that is the question. ", count: 40).utf8))
        let (vocabulary, _) = try trainer.train()
        let model = GPT(config: GPTConfig(layers: 1, heads: 2, channels: 16, maxContext: 24, vocabularySize: vocabulary.count))
        model.initialize(seed: 1)

        let gpt2 = try BPEVocabulary.gpt2()
        let error = try #require(throws: GristError.self) { try HuggingFaceGPT2.save(model, vocabulary: gpt2, folder: folder) }
        #expect(error.kind == .mismatch && error.message.contains("\(vocabulary.count) tokens"), "\(error)")
        #expect(!FileSystem.exists(folder))

        try HuggingFaceGPT2.save(model, vocabulary: vocabulary, folder: folder)
        #expect(FileSystem.contents(of: folder).sorted()
            == ([HuggingFaceGPT2.configFile, HuggingFaceGPT2.weightsFile] + HuggingFaceTokenizerFiles.fileNames).sorted())
        let config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/config.json")))
                                  as? [String: Any])
        let endOfText = try #require(vocabulary.endOfText)
        #expect(config["vocab_size"] as? Int == vocabulary.count)
        #expect(config["bos_token_id"] as? Int == Int(endOfText) && config["eos_token_id"] as? Int == Int(endOfText))
        let tokenizerConfig = try String(contentsOfFile: folder + "/tokenizer_config.json", encoding: .utf8)
        #expect(tokenizerConfig.contains("\"model_max_length\": 24"))
        let again = try HuggingFaceGPT2.load(folder: folder)
        #expect(again.parameters.array == model.parameters.array)
        let reread = try BPEVocabulary.load(folder + "/tokenizer.json")
        #expect(reread.ordinaryTokens.map(\.bytes) == vocabulary.ordinaryTokens.map(\.bytes))
    }

    @Test func importRefusesAMismatchedTensor() throws {
        let folder = NSTemporaryDirectory() + "grist-bad-import-\(UUID().uuidString)"
        defer { try? FileSystem.remove(folder) }
        try FileSystem.createDirectory(folder)
        let config = try String(contentsOfFile: Self.referenceFolder + "/model/config.json", encoding: .utf8)
        try config.replacingOccurrences(of: "\"n_embd\": 32", with: "\"n_embd\": 16")
            .write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Self.referenceFolder + "/model/model.safetensors",
                                         toPath: folder + "/model.safetensors")
        #expect(throws: GristError.self) { _ = try HuggingFaceGPT2.load(folder: folder) }
    }
}
