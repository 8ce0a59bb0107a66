import ArgumentParser
import GristCore
import GristReport
import GristPipeline
import GristTrain

extension Grist {
    struct ValidateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check a pipeline config (keys, types, ranges, input files, the train: section) without running it.")

        @Argument(help: "The pipeline YAML file.")
        var config: String

        func run() throws {
            let plan = try BuildPlan(PipelineConfig.load(path: config))
            var lines = ["\(config): ok (\(plan.config.name), version \(plan.config.version))"]
            for source in plan.sources {
                let bytes = source.files.reduce(0) { $0 + $1.byteSize }
                lines.append("  source \(source.config.name): \(source.files.count) \(source.config.format.rawValue) files, "
                    + "\(Format.bytes(bytes)), weight \(Format.decimal(source.config.weight, 2))")
            }
            lines.append("  rules: " + plan.rules.map(\.name).joined(separator: " → "))
            lines.append("  output: \(plan.outputDirectory)")
            if let train = plan.config.train {
                // The settings `grist train` would run with, checked as it checks them: every problem.
                let options = try TrainOptions.resolve(config: train, pipelineOutput: plan.outputDirectory,
                                                       pipelineSeed: plan.config.seed, overrides: TrainOverrides(),
                                                       checked: false)
                let location = train.location ?? ConfigLocation(file: config, line: nil, path: "train")
                guard options.problems.isEmpty else {
                    for problem in options.problems { Console.error(ConfigError(problem, at: location).description) }
                    throw ExitCode(2)
                }
                let m = options.model
                lines.append("  train: \(options.modelName) (\(m.layers) layers, \(m.heads) heads, \(m.channels) wide, "
                    + "context \(m.maxContext)), \(options.steps) steps of \(options.batchSize) × \(options.sequenceLength) tokens")
            }
            print(lines.joined(separator: "\n"))
        }
    }
}
