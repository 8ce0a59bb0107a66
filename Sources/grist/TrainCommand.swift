import ArgumentParser
import GristCore
import GristReport
import GristTrain

#if canImport(Glibc)
import Glibc
#endif

extension Grist {
    struct TrainCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Pretrain a GPT-2-architecture model on the shards of a build.",
            discussion: """
                Settings come from the config's `train:` section (docs/config.md), then these flags. Each step \
                prints its loss, learning rate, gradient norm, throughput and ETA; the val loss, a sample and a \
                checkpoint follow at the configured intervals and at the end. Metrics go to OUT/metrics.csv and \
                to the data's manifest (`grist stats` shows them).
                """)

        @Argument(help: "A pipeline YAML file with a `train:` section (optional with --data).")
        var config: String?

        @Option(help: "The output folder of `grist build` to train on (default: the pipeline's output).")
        var data: String?

        @Option(help: "Where checkpoints and metrics go (default: DATA/train).")
        var out: String?

        @Option(help: "Model preset: tiny, small or gpt2 (124M).")
        var model: String?

        @Option(help: "Start from a Hugging Face GPT-2 folder (config.json + model.safetensors).")
        var initFrom: String?

        @Option(help: "Optimizer steps.")
        var steps: Int?

        @Option(help: "Sequences per micro-batch.")
        var batchSize: Int?

        @Option(help: "Tokens per sequence.")
        var seqLen: Int?

        @Option(help: "Micro-batches per optimizer step.")
        var gradAccum: Int?

        @Option(help: "Peak learning rate.")
        var lr: Double?

        @Option(help: "Stop (with a checkpoint) after this many seconds.")
        var maxSeconds: Double?

        @Option(help: "Threads for the kernels (default: the config's, else 1).")
        var threads: Int?

        @Option(help: "Seed for initialization, data order, dropout and samples.")
        var seed: UInt64?

        @Option(help: "Val loss every N steps (0: only at the end).")
        var evalEvery: Int?

        @Option(help: "A sample every N steps (0: only at the end).")
        var sampleEvery: Int?

        @Option(help: "Checkpoint every N steps (0: only at the end).")
        var checkpointEvery: Int?

        @Option(help: "Print every N steps.")
        var logEvery: Int?

        @Flag(help: "Draw training windows at seeded random positions instead of in order.")
        var randomWindows = false

        @Flag(help: "Continue from OUT/checkpoint.safetensors.")
        var resume = false

        @Option(help: "Continue from this checkpoint.")
        var resumeFrom: String?

        @Option(help: "Also write the final model and the data's tokenizer as a Hugging Face GPT-2 folder here (see `grist export`).")
        var exportHf: String?

        @Flag(help: "Resume even when the shards differ from those the checkpoint was trained on.")
        var allowDataChange = false

        func validate() throws {
            if config == nil, data == nil { throw ValidationError("Give a pipeline config or --data OUTPUT_DIR.") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        func run() throws {
            BLASRuntime.ensureFastKernels()
            var pipeline: PipelineConfig?
            if let config { pipeline = try PipelineConfig.load(path: config).config }
            var overrides = TrainOverrides()
            overrides.data = data
            overrides.out = out
            overrides.model = model
            overrides.initFrom = initFrom
            overrides.steps = steps
            overrides.batchSize = batchSize
            overrides.sequenceLength = seqLen
            overrides.gradientAccumulation = gradAccum
            overrides.learningRate = lr
            overrides.maxSeconds = maxSeconds
            overrides.threads = threads
            overrides.seed = seed
            overrides.evalEvery = evalEvery
            overrides.sampleEvery = sampleEvery
            overrides.checkpointEvery = checkpointEvery
            overrides.logEvery = logEvery
            overrides.randomWindows = randomWindows ? true : nil
            overrides.exportFolder = exportHf
            let options = try TrainOptions.resolve(config: pipeline?.train, pipelineOutput: pipeline?.output.value,
                                                   pipelineSeed: pipeline?.seed, overrides: overrides)
            let checkpoint = resumeFrom ?? (resume ? FileSystem.join(options.outputFolder, "checkpoint.safetensors") : nil)
            let trainer = try Trainer(options: options, resume: checkpoint, allowDataChange: allowDataChange)
            trainer.log = writeLine
            let summary = try trainer.run()
            print(LossCurveReport(summary).text)
        }
    }
}

/// The end-of-run summary: the loss curve in a few rows, the val loss against the data's unigram
/// entropy, throughput, and where the checkpoint is.
struct LossCurveReport {
    let summary: Trainer.Summary

    init(_ summary: Trainer.Summary) { self.summary = summary }

    var text: String {
        var lines = ["", "loss curve"]
        var table = TextTable(["step", "train loss", "val loss"], rightAligned: [0, 1, 2])
        let curve = summary.curve
        let picks = Set((0..<min(8, curve.count)).map { curve.count <= 8 ? $0 : $0 * (curve.count - 1) / 7 })
        for (index, point) in curve.enumerated() where picks.contains(index) || point.valLoss != nil && index == curve.count - 1 {
            table.add([Format.count(point.step), Format.decimal(point.trainLoss, 4), point.valLoss.map { Format.decimal($0, 4) } ?? ""])
        }
        lines.append(table.render())
        lines.append("")
        if let val = summary.finalValLoss {
            let verdict = val < summary.unigramEntropy ? "below" : "NOT below"
            lines.append("final val loss \(Format.decimal(val, 4)) is \(verdict) the unigram entropy of the data "
                + "(\(Format.decimal(summary.unigramEntropy, 4)) nats)")
        }
        let tokensPerSecond = Double(summary.tokens) / max(summary.seconds, 1e-9)
        lines.append("\(Format.count(summary.tokens)) tokens in \(Format.decimal(summary.seconds, 1)) s "
            + "(\(Format.count(Int(tokensPerSecond))) tokens/s, \(Format.decimal(summary.cpuSeconds, 1)) CPU-s)")
        lines.append("checkpoint: \(summary.checkpointPath)")
        return lines.joined(separator: "\n")
    }
}

/// Writes one line to stdout unbuffered, so a long run's log shows as it goes even through a pipe.
func writeLine(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in try? FileDescriptor.standardOutput.writeAll(UnsafeRawBufferPointer(bytes)) }
}
