import GristCore

extension FastTextTrainingLoss: ConfigEnum {}
extension ClassifierFileFormat: ConfigEnum {}
extension ClassifierTextSplit: ConfigEnum {}

/// A `fasttext_classifier`'s `train:` section: the labeled documents and fastText's settings that make
/// its model. `grist build` trains the model into the filter's `model:` path before it scans, and again
/// only when a document file or a setting changed (the DCLM recipe in one config: a classifier trained on
/// a reference set, then a crawl filtered with it). Keys as `grist classifier train`'s flags.
public struct ClassifierTrainingConfig: Decodable, Sendable, Equatable, ConfigSection {
    public var inputs = ClassifierInputs()
    public var settings = FastTextTrainingSettings()
    /// Shuffle the documents (seeded by `seed`) before training: fastText learns in input order.
    public var shuffle = true

    enum CodingKeys: String, CodingKey, CaseIterable {
        case positive, negative, positiveLabel = "positive_label", negativeLabel = "negative_label", labeled
        case labelField = "label_field", textField = "text_field", format, textSplit = "text_split"
        case epoch, lr, dim, wordNgrams = "word_ngrams", minn, maxn, minCount = "min_count"
        case minCountLabel = "min_count_label", bucket, loss, seed, shuffle
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func here(_ key: CodingKeys) -> ConfigLocation {
            c.location(of: key) ?? ConfigLocation(file: "<config>", line: nil, path: key.rawValue)
        }
        inputs.positive = try c.decodeIfPresent([String].self, forKey: .positive) ?? []
        inputs.negative = try c.decodeIfPresent([String].self, forKey: .negative) ?? []
        inputs.labeled = try c.decodeIfPresent([String].self, forKey: .labeled) ?? []
        try c.decode(.positiveLabel, into: &inputs.positiveLabel, .nonEmpty)
        try c.decode(.negativeLabel, into: &inputs.negativeLabel, .nonEmpty)
        try c.decode(.labelField, into: &inputs.labelField, .nonEmpty)
        try c.decode(.textField, into: &inputs.textField, .nonEmpty)
        inputs.format = try c.decodeIfPresent(ClassifierFileFormat.self, forKey: .format)
        try c.decodeIfPresent(.textSplit, into: &inputs.textSplit)
        try c.decode(.epoch, into: &settings.epoch, .atLeast(1))
        try c.decode(.lr, into: &settings.learningRate, .greaterThan(0))
        try c.decode(.dim, into: &settings.dim, .within(1...65_536))
        try c.decode(.wordNgrams, into: &settings.wordNgrams, .atLeast(1))
        try c.decode(.minn, into: &settings.minn, .atLeast(0))
        try c.decode(.maxn, into: &settings.maxn, .atLeast(0))
        try c.decode(.minCount, into: &settings.minCount, .atLeast(1))
        try c.decode(.minCountLabel, into: &settings.minCountLabel, .atLeast(0))
        try c.decode(.bucket, into: &settings.bucket, .atLeast(0))
        try c.decodeIfPresent(.loss, into: &settings.loss)
        try c.decode(.seed, into: &settings.seed)
        try c.decode(.shuffle, into: &shuffle)
        if inputs.labeled.isEmpty && (inputs.positive.isEmpty || inputs.negative.isEmpty) {
            throw ConfigError("train: needs \"positive\" and \"negative\" document files, or \"labeled\" ones",
                              at: here(inputs.positive.isEmpty ? .positive : .negative))
        }
        if !inputs.labeled.isEmpty && !(inputs.positive.isEmpty && inputs.negative.isEmpty) {
            throw ConfigError("give \"labeled\" files or \"positive\" and \"negative\" ones, not both", at: here(.labeled))
        }
        if inputs.positiveLabel == inputs.negativeLabel {
            throw ConfigError("\"positive_label\" and \"negative_label\" must differ", at: here(.negativeLabel))
        }
        do {
            try settings.validate()
        } catch let error as GristError {
            throw ConfigError(error.message, at: decoder.configLocation ?? here(.epoch))
        }
    }

    /// Everything the model depends on besides the documents' bytes, as text (for the model's key).
    public var description: String {
        let s = settings, i = inputs
        return "fasttext-train=1;dim=\(s.dim);epoch=\(s.epoch);lr=\(s.learningRate);wordNgrams=\(s.wordNgrams);"
            + "minn=\(s.minn);maxn=\(s.maxn);minCount=\(s.minCount);minCountLabel=\(s.minCountLabel);bucket=\(s.bucket);"
            + "loss=\(s.loss.rawValue);seed=\(s.seed);lrUpdateRate=\(s.lrUpdateRate);labelPrefix=\(s.labelPrefix);"
            + "shuffle=\(shuffle);positive=\(i.positive);negative=\(i.negative);labels=\(i.positiveLabel),\(i.negativeLabel);"
            + "labeled=\(i.labeled);labelField=\(i.labelField);textField=\(i.textField);"
            + "format=\(i.format?.rawValue ?? "auto");textSplit=\(i.textSplit.rawValue)"
    }
}
