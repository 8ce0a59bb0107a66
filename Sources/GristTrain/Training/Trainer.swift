import Foundation
import GristCore
import GristShards
import GristTokenize

/// A training run: the loop of batches, forward, backward, clipping and AdamW, with evaluation,
/// samples, checkpoints and metrics around it.
///
/// Deterministic: the same options (seed included) and thread count give the same losses, and a run
/// resumed from a checkpoint gives the same losses as one that never stopped.
public final class Trainer {
    public let options: TrainOptions
    public let model: GPT
    public let optimizer: AdamW
    public let data: TrainingData
    /// The vocabulary of the shards (the one the build recorded), for samples; nil when the run takes
    /// none, or when it cannot be loaded (`vocabularyProblem`: the run trains, without samples).
    public let vocabulary: BPEVocabulary?
    private let vocabularyProblem: String?
    /// The vocabulary `exportFolder` gets beside the model; nil without an export, or when the data
    /// records no tokenizer and the model is not GPT-2's size.
    private let exportVocabulary: BPEVocabulary?
    let train: BatchLoader
    let val: BatchLoader?
    /// The data has a val split, but shorter than one window: no val loss (said in the log).
    private var valTooShort: Bool { val == nil && !data.valPaths.isEmpty }
    let parallel: Parallelism
    /// Optimizer steps completed.
    public private(set) var step = 0
    private var resumedFrom: String?
    /// Prints each line of the run's log (stdout in the CLI).
    public var log: (String) -> Void = { print($0) }

    /// One row of the loss curve.
    public struct Point: Sendable, Equatable {
        public var step: Int
        public var trainLoss: Double
        public var valLoss: Double?
    }

    public struct Summary: Sendable {
        public var steps: Int
        public var curve: [Point]
        public var finalValLoss: Double?
        public var unigramEntropy: Double
        public var seconds: Double
        public var cpuSeconds: Double
        public var tokens: Int
        public var lastSample: String?
        public var checkpointPath: String
    }

    public var checkpointPath: String { FileSystem.join(options.outputFolder, "checkpoint.safetensors") }

