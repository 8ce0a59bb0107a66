import Foundation
import Testing
import GristCore
import GristShards
@testable import GristTrain

/// The training loop and what surrounds it: schedule, optimizer, data positions, checkpoints, resume.
@Suite struct TrainingTests {
    /// A build-like folder with synthetic shards over a vocabulary of `vocabulary` tokens (no manifest
    /// unless `manifestVocabulary` is given).
    static func makeData(vocabulary: Int = 64, trainTokens: Int = 6000, valTokens: Int = 1200,
                         manifestVocabulary: Int? = nil) throws -> String {
        let folder = NSTemporaryDirectory() + "grist-train-\(UUID().uuidString)"
        try FileSystem.createDirectory(folder + "/shards")
        // A learnable stream: a repeating pattern with a little noise.
        var rng = SplitMix64(seed: 5)
        func tokens(_ count: Int) -> [UInt32] {
            (0..<count).map { i in rng.next() % 10 == 0 ? UInt32(rng.next() % UInt64(vocabulary)) : UInt32((i * 7) % vocabulary) }
        }
        var shards: [(String, DataSplit, Int, String, Int)] = []
        for (name, split, count) in [("train_000000.bin", DataSplit.train, trainTokens / 2),
                                     ("train_000001.bin", .train, trainTokens - trainTokens / 2),
                                     ("val_000000.bin", .val, valTokens)] {
            let writer = try ShardWriter(path: folder + "/shards/" + name, tokenCount: count)
            try tokens(count).withUnsafeBufferPointer { try writer.append($0) }
            let (sha, size) = try writer.finish()
            shards.append(("shards/" + name, split, count, sha, size))
        }
        if let manifestVocabulary {
            let manifest = try Manifest.create(path: folder + "/" + Manifest.fileName)
            let run = try manifest.beginRun(RunRecord(startedAt: "now", toolVersion: "test", configPath: "x", configText: "",
                                                      configSha256: "", seed: 0, workers: 1, outputDir: folder))
            try manifest.addTokenizer(runId: run, TokenizerRecord(name: "gpt2", vocabularySize: manifestVocabulary,
                                                                  endOfTextToken: 0, filePath: "x", fileSha256: "y"))
            for (index, shard) in shards.enumerated() {
                try manifest.addShard(runId: run, ShardRecord(id: Int64(index + 1), path: shard.0, split: shard.1, ordinal: index,
                                                              format: "llmc", tokenCount: shard.2, documentCount: 1,
                                                              byteSize: shard.4, sha256: shard.3), placements: [])
            }
            try manifest.finishRun(run, succeeded: true, finishedAt: "now")
        }
        return folder
    }

    static func options(data: String, steps: Int = 6) -> TrainOptions {
        let model = GPTConfig(layers: 2, heads: 2, channels: 32, maxContext: 16, vocabularySize: 64)
        var options = TrainOptions(dataFolder: data, outputFolder: data + "/train", modelName: "custom", model: model)
        options.batchSize = 2
        options.sequenceLength = 16
        options.gradientAccumulation = 2
        options.steps = steps
        options.learningRate = 3e-3
        options.minLearningRate = 3e-4
        options.warmupSteps = 2
        options.evalEvery = 3
        options.valBatches = 2
        options.sampleTokens = 0
        options.seed = 11
        options.threads = 2
        return options
    }

    @Test func scheduleWarmsUpThenDecaysToTheFloor() {
        let schedule = LearningRateSchedule(peak: 1e-3, minimum: 1e-4, warmupSteps: 10, totalSteps: 110)
        #expect(abs(schedule.rate(at: 0) - 1e-4) < 1e-12)
        #expect(abs(schedule.rate(at: 9) - 1e-3) < 1e-12)
        #expect(abs(schedule.rate(at: 60) - 5.5e-4) < 1e-9, "halfway through the cosine")
        #expect(abs(schedule.rate(at: 110) - 1e-4) < 1e-12)
        #expect(schedule.rate(at: 30) > schedule.rate(at: 31))
        // With a time budget the cosine is as far along as the steps or the time, whichever is further.
        #expect(abs(schedule.rate(at: 20, timeSpent: 0.5) - 5.5e-4) < 1e-9, "half the time, a tenth of the steps")
        #expect(schedule.rate(at: 60, timeSpent: 0.1) == schedule.rate(at: 60))
        #expect(abs(schedule.rate(at: 20, timeSpent: 1.2) - 1e-4) < 1e-12, "past the budget: the floor")
        #expect(schedule.rate(at: 5, timeSpent: 0.9) == schedule.rate(at: 5), "warmup goes by steps")
    }

