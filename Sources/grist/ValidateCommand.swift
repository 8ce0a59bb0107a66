import ArgumentParser
import GristCore
import GristReport
import GristPipeline

extension Grist {
    struct ValidateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check a pipeline config (keys, types, ranges, input files) without running it.")

        @Argument(help: "The pipeline YAML file.")
        var config: String

        func run() throws {
            let plan = try BuildPlan(PipelineConfig.load(path: config))
            print("\(config): ok (\(plan.config.name), version \(plan.config.version))")
            for source in plan.sources {
                let bytes = source.files.reduce(0) { $0 + $1.byteSize }
                print("  source \(source.config.name): \(source.files.count) \(source.config.format.rawValue) files, "
                    + "\(Format.bytes(bytes)), weight \(Format.decimal(source.config.weight, 2))")
            }
            print("  rules: " + plan.rules.map(\.name).joined(separator: " → "))
            print("  output: \(plan.outputDirectory)")
        }
    }
}
