import Foundation
import GristCore

/// Everything besides tensors that a resumed run needs to continue exactly where it stopped.
public struct TrainingState: Sendable, Equatable, Codable {
    /// Optimizer steps completed.
    public var step: Int
    /// Training windows the data loader has handed out (its whole position).
    public var windowsConsumed: Int
    /// The run's seed: data order, dropout masks and samples derive from it and the step.
    public var seed: UInt64
    /// The tokenizer of the data the model was trained on.
    public var tokenizer: TrainingData.TokenizerIdentity?
    /// The build the model learned from (nil in checkpoints written before it was recorded, or when the
    /// data folder had no manifest).
    public var data: TrainingData.DataIdentity?
    /// The model preset name, or "custom".
    public var modelName: String
    /// The training loss of the last step.
    public var lastTrainLoss: Float?

    public init(step: Int, windowsConsumed: Int, seed: UInt64, tokenizer: TrainingData.TokenizerIdentity?,
                data: TrainingData.DataIdentity? = nil, modelName: String, lastTrainLoss: Float?) {
        self.step = step
        self.windowsConsumed = windowsConsumed
        self.seed = seed
        self.tokenizer = tokenizer
        self.data = data
        self.modelName = modelName
        self.lastTrainLoss = lastTrainLoss
    }
}

/// Our checkpoints: a safetensors file (written whole or not at all) holding every parameter tensor by
/// name (`model.wte`, …), the AdamW moments (`adam.m`, `adam.v`, flat) and, in its metadata, the model
/// shape, the optimizer's step count and the ``TrainingState`` as JSON. Python can open it as it is.
public enum TrainingCheckpoint {
    public static let format = "gristmill-checkpoint"
    public static let version = "1"

    public static func save(path: String, model: GPT, optimizer: AdamW?, state: TrainingState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var metadata = [
            "format": format, "version": version,
            "model": String(decoding: try encoder.encode(model.config), as: UTF8.self),
            "state": String(decoding: try encoder.encode(state), as: UTF8.self),
        ]
        let layout = model.layout
        var entries: [SafetensorsWriter.Entry] = ParameterLayout.Tensor.allCases.map { tensor in
            let range = layout.range(tensor)
            return SafetensorsWriter.Entry(name: "model." + tensor.name, shape: layout.shape(tensor),
                                           data: UnsafeBufferPointer(rebasing: UnsafeBufferPointer(model.parameters.buffer)[range]))
        }
        if let optimizer {
            metadata["adamSteps"] = String(optimizer.stepCount)
            metadata["adam"] = String(decoding: try encoder.encode(optimizer.settings), as: UTF8.self)
            entries.append(.init(name: "adam.m", shape: [layout.count], data: UnsafeBufferPointer(optimizer.m.buffer)))
            entries.append(.init(name: "adam.v", shape: [layout.count], data: UnsafeBufferPointer(optimizer.v.buffer)))
        }
        try SafetensorsWriter.write(path: path, entries: entries, metadata: metadata)
    }

    /// An opened checkpoint: its model shape and state, with the tensors still on disk.
    public struct Opened {
        public let file: SafetensorsFile
        public let config: GPTConfig
        public let state: TrainingState
        public let adamSettings: AdamW.Settings?
        public let adamSteps: Int?
    }

    public static func open(path: String) throws -> Opened {
        let file = try SafetensorsFile(path: path)
        let position = InputPosition(path: path)
        guard file.metadata["format"] == format else {
            throw GristError(.badFormat, "not a Gristmill checkpoint (no \"format\": \"\(format)\" in its metadata)",
                             at: position, hint: "for a Hugging Face GPT-2 folder use --hf-model")
        }
        guard file.metadata["version"] == version else {
            throw GristError(.badFormat, "checkpoint version \(file.metadata["version"] ?? "?"), expected \(version)", at: position)
        }
        let decoder = JSONDecoder()
        guard let modelJSON = file.metadata["model"], let stateJSON = file.metadata["state"],
              let config = try? decoder.decode(GPTConfig.self, from: Data(modelJSON.utf8)),
              let state = try? decoder.decode(TrainingState.self, from: Data(stateJSON.utf8)) else {
            throw GristError(.badFormat, "the checkpoint's model or state metadata is unreadable", at: position)
        }
        if let problem = config.problems.first { throw GristError(.badFormat, "bad model shape: \(problem)", at: position) }
        let adam = file.metadata["adam"].flatMap { try? decoder.decode(AdamW.Settings.self, from: Data($0.utf8)) }
        return Opened(file: file, config: config, state: state, adamSettings: adam,
                      adamSteps: file.metadata["adamSteps"].flatMap(Int.init))
    }

    /// Copies the checkpoint's parameters into `model` (same shape).
    public static func loadParameters(_ opened: Opened, into model: GPT) throws {
        precondition(model.config == opened.config, "model shape differs from the checkpoint's")
        for tensor in ParameterLayout.Tensor.allCases {
            try opened.file.read("model." + tensor.name, into: model.parameters.base + model.layout.range(tensor).lowerBound,
                                 expectedShape: model.layout.shape(tensor))
        }
    }

    /// Copies the AdamW moments and step count into `optimizer`.
    public static func loadOptimizer(_ opened: Opened, into optimizer: AdamW) throws {
        guard let steps = opened.adamSteps else {
            throw GristError(.badFormat, "the checkpoint holds no optimizer state", at: InputPosition(path: opened.file.path))
        }
        try opened.file.read("adam.m", into: optimizer.m.base, expectedShape: [optimizer.m.count])
        try opened.file.read("adam.v", into: optimizer.v.base, expectedShape: [optimizer.v.count])
        optimizer.stepCount = steps
    }

    /// The model of a checkpoint, ready for generation or evaluation.
    public static func loadModel(path: String, parallel: Parallelism) throws -> (GPT, TrainingState) {
        let opened = try open(path: path)
        let model = GPT(config: opened.config, parallel: parallel)
        try loadParameters(opened, into: model)
        return (model, opened.state)
    }
}
