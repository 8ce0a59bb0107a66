import Foundation
import GristCore
import GristFilter

/// Trains fastText classifiers from labeled documents: for `grist classifier train`, and for every
/// `fasttext_classifier` with a `train:` section before a build scans. A trained model sits at the filter's
/// `model:` path with its key beside it (`MODEL.train-key`: a hash of the settings and of every training
/// file's path and contents); a build trains again only when the key changed or the model is gone.
public enum ClassifierTraining {
    /// A model trained from labeled documents, and what it was trained on.
    public struct Trained: Sendable {
        public let model: FastTextTrainedModel
        public let examples: ClassifierExamples
        public let corpus: FastTextCorpus
    }

    /// Reads the documents of `inputs` and trains a model with `settings` (the documents shuffled with
    /// the settings' seed unless `shuffle` is false). An empty label or no documents at all is an error.
    public static func train(_ inputs: ClassifierInputs, settings: FastTextTrainingSettings,
                             shuffle: Bool) throws -> Trained {
        let (examples, corpus) = try read(inputs, settings: settings, shuffle: shuffle)
        let model = try FastTextTrainer(settings: settings).train(corpus)
        return Trained(model: model, examples: examples, corpus: corpus)
    }

    /// The documents of `inputs` and the training corpus made of them (the first half of `train`).
    public static func read(_ inputs: ClassifierInputs, settings: FastTextTrainingSettings,
                            shuffle: Bool) throws -> (examples: ClassifierExamples, corpus: FastTextCorpus) {
        let examples = try ClassifierExamples.read(inputs, labelPrefix: settings.labelPrefix)
        for (name, count) in zip(examples.labelNames, examples.documentsPerLabel) where count == 0 {
            throw GristError(.nothingKept, "no \(name) documents to train on (the \(name) files hold no documents with text)")
        }
        if examples.count == 0 { throw GristError(.nothingKept, "no documents to train on") }
        let corpus = ClassifierCorpus.make(examples, labelPrefix: settings.labelPrefix,
                                           shuffleSeed: shuffle ? settings.seed : nil)
        return (examples, corpus)
    }

    /// The key of the model `config` makes: its settings and every training file, path and contents.
    public static func key(_ config: ClassifierTrainingConfig) throws -> String {
        var text = config.description
        for path in try ClassifierExamples.files(of: config.inputs) {
            text += ";" + path + ":" + (try SHA256.hexDigest(ofFile: path))
        }
        return hexString(SHA256.digest(Array(text.utf8)))
    }

    static func keyPath(model: String) -> String { model + ".train-key" }

    /// Whether the model at `model` is the one `config` makes now.
    public static func isCurrent(model: String, config: ClassifierTrainingConfig) throws -> Bool {
        guard FileSystem.exists(model), let stored = try? String(contentsOfFile: keyPath(model: model), encoding: .utf8) else {
            return false
        }
        return stored.trimmingCharacters(in: .whitespacesAndNewlines) == (try key(config))
    }

    /// The model path of a `fasttext_classifier` entry whose `train:` section makes a model that does not
    /// exist yet; nil for any other entry (or one whose options do not decode).
    public static func untrainedModel(_ entry: DeferredConfig) -> String? {
        guard entry.kind == FastTextClassifierFilter.kind,
              let options = try? entry.decodeOptions(FastTextClassifierFilter.Options.self),
              options.train != nil, !FileSystem.exists(options.model) else { return nil }
        return options.model
    }

    /// Whether entry `entry` can be made into its rule now. Any entry but a `fasttext_classifier` with a
    /// `train:` section can. For one, its training files must exist (an error at the entry's line otherwise);
    /// with `training`, its model is trained if missing or out of date; without, it is ready only when its
    /// model file exists.
    public static func ready(_ entry: DeferredConfig, training: Bool) throws -> Bool {
        guard entry.kind == FastTextClassifierFilter.kind,
              let options = try? entry.decodeOptions(FastTextClassifierFilter.Options.self),
              let train = options.train else { return true }
        do {
            _ = try ClassifierExamples.files(of: train.inputs)
            if training { try prepare([entry]) }
        } catch let error as GristError {
            throw ConfigError((training ? "training the classifier: " : "") + error.description,
                              at: entry.location ?? ConfigLocation(file: "<config>", line: nil, path: "filters"))
        }
        return training || FileSystem.exists(options.model)
    }

    /// Trains the model of every `fasttext_classifier` entry of `filters` with a `train:` section whose
    /// model is missing or out of date; returns the stage names of the ones it trained.
    @discardableResult
    public static func prepare(_ filters: [DeferredConfig]) throws -> [String] {
        var trained: [String] = []
        for entry in filters where entry.kind == FastTextClassifierFilter.kind {
            let options = try entry.decodeOptions(FastTextClassifierFilter.Options.self)
            guard let config = options.train else { continue }
            let key = try key(config)
            if try isCurrent(model: options.model, config: config) { continue }
            let started = Date()
            let result = try train(config.inputs, settings: config.settings, shuffle: config.shuffle)
            let folder = (options.model as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileSystem.createDirectory(folder) }
            try FastTextModelWriter.write(result.model, to: options.model)
            try AtomicFile.write(path: keyPath(model: options.model)) { try $0.write(Array((key + "\n").utf8)) }
            let labels = zip(result.examples.labelNames, result.examples.documentsPerLabel)
                .map { "\($0) \(NumberText.grouped($1))" }.joined(separator: ", ")
            Console.info("trained \(options.model) for fasttext_classifier: \(labels) documents, "
                + "\(NumberText.grouped(result.model.wordCount)) words, \(config.settings.epoch) epochs, "
                + String(format: "%.1f s", Date().timeIntervalSince(started)))
            trained.append(options.model)
        }
        return trained
    }
}