    @Test func adamWFirstStepMovesEachParameterByTheLearningRate() {
        let model = GPT(config: GPTConfig(layers: 1, heads: 1, channels: 4, maxContext: 2, vocabularySize: 3))
        model.initialize(seed: 1)
        let before = model.parameters.array
        for i in 0..<model.gradients.count { model.gradients.base[i] = i % 2 == 0 ? 0.5 : -2 }
        var settings = AdamW.Settings()
        settings.weightDecay = 0
        let optimizer = AdamW(layout: model.layout, settings: settings)
        optimizer.update(parameters: model.parameters, gradients: model.gradients, lr: 0.01, .serial)
        // After one step with bias correction, m̂/√v̂ = sign(g): every parameter moves by lr against its gradient.
        for i in 0..<before.count {
            let expected = before[i] - (i % 2 == 0 ? 0.01 : -0.01)
            #expect(abs(model.parameters.base[i] - expected) < 1e-6)
        }
    }

    @Test func weightDecaySkipsBiasesNormsAndEmbeddingsByDefault() {
        let layout = ParameterLayout(GPTConfig(layers: 1, heads: 1, channels: 4, maxContext: 2, vocabularySize: 3))
        let optimizer = AdamW(layout: layout, settings: AdamW.Settings())
        #expect(optimizer.isDecayed(offset: layout.range(.qkvw).lowerBound))
        #expect(optimizer.isDecayed(offset: layout.range(.fcprojw).lowerBound))
        #expect(!optimizer.isDecayed(offset: layout.range(.wte).lowerBound))
        #expect(!optimizer.isDecayed(offset: layout.range(.ln1w).lowerBound))
        #expect(!optimizer.isDecayed(offset: layout.range(.fcb).lowerBound))
    }

    @Test func clippingScalesTheGlobalNorm() {
        let buffer = FloatBuffer(count: 100)
        for i in 0..<100 { buffer.base[i] = 3 }  // norm 30
        let norm = GradientClipping.globalNorm(buffer, Parallelism(threads: 2))
        #expect(abs(norm - 30) < 1e-9)
        GradientClipping.clip(buffer, norm: norm, maxNorm: 1, .serial)
        #expect(abs(GradientClipping.globalNorm(buffer, .serial) - 1) < 1e-4)
    }

    @Test func sequentialWindowsFollowTheStrideAndWrap() throws {
        let data = try Self.makeData()
        defer { try? FileSystem.remove(data) }
        let stream = try TokenStream(paths: TrainingData(folder: data).trainPaths)
        let loader = try BatchLoader(stream: stream, batchSize: 3, sequenceLength: 8, sampling: .sequential(stride: 5),
                                     seed: 0, vocabularySize: 64, name: "train")
        #expect(loader.start(ofWindow: 0) == 0 && loader.start(ofWindow: 2) == 10)
        #expect(loader.start(ofWindow: loader.windowsPerEpoch) == 0)
        var x: [Int32] = [], y: [Int32] = []
        try loader.next(inputs: &x, targets: &y)
        #expect(Array(x[1..<8]) == Array(y[0..<7]), "targets are the inputs shifted by one")
        var window = [Int32](repeating: 0, count: 9)
        try window.withUnsafeMutableBufferPointer { try stream.copy(from: 5, length: 9, into: $0.baseAddress!, vocabularySize: 64) }
        #expect(Array(x[8..<16]) == Array(window[0..<8]))
        #expect(loader.windowsConsumed == 3)
        // Across the boundary between the two train shards.
        try window.withUnsafeMutableBufferPointer { try stream.copy(from: 2996, length: 9, into: $0.baseAddress!, vocabularySize: 64) }
    }

