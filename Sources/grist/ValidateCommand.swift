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
            // Every mistake of the file at once, in line order: decoding, paths, rule options, vocabulary
            // files, and the train: section checked as `grist train` checks it.
            let check = ConfigCheck(path: config)
            var errors = check.errors
            var trainSummary: String?
            if let loaded = check.loaded, let train = loaded.config.train {
                let output = check.plan?.outputDirectory ?? loaded.config.output.value
                let options = try TrainOptions.resolve(config: train, pipelineOutput: output,
                                                       pipelineSeed: loaded.config.seed, overrides: TrainOverrides(),
                                                       checked: false)
                let location = train.location ?? ConfigLocation(file: config, line: nil, path: "train")
                errors += options.problems.map { ConfigError($0, at: location) }
                let m = options.model
                trainSummary = "  train: \(options.modelName) (\(m.layers) layers, \(m.heads) heads, \(m.channels) wide, "
                    + "context \(m.maxContext)), \(options.steps) steps of \(options.batchSize) × \(options.sequenceLength) tokens"
            }
            if errors.isEmpty, check.plan == nil, !check.untrainedModels.isEmpty {
                // nothing wrong so far, but the filters after an untrained model wait for it
                print("\(config): ok so far; `grist build` trains \(check.untrainedModels.joined(separator: ", ")) "
                    + "first (train:), and checks the classifier filters that read them then")
                return
            }
            guard errors.isEmpty, let plan = check.plan else {
                for error in ConfigErrors(errors).errors { Console.error(error.description) }
                throw ExitCode(2)
            }
            var lines = ["\(config): ok (\(plan.config.name), version \(plan.config.version))"]
            for source in plan.sources {
                let bytes = source.files.reduce(0) { $0 + $1.byteSize }
                lines.append("  source \(source.config.name): \(source.files.count) \(source.config.format.rawValue) files, "
                    + "\(Format.bytes(bytes)), weight \(Format.decimal(source.config.weight, 2))")
            }
            lines.append("  rules: " + plan.rules.map(\.name).joined(separator: " → "))
            if let decontamination = plan.decontamination {
                let config = decontamination.config
                lines.append("  decontaminate: \(config.action.rawValue), \(config.ngram)-grams (whole items of "
                    + "\(config.minNgram) or more words); " + zip(decontamination.sources, decontamination.setCounts).map {
                        "\($0.name) \(Format.count($1.items)) items, \(Format.count($1.ngrams)) n-grams"
                            + ($1.tooShort > 0 ? " (\(Format.count($1.tooShort)) too short)" : "")
                    }.joined(separator: "; "))
            }
            lines.append("  output: \(plan.outputDirectory)")
            if let text = plan.config.text {
                lines.append("  text: \(text.format.rawValue) in \(plan.outputDirectory)/text/, order \(text.order.rawValue), "
                    + "fields " + plan.textFields.map(\.name).joined(separator: ", "))
            }
            if let trainSummary { lines.append(trainSummary) }
            print(lines.joined(separator: "\n"))
        }
    }
}
