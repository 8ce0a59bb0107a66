import ArgumentParser
import Foundation
import GristCore
import GristReport
import GristPipeline

extension Grist {
    struct BuildCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build token shards and a manifest from a pipeline config.")

        @Argument(help: "The pipeline YAML file.")
        var config: String

        @Option(name: .shortAndLong, help: "Output folder (overrides the config's `output`).")
        var output: String?

        @Option(name: .shortAndLong, help: "Worker threads (default: the number of cores).")
        var workers: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: "Replace an output folder that holds the build of another pipeline.")
        var force = false

        func validate() throws {
            guard workers >= 1 else { throw ValidationError("--workers must be at least 1.") }
        }

        func run() throws {
            let plan = try BuildPlan(PipelineConfig.load(path: config), outputOverride: output)
            Console.info("building \(plan.config.name): \(plan.sources.reduce(0) { $0 + $1.files.count }) files "
                + "in \(plan.sources.count) sources → \(plan.outputDirectory) (\(workers) workers)")
            let summary = try Build(plan: plan, workers: workers, force: force).run()
            let tokens = summary.tokens.values.reduce(0, +)
            Console.info("stages: " + summary.stages.map(\.description).joined(separator: "; "))
            print("""
                \(summary.upToDate ? "up to date" : "built") \(plan.outputDirectory) in \(Format.decimal(summary.seconds, 1)) s: \
                \(Format.count(summary.documentsRead)) documents read, \(Format.count(summary.recordsSkipped)) skipped, \
                \(Format.count(summary.documentsKept)) kept; \(Format.count(tokens)) tokens in \
                \(summary.shards[.train] ?? 0) train + \(summary.shards[.val] ?? 0) val shards
                """)
        }
    }
}