    /// Opens the data, checks it against the model, and builds the model (random, from a Hugging Face
    /// folder, or from `resume`, a checkpoint of an earlier run with the same settings, on the same shards
    /// unless `allowDataChange`).
    public init(options: TrainOptions, resume: String? = nil, allowDataChange: Bool = false) throws {
        if let problem = options.problems.first { throw GristError(.usage, problem) }
        parallel = Parallelism(threads: options.threads)
        BLASRuntime.configure()
        data = try TrainingData(folder: options.dataFolder)
        // A pretrained GPT-2 reads GPT-2's ids; a model trained here takes whatever vocabulary the build used.
        try data.check(modelVocabularySize: options.model.vocabularySize,
                       expectedTokenizer: options.initFrom == nil ? nil : "gpt2")
        if options.sampleTokens > 0 {
            do {
                vocabulary = try data.vocabulary()
                vocabularyProblem = nil
            } catch {
                vocabulary = nil
                vocabularyProblem = "\(error)"
            }
        } else {
            vocabulary = nil
            vocabularyProblem = nil
        }

        exportVocabulary = options.exportFolder == nil ? nil
            : try Self.exportVocabulary(data: data, loaded: vocabulary, vocabularySize: options.model.vocabularySize)

        var config = options.model
        var opened: TrainingCheckpoint.Opened?
        if let resume {
            let checkpoint = try TrainingCheckpoint.open(path: resume)
            var expected = config
            expected.paddedVocabularySize = checkpoint.config.paddedVocabularySize
            guard checkpoint.config == expected else {
                throw GristError(.mismatch, "the checkpoint's model (\(checkpoint.config.layers) layers, \(checkpoint.config.channels) wide) differs from the configured one",
                                 at: InputPosition(path: resume), hint: "resume with the settings the run started with")
            }
            if let trained = checkpoint.state.tokenizer, let current = data.tokenizer, trained.fileSha256 != current.fileSha256 {
                throw GristError(.mismatch, "the checkpoint was trained on data tokenized with \(trained.name) "
                                 + "(\(trained.fileSha256.prefix(12))…), these shards with \(current.name) (\(current.fileSha256.prefix(12))…)",
                                 at: InputPosition(path: resume))
            }
            if let trained = checkpoint.state.data, let current = data.identity, !allowDataChange {
                let changes = current.differences(from: trained)
                if !changes.isEmpty {
                    throw GristError(.mismatch, "the checkpoint was trained on other shards than these: "
                                     + changes.joined(separator: "; "),
                                     at: InputPosition(path: resume),
                                     hint: "resume with the build it trained on, or pass --allow-data-change to go on with these")
                }
            }
            guard checkpoint.state.seed == options.seed else {
                throw GristError(.mismatch, "the checkpoint was trained with seed \(checkpoint.state.seed), not \(options.seed)",
                                 at: InputPosition(path: resume))
            }
            config = checkpoint.config
            opened = checkpoint
        } else if let initFrom = options.initFrom {
            config = try HuggingFaceGPT2.loadConfig(folder: initFrom)
            config.dropout = options.model.dropout
            guard config.vocabularySize == options.model.vocabularySize else {
                throw GristError(.mismatch, "the pretrained model's vocabulary (\(config.vocabularySize)) differs from the data's (\(options.model.vocabularySize))",
                                 at: InputPosition(path: initFrom))
            }
        }
        guard options.sequenceLength <= config.maxContext else {
            throw GristError(.usage, "seq_len \(options.sequenceLength) exceeds the model's context of \(config.maxContext)")
        }
        model = GPT(config: config, parallel: parallel)
        optimizer = AdamW(layout: model.layout, settings: options.adam)
        self.options = options

        train = try BatchLoader(stream: TokenStream(paths: data.trainPaths), batchSize: options.batchSize,
                                sequenceLength: options.sequenceLength, sampling: options.sampling, seed: options.seed,
                                vocabularySize: config.vocabularySize, name: "train")
        // A val split shorter than one window cannot be measured: the run goes on without val losses.
        let valStream = data.valPaths.isEmpty ? nil : try TokenStream(paths: data.valPaths)
        if let valStream, valStream.count >= options.sequenceLength + 1 {
            val = try BatchLoader(stream: valStream, batchSize: options.batchSize, sequenceLength: options.sequenceLength,
                                  sampling: .sequential(stride: options.sequenceLength), seed: options.seed,
                                  vocabularySize: config.vocabularySize, name: "val")
        } else {
            val = nil
        }

        if let opened {
            try TrainingCheckpoint.loadParameters(opened, into: model)
            try TrainingCheckpoint.loadOptimizer(opened, into: optimizer)
            step = opened.state.step
            train.windowsConsumed = opened.state.windowsConsumed
            resumedFrom = resume
        } else if let initFrom = options.initFrom {
            try HuggingFaceGPT2.read(HuggingFaceGPT2.openWeights(folder: initFrom), into: model)
        } else {
            model.initialize(seed: options.seed)
        }
    }

    /// Mean loss over the first `valBatches` val batches (the same windows every time).
    public func evaluate() throws -> Double? {
        guard let val else { return nil }
        val.windowsConsumed = 0
        let batches = max(1, min(options.valBatches, val.windowsPerEpoch / max(1, options.batchSize)))
        var inputs: [Int32] = [], targets: [Int32] = [], total = 0.0
        for _ in 0..<batches {
            try val.next(inputs: &inputs, targets: &targets)
            let loss = inputs.withUnsafeBufferPointer { x in
                targets.withUnsafeBufferPointer { y in
                    model.forward(tokens: x, targets: y, batchSize: options.batchSize, sequenceLength: options.sequenceLength)
                }
            }
            total += Double(loss ?? .nan)
        }
        return total / Double(batches)
    }

