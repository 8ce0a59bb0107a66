import ArgumentParser
import Foundation
import GristCore
import GristReport
import GristTrain

extension Grist {
    struct EvalCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Mean next-token cross-entropy of a model over a token file.",
            discussion: """
                Windows tokens[k(T+1) ..< (k+1)(T+1)] for k = 0, 1, … while whole (a trailing partial window is \
                ignored); the first T tokens of a window are the input, the last T the targets. The last line is \
                `loss <value>`, the mean over every prediction of every window; the line before it the perplexity, exp(loss).
                """)

        @Option(help: "A Hugging Face GPT-2 folder (config.json + model.safetensors).")
        var hfModel: String?

        @Option(help: "A checkpoint written by `grist train`.")
        var checkpoint: String?

        @Option(help: "An llm.c .bin shard or a raw little-endian uint16 token file.")
        var tokens: String

        @Option(help: "Tokens of input per window, T (default: the model's context length).")
        var context: Int?

        @Option(help: "Windows per forward pass.")
        var batchSize: Int = 4

        @Option(help: "Threads for the kernels (default: one per core).")
        var threads: Int?

        func validate() throws {
            if (checkpoint == nil) == (hfModel == nil) { throw ValidationError("Give exactly one of --checkpoint and --hf-model.") }
            if let context, context < 1 { throw ValidationError("--context must be at least 1.") }
            if batchSize < 1 { throw ValidationError("--batch-size must be at least 1.") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        func run() throws {
            BLASRuntime.ensureFastKernels()
            BLASRuntime.configure()
            let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
            let model = try loadModel(checkpoint: checkpoint, hfModel: hfModel, parallel: Parallelism(threads: threads))
            let ids = try Evaluation.readTokens(path: tokens)
            let t = context ?? model.config.maxContext
            let progress = ProgressLine()
            let result = try Evaluation.meanLoss(model: model, tokens: ids, context: t, batchSize: batchSize) { done, total in
                progress.update("windows \(done)/\(total)")
            }
            progress.finish()
            print("\(Format.count(result.windows)) windows of \(t) + 1 tokens, \(Format.count(result.predictions)) predictions")
            print("perplexity \(Format.decimal(exp(result.loss), 2))")
            print("loss \(Format.decimal(result.loss, 6))")
        }
    }
}
