import GristClean
import GristCore
import GristFilter

/// Every mistake `grist validate` can find in a pipeline file in one run: the decoding errors, then,
/// when the file decoded to the end, each source's paths, each `clean:` and `filters:` entry's options,
/// the tokenizer files and the curated text's fields, checked one by one so that one mistake does not
/// hide the next. The plan exists only when nothing was wrong.
public struct ConfigCheck {
    /// The file as decoded (bad keys at their defaults), when decoding could go on to the end.
    public let loaded: LoadedConfig?
    /// The plan a build would run, when there were no errors.
    public let plan: BuildPlan?
    /// Every error found, in the order found (``ConfigErrors`` sorts them by line).
    public let errors: [ConfigError]

    /// Models of `fasttext_classifier` entries that their `train:` section makes and that do not exist
    /// yet: without `trainClassifiers`, their filters are not checked further and there is no plan.
    public let untrainedModels: [String]

    /// Checks the file at `path`; `outputOverride` (the `--output` flag) goes to the plan. With
    /// `trainClassifiers` (`grist build`), the classifier models that `train:` sections make are trained
    /// first where they are missing or out of date (``ClassifierTraining``); `grist validate` trains none.
    public init(path: String, outputOverride: String? = nil, trainClassifiers: Bool = false) {
        let (loaded, decoding) = LoadedConfig.loadCollectingErrors(path: path)
        var errors = decoding
        func attempt(_ body: () throws -> Void) {
            do {
                try body()
            } catch let error as ConfigError {
                errors.append(error)
            } catch let error as ConfigErrors {
                errors += error.errors
            } catch {
                errors.append(ConfigError("\(error)", at: ConfigLocation(file: path, line: nil, path: "")))
            }
        }
        var plan: BuildPlan?
        var untrained: [String] = []
        if let loaded {
            let config = loaded.config
            for source in config.sources { attempt { _ = try BuildPlan.resolve(source.paths, source: source) } }
            if let steps = config.clean.steps {
                for step in steps { attempt { _ = try CleanerRegistry.make(step) } }
            }
            var filters: [any DocumentRule] = []
            for filter in config.filters {
                // a classifier whose train: section makes its model: trained here for a build (when nothing
                // was wrong before it), its training files only checked for validate
                var ready = true
                attempt { ready = try ClassifierTraining.ready(filter, training: trainClassifiers && errors.isEmpty) }
                guard ready else {
                    if let model = ClassifierTraining.untrainedModel(filter) { untrained.append(model) }
                    continue
                }
                attempt { filters.append(try FilterRegistry.make(filter)) }
            }
            attempt { _ = try BuildPlan.loadVocabulary(config.tokenizer, configPath: loaded.path) }
            if filters.count == config.filters.count {
                attempt { _ = try BuildPlan.curatedTextFields(config, ruleMetadata: BuildPlan.ruleMetadata(filters)) }
            }
            if errors.isEmpty && untrained.isEmpty { attempt { plan = try BuildPlan(loaded, outputOverride: outputOverride) } }
        }
        self.untrainedModels = untrained
        self.loaded = loaded
        self.plan = plan
        self.errors = errors
    }

    /// The plan, or every error found: one ``ConfigError``, or ``ConfigErrors`` in line order.
    public func requirePlan() throws -> BuildPlan {
        if let plan, errors.isEmpty { return plan }
        throw errors.count == 1 ? errors[0] as any Error : ConfigErrors(errors)
    }
}