    /// A sample from the model, continuing ``TrainOptions/samplePrompt``.
    public func sample(seed: UInt64) throws -> String {
        guard let vocabulary else { return "" }
        var encoder = BPEEncoder(vocabulary: vocabulary)
        var prompt = try encoder.encode(Array(options.samplePrompt.utf8), allowedSpecial: .all).map { Int32($0) }
            .filter { Int($0) < model.config.vocabularySize }
        if prompt.isEmpty { prompt = [Int32(min(Int(vocabulary.endOfText ?? 0), model.config.vocabularySize - 1))] }
        let settings = SamplingSettings(temperature: options.sampleTemperature, topK: options.sampleTopK, seed: seed)
        let tokens = TextGenerator.generate(model: model, prompt: prompt, count: options.sampleTokens, settings: settings)
        let text = vocabulary.decode(tokens.compactMap { $0 < Int32(vocabulary.count) ? UInt32($0) : nil })
        return String(decoding: text, as: UTF8.self)
    }

    private func saveCheckpoint(lastLoss: Float?) throws {
        let state = TrainingState(step: step, windowsConsumed: train.windowsConsumed, seed: options.seed,
                                  tokenizer: data.tokenizer, data: data.identity, modelName: options.modelName,
                                  lastTrainLoss: lastLoss)
        try TrainingCheckpoint.save(path: checkpointPath, model: model, optimizer: optimizer, state: state)
    }

