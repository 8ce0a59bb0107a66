import ArgumentParser
import Foundation
import GristCore
import GristPipeline
import GristReport
import GristTrain

extension Grist {
    struct BuildCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build token shards and a manifest from a pipeline config.",
            discussion: """
                Work is stored in OUTPUT/.grist as it is done: run the same command again after a crash \
                or a config change and only what changed is done again. With --executor slurm the build \
                is submitted as Slurm job arrays (scan, dedup) and a final job; rerunning the command \
                resubmits what is not done.
                """)

        enum Executor: String, ExpressibleByArgument, CaseIterable { case local, slurm }

        @Argument(help: "The pipeline YAML file.")
        var config: String

        @Option(name: .shortAndLong, help: "Output folder (overrides the config's `output`).")
        var output: String?

        @Option(name: .shortAndLong, help: "Worker threads (default: the number of cores; with Slurm, per task).")
        var workers: Int?

        /// `--workers`, or one per core.
        private var workerCount: Int { workers ?? ProcessInfo.processInfo.activeProcessorCount }

        @Flag(help: "Replace an output folder that holds the build of another pipeline.")
        var force = false

        @Option(help: "Where to run: local (this machine) or slurm (job arrays through sbatch).")
        var executor: Executor = .local

        @Option(help: "Slurm: scan array tasks.")
        var tasks: Int = 4

        @Option(help: "Slurm: the partition to submit to.")
        var partition: String?

        @Option(name: .customLong("sbatch-arg"), help: "Slurm: one more #SBATCH line (repeatable), e.g. --time=2:00:00.")
        var sbatchArguments: [String] = []

        @Flag(help: "Slurm: wait until the final job ends, and fail if it failed.")
        var wait = false

        @Option(help: .hidden)
        var scanTask: Int?

        @Option(help: .hidden)
        var dedupTask: Int?

        @Flag(help: .hidden)
        var paragraphsTask = false

        func validate() throws {
            guard workerCount >= 1 else { throw ValidationError("--workers must be at least 1.") }
            guard tasks >= 1 else { throw ValidationError("--tasks must be at least 1.") }
            if let scanTask, scanTask < 0 || scanTask >= tasks {
                throw ValidationError("--scan-task must be in 0..<--tasks.")
            }
        }

        func run() throws {
            // Every mistake of the file at once (ConfigCheck), not the first one.
            let plan = try ConfigCheck(path: config, outputOverride: output, trainClassifiers: true).requirePlan()
            let build = Build(plan: plan, workers: workerCount, force: force)
            if paragraphsTask {
                try build.runParagraphsTask()
                Console.info("paragraphs task done")
                return
            }
            if let scanTask {
                let scanned = try build.runScanTask(index: scanTask, of: tasks)
                Console.info("scan task \(scanTask) of \(tasks): scanned \(scanned) units")
                return
            }
            if let dedupTask {
                try build.runDedupTask(index: dedupTask)
                Console.info("dedup task \(dedupTask) done")
                return
            }
            if executor == .slurm { return try submit(plan) }
            Console.info("building \(plan.config.name): \(plan.sources.reduce(0) { $0 + $1.files.count }) files "
                + "in \(plan.sources.count) sources → \(plan.outputDirectory) (\(workerCount) workers)")
            let summary = try build.run()
            let tokens = summary.tokens.values.reduce(0, +)
            Console.info("stages: " + summary.stages.map(\.description).joined(separator: "; "))
            print("""
                \(summary.upToDate ? "up to date" : "built") \(plan.outputDirectory) in \
                \(Format.decimal(summary.seconds, 1)) s: \
                \(Format.count(summary.documentsRead)) documents read, \(Format.count(summary.recordsSkipped)) skipped, \
                \(Format.count(summary.documentsKept)) kept; \(Format.count(tokens)) tokens in \
                \(summary.shards[.train] ?? 0) train + \(summary.shards[.val] ?? 0) val shards
                """)
            warnAboutShardSizes(config: plan.config.shards, tokens: summary.tokens)
            warnAboutValidation(plan: plan, valTokens: summary.tokens[.val] ?? 0)
        }

        /// A split smaller than a `shards.min_tokens` the config gives is one shard below that size.
        private func warnAboutShardSizes(config: ShardsConfig, tokens: [DataSplit: Int]) {
            for split in DataSplit.allCases {
                let count = tokens[split] ?? 0
                guard config.isBelowMinimum(splitTokens: count), let minimum = config.minTokens else { continue }
                Console.warning("the \(split.rawValue) split has \(Format.count(count)) tokens, fewer than "
                    + "shards.min_tokens (\(Format.count(minimum))): it is one shard of that size, which a loader "
                    + "that needs \(Format.count(minimum)) tokens per shard refuses")
            }
        }

        /// A val split that is empty (though asked for), or smaller than one training batch of the pipeline's
        /// `train:` section, cannot measure a run: say so now rather than at training time.
        private func warnAboutValidation(plan: BuildPlan, valTokens: Int) {
            let config = plan.config
            // Sources that take val by `val_fraction`, and whether any asks for val by `val_tokens`.
            let byFraction = config.mix.valTokens == nil && config.mix.valFraction > 0
                && config.sources.contains { $0.valTokens == nil }
            let byTokens = (config.mix.valTokens ?? 0) > 0 || config.sources.contains { ($0.valTokens ?? 0) > 0 }
            guard byFraction || byTokens else { return }
            if valTokens == 0 {
                if byFraction {
                    Console.warning("the val split is empty: mix.val_fraction (\(config.mix.valFraction)) picks whole "
                        + "documents, and none was picked; raise it, add documents (a corpus of a few long documents "
                        + "may give none), or give mix.val_tokens, which cuts the val split from the ends of documents")
                } else {
                    Console.warning("the val split is empty: val_tokens found no tokens to take it from")
                }
                return
            }
            guard let train = config.train,
                  let options = try? TrainOptions.resolve(config: train, pipelineOutput: plan.outputDirectory,
                                                          pipelineSeed: config.seed, overrides: TrainOverrides(), checked: false)
            else { return }
            let window = options.sequenceLength + 1, batch = options.batchSize * options.sequenceLength + 1
            if valTokens < window {
                Console.warning("the val split has \(Format.count(valTokens)) tokens, fewer than one window of "
                    + "\(Format.count(window)) (train.seq_len + 1): grist train will report no val loss")
            } else if valTokens < batch {
                Console.warning("the val split has \(Format.count(valTokens)) tokens, fewer than one training batch of "
                    + "\(Format.count(batch)) (train.batch_size × train.seq_len + 1): the val loss repeats windows")
            }
        }

        private func submit(_ plan: BuildPlan) throws {
            let executor = SlurmExecutor(plan: plan, configPath: config, options: .init(
                tasks: tasks, partition: partition, workers: workerCount, extraArguments: sbatchArguments, wait: wait))
            let submission = try executor.submit()
            for job in submission.jobs { print("submitted \(job.stage): job \(job.id)") }
            print(wait ? "the final job ended; grist stats \(plan.outputDirectory) shows the build"
                : "follow it with: grist status \(plan.outputDirectory)")
        }
    }
}
