import ArgumentParser
import GristCore
import GristTokenize
import GristTrain

extension Grist {
    struct GenerateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Continue a prompt with a trained model (ours or a Hugging Face GPT-2).")

        @Option(help: "A checkpoint written by `grist train`.")
        var checkpoint: String?

        @Option(help: "A Hugging Face GPT-2 folder (config.json + model.safetensors).")
        var hfModel: String?

        @Option(help: "The vocabulary to encode the prompt and decode with: gpt2, a tiktoken ranks file or a tokenizer.json (default: the one the checkpoint's data was tokenized with; GPT-2's for --hf-model).")
        var vocab: String?

        @Option(help: "The text to continue (default: a newline).")
        var prompt: String?

        @Option(help: "How many tokens to generate.")
        var maxTokens: Int = 64

        @Option(help: "Sampling temperature (0: always the most likely token).")
        var temperature: Double = 0.8

        @Option(help: "Sample among the K most likely tokens only (0: all).")
        var topK: Int = 40

        @Option(help: "Sample among the most likely tokens whose probabilities add up to P (1: all).")
        var topP: Double = 1

        @Option(help: "Seed of the sampler: the same seed gives the same text.")
        var seed: UInt64 = 0

        @Option(help: "Threads for the kernels.")
        var threads: Int = 1

        func validate() throws {
            if (checkpoint == nil) == (hfModel == nil) { throw ValidationError("Give exactly one of --checkpoint and --hf-model.") }
            if maxTokens < 0 { throw ValidationError("--max-tokens must be 0 or more.") }
            if temperature < 0 { throw ValidationError("--temperature must be 0 or more.") }
            if topK < 0 { throw ValidationError("--top-k must be 0 or more.") }
            if !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1].") }
            if threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        func run() throws {
            BLASRuntime.ensureFastKernels()
            BLASRuntime.configure()
            let parallel = Parallelism(threads: threads)
            let model: GPT
            let vocabulary: BPEVocabulary
            if let checkpoint {
                let (loaded, state) = try TrainingCheckpoint.loadModel(path: checkpoint, parallel: parallel)
                model = loaded
                vocabulary = try state.tokenizer?.load(vocab) ?? BPEVocabulary.load(vocab ?? "gpt2")
            } else {
                model = try loadModel(checkpoint: nil, hfModel: hfModel, parallel: parallel)
                vocabulary = try BPEVocabulary.load(vocab ?? "gpt2")
            }
            guard model.config.vocabularySize == vocabulary.count else {
                throw GristError(.mismatch, "the model's vocabulary has \(model.config.vocabularySize) tokens, "
                                 + "the tokenizer \(vocabulary.name) \(vocabulary.count)",
                                 hint: "give the vocabulary the model was trained with (--vocab)")
            }
            var encoder = BPEEncoder(vocabulary: vocabulary)
            let prompt = self.prompt ?? "\n"
            var tokens = try encoder.encode(Array(prompt.utf8), allowedSpecial: .all).map { Int32($0) }
            if tokens.isEmpty { tokens = [Int32(vocabulary.endOfText ?? 0)] }
            let settings = SamplingSettings(temperature: temperature, topK: topK, topP: topP, seed: seed)
            let generated = TextGenerator.generate(model: model, prompt: tokens, count: maxTokens, settings: settings)
            print(prompt + String(decoding: vocabulary.decode(generated.map { UInt32($0) }), as: UTF8.self))
        }
    }
}

/// A model from our checkpoint or from a Hugging Face GPT-2 folder.
func loadModel(checkpoint: String?, hfModel: String?, parallel: Parallelism) throws -> GPT {
    if let checkpoint { return try TrainingCheckpoint.loadModel(path: checkpoint, parallel: parallel).0 }
    guard let hfModel else { throw GristError(.usage, "no model given") }
    return try HuggingFaceGPT2.load(folder: hfModel, parallel: parallel)
}