    /// Trains until `options.steps` (or `maxSeconds`, or step `stoppingAfter` as if interrupted there),
    /// then evaluates, samples, checkpoints and, if asked, exports. Returns the loss curve and totals.
    public func run(stoppingAfter: Int? = nil) throws -> Summary {
        try FileSystem.createDirectory(options.outputFolder)
        let c = model.config
        let entropy = try TokenStream(paths: data.trainPaths).unigramEntropy(vocabularySize: c.vocabularySize)
        let tokensPerStep = options.batchSize * options.sequenceLength * options.gradientAccumulation
        let flopsPerStep = c.trainingFlopsPerToken(sequenceLength: options.sequenceLength) * Double(tokensPerStep)
        log("model \(options.modelName): \(c.layers) layers, \(c.heads) heads, \(c.channels) wide, context \(c.maxContext), "
            + "vocabulary \(c.vocabularySize) (padded \(c.paddedVocabularySize)); \(Self.count(c.parameterCount)) parameters")
        log("data \(options.dataFolder): \(Self.count(train.stream.count)) train tokens in \(data.trainPaths.count) shards, "
            + "\(Self.count(val?.stream.count ?? 0)) val tokens; tokenizer \(data.tokenizer?.name ?? "unknown (no manifest)"); "
            + "unigram entropy \(Self.fixed(entropy, 3)) nats")
        log("batch \(options.batchSize) × \(options.sequenceLength) tokens × \(options.gradientAccumulation) accumulation = "
            + "\(Self.count(tokensPerStep)) tokens/step, \(Self.fixed(flopsPerStep / 1e9, 1)) GFLOP/step; "
            + "\(options.threads) threads; \(BLASRuntime.summary)")
        if let vocabularyProblem { log("warning: no samples, the data's vocabulary cannot be loaded: \(vocabularyProblem)") }
        if valTooShort {
            log("warning: the val split is shorter than one window of \(options.sequenceLength + 1) tokens: no val loss")
        }
        if let resumedFrom { log("resumed from \(resumedFrom) at step \(step)") }

        let metrics = try MetricsLog(
            csvPath: FileSystem.join(options.outputFolder, "metrics.csv"), resumingAfter: resumedFrom == nil ? nil : step,
            manifestPath: data.manifestPath,
            run: TrainingRunRecord(startedAt: Timestamp.now(), toolVersion: GristVersion.current,
                                   model: "\(options.modelName) (\(c.layers) layers, \(c.channels) wide, \(c.heads) heads)",
                                   parameterCount: c.parameterCount, settings: options.json, seed: options.seed,
                                   threads: options.threads, blasKernels: BLASRuntime.coreName,
                                   outputDir: options.outputFolder, resumedFrom: resumedFrom))
        var curve: [Point] = []
        var inputs: [Int32] = [], targets: [Int32] = []
        let startWall = monotonicNanoseconds(), startCPU = Self.cpuSeconds()
        var lastLoss: Float?, lastVal: Double?, lastSample: String?
        let firstStep = step
        do {
            while step < options.steps {
                let stepStart = monotonicNanoseconds(), cpuStart = Self.cpuSeconds()
                let spent = options.maxSeconds.map { Double(monotonicNanoseconds() - startWall) / 1e9 / $0 }
                let lr = options.schedule.rate(at: step, timeSpent: spent)
                model.zeroGradients()
                var lossSum = 0.0
                for micro in 0..<options.gradientAccumulation {
                    try train.next(inputs: &inputs, targets: &targets)
                    let pass = UInt64(step * options.gradientAccumulation + micro)
                    let loss = inputs.withUnsafeBufferPointer { x in
                        targets.withUnsafeBufferPointer { y in
                            model.forward(tokens: x, targets: y, batchSize: options.batchSize,
                                          sequenceLength: options.sequenceLength, dropout: (options.seed, pass))
                        }
                    }
                    lossSum += Double(loss ?? .nan)
                    model.backward(lossScale: 1 / Float(options.gradientAccumulation))
                }
                let trainLoss = lossSum / Double(options.gradientAccumulation)
                guard trainLoss.isFinite else {
                    throw GristError(.mismatch, "the training loss became \(trainLoss) at step \(step + 1)",
                                     hint: "lower the learning rate or enable gradient clipping")
                }
                let norm = GradientClipping.globalNorm(model.gradients, parallel)
                GradientClipping.clip(model.gradients, norm: norm, maxNorm: options.gradientClip, parallel)
                optimizer.update(parameters: model.parameters, gradients: model.gradients, lr: Float(lr), parallel)
                step += 1
                lastLoss = Float(trainLoss)

                let seconds = Double(monotonicNanoseconds() - stepStart) / 1e9, cpu = Self.cpuSeconds() - cpuStart
                let elapsed = Double(monotonicNanoseconds() - startWall) / 1e9
                let outOfTime = options.maxSeconds.map { elapsed >= $0 } ?? false
                let last = step == options.steps || outOfTime || step == stoppingAfter
                var valLoss: Double?
                if last || (options.evalEvery > 0 && step % options.evalEvery == 0) { valLoss = try evaluate() }
                let record = TrainingStepRecord(step: step, trainLoss: trainLoss, valLoss: valLoss, learningRate: lr,
                                                gradNorm: norm, tokens: step * tokensPerStep,
                                                tokensPerSecond: Double(tokensPerStep) / seconds, seconds: seconds)
                metrics.record(record)
                curve.append(Point(step: step, trainLoss: trainLoss, valLoss: valLoss))
                if last || step % max(1, options.logEvery) == 0 || valLoss != nil {
                    let done = step - firstStep
                    let eta = Double(options.steps - step) * elapsed / Double(max(1, done))
                    log("step \(step)/\(options.steps) | loss \(Self.fixed(trainLoss, 4)) | lr \(Self.scientific(lr)) | "
                        + "norm \(Self.fixed(norm, 3)) | \(Self.count(Int(record.tokensPerSecond))) tok/s | "
                        + "\(Self.fixed(seconds * 1000, 0)) ms (\(Self.fixed(cpu * 1000, 0)) ms CPU, "
                        + "\(Self.fixed(flopsPerStep / max(cpu, 1e-9) / 1e9, 1)) GFLOP/CPU-s) | ETA \(Self.duration(outOfTime ? 0 : eta))")
                }
                if let valLoss {
                    lastVal = valLoss
                    log("  val loss \(Self.fixed(valLoss, 4)) | perplexity \(Self.fixed(_exp(valLoss), 1))")
                }
                if vocabulary != nil, options.sampleTokens > 0, last || (options.sampleEvery > 0 && step % options.sampleEvery == 0) {
                    let text = try sample(seed: SplitMix64.key(seed: options.seed, UInt64(step)))
                    lastSample = text
                    log("  sample: \(options.samplePrompt.debugDescription.dropFirst().dropLast())\(text.debugDescription.dropFirst().dropLast())")
                }
                if last || (options.checkpointEvery > 0 && step % options.checkpointEvery == 0) {
                    try saveCheckpoint(lastLoss: lastLoss)
                    try metrics.flush()
                } else if step % 20 == 0 {
                    try metrics.flush()
                }
                if step == stoppingAfter { break }
                if outOfTime {
                    log("stopping at step \(step) of \(options.steps): the time budget of \(Self.fixed(options.maxSeconds ?? 0, 0)) s "
                        + "is spent; the learning rate followed the time, ending at \(Self.scientific(lr)) "
                        + "(floor \(Self.scientific(options.schedule.minimum)))")
                    break
                }
            }
            if step == firstStep {
                lastVal = try evaluate()
                try saveCheckpoint(lastLoss: lastLoss)
            }
            if let export = options.exportFolder {
                try HuggingFaceGPT2.save(model, vocabulary: exportVocabulary, folder: export)
                if let exportVocabulary {
                    log("exported the model and its vocabulary (\(data.tokenizer?.file ?? exportVocabulary.name), "
                        + "\(Self.count(exportVocabulary.count)) tokens) as a Hugging Face GPT-2 folder: \(export)")
                } else {
                    log("exported the model as a Hugging Face GPT-2 folder: \(export)")
                    log("warning: no tokenizer files: the data records no tokenizer and the model's vocabulary is not GPT-2's; "
                        + "add them with `grist export --checkpoint \(checkpointPath) --vocab FILE --hf-out \(export)`")
                }
            }
            try metrics.finish(succeeded: true, steps: step, trainLoss: lastLoss.map(Double.init), valLoss: lastVal, error: nil)
        } catch {
            try? metrics.finish(succeeded: false, steps: step, trainLoss: lastLoss.map(Double.init), valLoss: lastVal,
                                error: "\(error)")
            throw error
        }
        return Summary(steps: step, curve: curve, finalValLoss: lastVal, unigramEntropy: entropy,
                       seconds: Double(monotonicNanoseconds() - startWall) / 1e9, cpuSeconds: Self.cpuSeconds() - startCPU,
                       tokens: (step - firstStep) * tokensPerStep, lastSample: lastSample, checkpointPath: checkpointPath)
    }

    /// The vocabulary an export writes beside the model, found before the first step: the data's
    /// (`loaded` when the samples already loaded it), or GPT-2's for data without a manifest and a model
    /// of GPT-2's size. A recorded vocabulary that cannot be loaded stops the run with a way out.
    static func exportVocabulary(data: TrainingData, loaded: BPEVocabulary?, vocabularySize: Int) throws -> BPEVocabulary? {
        guard let recorded = data.tokenizer else {
            let gpt2 = try BPEVocabulary.gpt2()
            return gpt2.count == vocabularySize ? gpt2 : nil
        }
        if let loaded { return loaded }
        do {
            return try recorded.load()
        } catch var error as GristError {
            error.message = "export_hf writes the data's tokenizer beside the model, and " + error.message
            error.hint = "restore the file, or train without export_hf and then run "
                + "`grist export --checkpoint OUT/checkpoint.safetensors --vocab FILE --hf-out DIR`"
            throw error
        }
    }

    // MARK: - Formatting

    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    static func scientific(_ value: Double) -> String { String(format: "%.2e", value) }

    static func count(_ value: Int) -> String { NumberText.grouped(value) }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

#if canImport(Glibc)
import Glibc
private func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#endif
