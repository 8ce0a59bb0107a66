import GristCore

/// Command-line values that override the `train:` section (nil: keep the config's value).
public struct TrainOverrides: Sendable {
    public var data: String?
    public var out: String?
    public var model: String?
    public var initFrom: String?
    public var steps: Int?
    public var batchSize: Int?
    public var sequenceLength: Int?
    public var gradientAccumulation: Int?
    public var learningRate: Double?
    public var maxSeconds: Double?
    public var threads: Int?
    public var seed: UInt64?
    public var evalEvery: Int?
    public var sampleEvery: Int?
    public var checkpointEvery: Int?
    public var logEvery: Int?
    public var randomWindows: Bool?
    public var exportFolder: String?

    public init() {}
}

extension TrainOptions {
    /// Settings from a `train:` section (if any), the pipeline it sits in, and command-line overrides,
    /// in that order of precedence (flags win). Defaults: the `tiny` preset, the data's tokenizer
    /// vocabulary, `DATA/train` for the output.
    /// - Parameter checked: refuse settings with problems (the first of `problems`); `grist validate`
    ///   asks for them unchecked, to report every one.
    public static func resolve(config: TrainConfig?, pipelineOutput: String?, pipelineSeed: UInt64?,
                               overrides: TrainOverrides, checked: Bool = true) throws -> TrainOptions {
        let config = config ?? TrainConfig()
        guard let data = overrides.data ?? config.data?.value ?? pipelineOutput else {
            throw GristError(.usage, "no data folder: give a pipeline config or --data OUTPUT_DIR")
        }
        let presetName = overrides.model ?? config.model.preset?.value ?? "tiny"
        let vocabulary = config.model.vocabSize ?? (try? TrainingData(folder: data))?.tokenizer?.vocabularySize ?? 50257
        guard var model = GPTConfig.preset(presetName, vocabularySize: vocabulary) else {
            let message = "unknown model preset \"\(presetName)\" (expected one of: \(GPTConfig.presetNames.joined(separator: ", ")))"
            if overrides.model == nil, let location = config.model.preset?.location { throw ConfigError(message, at: location) }
            throw GristError(.usage, message)
        }
        let m = config.model
        if let layers = m.layers { model.layers = layers }
        if let heads = m.heads { model.heads = heads }
        if let width = m.width { model.channels = width }
        if let context = m.context { model.maxContext = context }
        if let qkvBias = m.qkvBias { model.qkvBias = qkvBias }
        if let dropout = m.dropout { model.dropout = Float(dropout) }
        let customized = [m.layers, m.heads, m.width, m.context].contains { $0 != nil } || m.qkvBias != nil
        var options = TrainOptions(dataFolder: data,
                                   outputFolder: overrides.out ?? config.out?.value ?? FileSystem.join(data, "train"),
                                   modelName: customized ? "custom" : presetName, model: model)
        options.initFrom = overrides.initFrom ?? config.initFrom?.value
        options.sequenceLength = overrides.sequenceLength ?? config.seqLen ?? min(64, model.maxContext)
        options.batchSize = overrides.batchSize ?? config.batchSize ?? options.batchSize
        options.gradientAccumulation = overrides.gradientAccumulation ?? config.gradAccum ?? 1
        options.steps = overrides.steps ?? config.steps ?? options.steps
        options.maxSeconds = overrides.maxSeconds ?? config.maxSeconds
        options.learningRate = overrides.learningRate ?? config.lr ?? options.learningRate
        options.minLearningRate = config.minLR ?? min(options.minLearningRate, options.learningRate / 10)
        options.warmupSteps = config.warmupSteps ?? min(options.warmupSteps, options.steps / 10)
        if let v = config.weightDecay { options.adam.weightDecay = Float(v) }
        if let v = config.beta1 { options.adam.beta1 = Float(v) }
        if let v = config.beta2 { options.adam.beta2 = Float(v) }
        if let v = config.adamEps { options.adam.epsilon = Float(v) }
        if let v = config.decayEmbeddings { options.adam.decayEmbeddings = v }
        if let v = config.decayNormsAndBiases { options.adam.decayBiasesAndNorms = v }
        options.gradientClip = config.gradClip ?? options.gradientClip
        options.randomWindows = overrides.randomWindows ?? (config.sampling == .random)
        options.stride = config.stride
        options.evalEvery = overrides.evalEvery ?? config.evalEvery ?? options.evalEvery
        options.valBatches = config.valBatches ?? options.valBatches
        options.sampleEvery = overrides.sampleEvery ?? config.sampleEvery ?? options.sampleEvery
        options.samplePrompt = config.samplePrompt ?? options.samplePrompt
        options.sampleTokens = config.sampleTokens ?? options.sampleTokens
        options.sampleTemperature = config.temperature ?? options.sampleTemperature
        options.sampleTopK = config.topK ?? options.sampleTopK
        options.checkpointEvery = overrides.checkpointEvery ?? config.checkpointEvery ?? options.checkpointEvery
        options.logEvery = overrides.logEvery ?? config.logEvery ?? options.logEvery
        options.threads = overrides.threads ?? config.threads ?? options.threads
        options.seed = overrides.seed ?? config.seed ?? pipelineSeed ?? 0
        options.exportFolder = overrides.exportFolder ?? config.exportHF?.value
        if checked, let problem = options.problems.first { throw GristError(.usage, problem) }
        return options
    }
}