    @Test func dataIdentityNamesTheShardsThatChangedAppearedOrWent() {
        typealias Identity = TrainingData.DataIdentity
        let before = Identity(buildKey: "a", shards: [.init(path: "shards/train_000000.bin", sha256: "11"),
                                                     .init(path: "shards/train_000001.bin", sha256: "22"),
                                                     .init(path: "shards/val_000000.bin", sha256: "33")])
        var after = before
        after.buildKey = "b"
        #expect(after.differences(from: before).isEmpty, "another build key with the same shards is the same data")
        after.shards[1].sha256 = "44"
        after.shards.remove(at: 2)
        after.shards.append(.init(path: "shards/train_000002.bin", sha256: "55"))
        #expect(after.differences(from: before) == ["shards/train_000001.bin changed (SHA-256 22… → 44…)",
                                                    "shards/train_000002.bin is new", "shards/val_000000.bin is gone"])
        #expect(after.differences(from: before, limit: 1) == ["shards/train_000001.bin changed (SHA-256 22… → 44…)",
                                                               "2 more"])
    }

    @Test func tokensOutsideTheVocabularyAreRefusedWithTheirPlace() throws {
        let data = try Self.makeData(vocabulary: 64)
        defer { try? FileSystem.remove(data) }
        let stream = try TokenStream(paths: TrainingData(folder: data).trainPaths)
        var window = [Int32](repeating: 0, count: 100)
        #expect(throws: GristError.self) {
            try window.withUnsafeMutableBufferPointer { try stream.copy(from: 0, length: 100, into: $0.baseAddress!, vocabularySize: 10) }
        }
    }

    @Test func aVocabularyMismatchWithTheManifestStopsBeforeTheFirstStep() throws {
        let data = try Self.makeData(manifestVocabulary: 50257)
        defer { try? FileSystem.remove(data) }
        do {
            _ = try Trainer(options: Self.options(data: data))
            Issue.record("expected a vocabulary mismatch")
        } catch let error as GristError {
            #expect(error.kind == .mismatch)
            #expect(error.message.contains("50,257") && error.message.contains("64"))
        }
    }

    /// The data's vocabulary file is gone (the manifest names "x"): the run trains, without samples, and says so.
    @Test func aMissingVocabularyTurnsSamplesOffNotTraining() throws {
        let data = try Self.makeData(manifestVocabulary: 64)
        defer { try? FileSystem.remove(data) }
        var options = Self.options(data: data, steps: 2)
        options.sampleTokens = 4
        let trainer = try Trainer(options: options)
        var lines: [String] = []
        trainer.log = { lines.append($0) }
        let summary = try trainer.run()
        #expect(summary.steps == 2 && summary.lastSample == nil)
        #expect(lines.contains { $0.hasPrefix("warning: no samples, the data's vocabulary cannot be loaded") }, "\(lines)")
    }

    @Test func trainingLowersTheLossAndRecordsItInTheManifest() throws {
        let data = try Self.makeData(manifestVocabulary: 64)
        defer { try? FileSystem.remove(data) }
        var options = Self.options(data: data, steps: 20)
        options.learningRate = 1e-2
        options.minLearningRate = 1e-3
        options.evalEvery = 10
        let trainer = try Trainer(options: options)
        trainer.log = { _ in }
        let summary = try trainer.run()
        let first = summary.curve[0].trainLoss, last = summary.curve[19].trainLoss
        #expect(abs(first - log(64.0)) < 0.3, "untrained loss \(first) ≈ ln 64")
        #expect(last < first - 0.7, "loss \(first) → \(last)")
        #expect((summary.finalValLoss ?? 99) < summary.unigramEntropy, "val loss below the unigram entropy")
        let csv = try String(contentsOfFile: data + "/train/metrics.csv", encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 21)
        let history = try TrainingHistory.load(from: Manifest.open(path: data + "/" + Manifest.fileName))
        #expect(history.runs.count == 1 && history.runs[0].status == "succeeded" && history.runs[0].steps == 20)
    }

    @Test func aResumedRunSeesTheSameLossesAsAnUninterruptedOne() throws {
        for random in [false, true] {
            let data = try Self.makeData()
            defer { try? FileSystem.remove(data) }
            var options = Self.options(data: data)
            options.randomWindows = random
            options.model.dropout = 0.1
            let whole = try Trainer(options: options)
            whole.log = { _ in }
            let reference = try whole.run().curve

            options.outputFolder = data + "/interrupted"
            let first = try Trainer(options: options)
            first.log = { _ in }
            let part1 = try first.run(stoppingAfter: 3).curve
            let resumed = try Trainer(options: options, resume: first.checkpointPath)
            resumed.log = { _ in }
            #expect(resumed.step == 3)
            let part2 = try resumed.run().curve
            #expect((part1 + part2).map(\.trainLoss) == reference.map(\.trainLoss), "random windows: \(random)")
            let csv = try String(contentsOfFile: data + "/interrupted/metrics.csv", encoding: .utf8)
            #expect(csv.split(separator: "\n").count == 7, "one CSV row per step after the resume")
        }
    }

    @Test func checkpointsRefuseOtherFiles() throws {
        let folder = NSTemporaryDirectory() + "grist-ckpt-\(UUID().uuidString)"
        try FileSystem.createDirectory(folder)
        defer { try? FileSystem.remove(folder) }
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: folder + "/x.safetensors"))
        #expect(throws: GristError.self) { _ = try TrainingCheckpoint.open(path: folder + "/x.safetensors") }
        #expect(throws: GristError.self) {
            _ = try TrainingCheckpoint.open(path: ModelTests.referenceFolder + "/model/model.safetensors")
        }
    }

    @Test func samplingIsSeededAndGreedyAtTemperatureZero() {
        let model = GPT(config: GPTConfig(layers: 1, heads: 2, channels: 16, maxContext: 16, vocabularySize: 50))
        model.initialize(seed: 3)
        let settings = SamplingSettings(temperature: 1, topK: 10, topP: 0.9, seed: 42)
        let a = TextGenerator.generate(model: model, prompt: [1, 2, 3], count: 20, settings: settings)
        let b = TextGenerator.generate(model: model, prompt: [1, 2, 3], count: 20, settings: settings)
        #expect(a == b && a.count == 20 && a.allSatisfy { $0 >= 0 && $0 < 50 })
        let greedy = TextGenerator.generate(model: model, prompt: [1, 2, 3], count: 1, settings: SamplingSettings(temperature: 0))
        [Int32](arrayLiteral: 1, 2, 3).withUnsafeBufferPointer { model.forward(tokens: $0, targets: nil, batchSize: 1, sequenceLength: 3) }
        let logits = model.logits(position: 2)
        #expect(Int(greedy[0]) == logits.indices.max { logits[$0] < logits[$1] })
    }

    @Test func evaluationAveragesEveryPredictionOfWholeWindows() throws {
        let model = GPT(config: GPTConfig(layers: 1, heads: 2, channels: 16, maxContext: 8, vocabularySize: 30))
        model.initialize(seed: 4)
        let tokens = TestSupport.randomTokens(3 * 9 + 5, below: 30, seed: 6)  // 3 whole windows of 9, 5 left over
        let result = try Evaluation.meanLoss(model: model, tokens: tokens, context: 8, batchSize: 2)
        #expect(result.windows == 3 && result.predictions == 24)
        var total = 0.0
        for k in 0..<3 {
            let x = Array(tokens[(9 * k)..<(9 * k + 8)]), y = Array(tokens[(9 * k + 1)..<(9 * k + 9)])
            total += Double(ModelTests.loss(model, x, y, b: 1, t: 8)) * 8
        }
        #expect(abs(result.loss - total / 24) < 1e-5)
    }

    @Test func blasRestartIsOnlyForFallbackKernelsOnCapableCPUs() {
        let avx512: Set<String> = ["avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        #expect(BLASRuntime.preferredCore(loadedCore: "Prescott", environmentValue: nil, cpuFlags: avx512) == "SkylakeX")
        #expect(BLASRuntime.preferredCore(loadedCore: "Prescott", environmentValue: nil, cpuFlags: ["avx2", "fma"]) == "Haswell")
        #expect(BLASRuntime.preferredCore(loadedCore: "Prescott", environmentValue: "Prescott", cpuFlags: avx512) == nil)
        #expect(BLASRuntime.preferredCore(loadedCore: "Cooperlake", environmentValue: nil, cpuFlags: avx512) == nil)
        #expect(BLASRuntime.preferredCore(loadedCore: "Prescott", environmentValue: nil, cpuFlags: ["sse2"]) == nil)
        #expect(BLASRuntime.parseFlags("processor : 0\nflags\t\t: fpu avx2 fma\n").contains("avx2"))
        #expect(!BLASRuntime.coreName.isEmpty)
    }
}
