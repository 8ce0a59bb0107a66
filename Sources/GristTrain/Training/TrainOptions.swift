import Foundation

/// Every knob of a training run (the `train:` section of a pipeline, or `grist train` flags).
public struct TrainOptions: Sendable, Codable, Equatable {
    /// Output folder of `grist build` (shards and manifest).
    public var dataFolder: String
    /// Where checkpoints, the metrics CSV and samples go.
    public var outputFolder: String
    /// Preset name ("tiny", "small", "gpt2") or "custom".
    public var modelName: String
    public var model: GPTConfig
    /// A Hugging Face GPT-2 folder to start from instead of a random initialization.
    public var initFrom: String?
    public var batchSize = 8
    public var sequenceLength = 64
    /// Micro-batches whose gradients are summed before each optimizer step.
    public var gradientAccumulation = 1
    public var steps = 100
    /// Stop after this many seconds of training (checkpointing first), if set.
    public var maxSeconds: Double?
    public var learningRate = 6e-4
    public var minLearningRate = 6e-5
    public var warmupSteps = 10
    public var adam = AdamW.Settings()
    /// Clip the global gradient norm to this (0: no clipping).
    public var gradientClip = 1.0
    /// Sequential windows with this stride (default: the sequence length); nil when random.
    public var stride: Int?
    public var randomWindows = false
    /// Val loss every N steps (and at the end); 0: only at the end.
    public var evalEvery = 50
    /// Val batches per evaluation (sequential windows from the start of the val split).
    public var valBatches = 8
    /// A sample every N steps (and at the end); 0: only at the end.
    public var sampleEvery = 0
    public var samplePrompt = "\n"
    public var sampleTokens = 48
    public var sampleTemperature = 0.8
    public var sampleTopK = 40
    /// Checkpoint every N steps (and at the end); 0: only at the end.
    public var checkpointEvery = 0
    /// Print a line every N steps.
    public var logEvery = 1
    public var threads = 1
    public var seed: UInt64 = 0
    /// Export the final model as a Hugging Face GPT-2 folder here, if set.
    public var exportFolder: String?

    public init(dataFolder: String, outputFolder: String, modelName: String, model: GPTConfig) {
        self.dataFolder = dataFolder
        self.outputFolder = outputFolder
        self.modelName = modelName
        self.model = model
    }

    public var sampling: BatchSampling { randomWindows ? .random : .sequential(stride: stride ?? sequenceLength) }

    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: learningRate, minimum: minLearningRate, warmupSteps: warmupSteps, totalSteps: steps)
    }

    /// Problems with the settings, as sentences naming the knob; empty when usable.
    public var problems: [String] {
        var out = model.problems
        if batchSize < 1 { out.append("batch_size must be at least 1") }
        if sequenceLength < 1 || sequenceLength > model.maxContext {
            out.append("seq_len must be in 1...\(model.maxContext) (the model's context), got \(sequenceLength)")
        }
        if gradientAccumulation < 1 { out.append("grad_accum must be at least 1") }
        if steps < 1 { out.append("steps must be at least 1") }
        if !(learningRate > 0) { out.append("lr must be > 0") }
        if minLearningRate < 0 || minLearningRate > learningRate { out.append("min_lr must be in 0...lr") }
        if warmupSteps < 0 { out.append("warmup_steps must be ≥ 0") }
        if let stride, stride < 1 { out.append("stride must be at least 1") }
        if threads < 1 { out.append("threads must be at least 1") }
        return out
    }

    /// The settings as JSON (recorded in the manifest).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
