import Foundation
import GristCore

extension TextGranularity: ConfigEnum {}

/// `fasttext_classifier`: scores documents with a supervised fastText model (`.bin` or `.ftz`: a DCLM-style
/// quality classifier, one trained by `grist classifier train`) and keeps or drops them on one label's
/// score, as datatrove 0.10.1's `FastTextClassifierFilter` does:
///
/// - the text is cut into units (`granularity`: the document, paragraphs, or lines: datatrove's
///   `PARAGRAPH` mode), each unit is stripped, its "\n" replaced by `newline_replacement` (datatrove's
///   default, "", joins lines; DCLM's own scripts used " "), and fastText predicts every label;
/// - a unit stays when its score of `label` is at least `threshold` (`action: keep`), or when it is
///   below it (`action: remove`); with paragraphs or lines the document's text becomes its kept units,
///   put back as datatrove does; a document with no text left is dropped (`below_threshold`,
///   `above_threshold`, or `no_text` when only blank units stayed);
/// - each label's mean score over the units goes into the document's metadata under
///   `metadata_prefix` + the label (`__label__hq`), and from there into the manifest's `documentScore`.
///
/// Without `label`, or with `label_only: true`, documents are only scored. With `train:`, `grist build`
/// first trains the model into `model` from labeled documents (``ClassifierTrainingConfig``).
public struct FastTextClassifierFilter: ScoringRule {
    public enum Action: String, ConfigEnum { case keep, remove }

    public struct Options: Decodable, Sendable, ConfigSection {
        public var model: String
        /// The label whose score decides (`hq` or `__label__hq`); nil only scores.
        public var label: String?
        public var threshold: Double?
        public var action: Action = .keep
        public var granularity: TextGranularity = .document
        public var newlineReplacement = ""
        public var metadataPrefix = ""
        public var labelOnly = false
        /// How `grist build` trains `model` first (nil: the model is a file you made).
        public var train: ClassifierTrainingConfig?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case model, label, threshold, action, granularity, newlineReplacement = "newline_replacement"
            case metadataPrefix = "metadata_prefix", labelOnly = "label_only", train
        }

        public init(model: String) { self.model = model }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            model = try c.value(.model, .nonEmpty)
            label = try c.optionalValue(.label, .nonEmpty)
            threshold = try c.optionalValue(.threshold)
            try c.decodeIfPresent(.action, into: &action)
            try c.decodeIfPresent(.granularity, into: &granularity)
            try c.decode(.newlineReplacement, into: &newlineReplacement)
            try c.decode(.metadataPrefix, into: &metadataPrefix)
            try c.decode(.labelOnly, into: &labelOnly)
            train = try c.decodeIfPresent(ClassifierTrainingConfig.self, forKey: .train)
            func here(_ key: CodingKeys) -> ConfigLocation {
                c.location(of: key) ?? ConfigLocation(file: "<config>", line: nil, path: key.rawValue)
            }
            if label != nil, threshold == nil {
                throw ConfigError("\"label\" needs a \"threshold\": the score a unit needs (DCLM kept documents whose "
                    + "__label__hq probability was at least 0.018112; see docs/config.md)", at: here(.label))
            }
            if label == nil, threshold != nil {
                throw ConfigError("\"threshold\" needs a \"label\": the model label whose score it is", at: here(.threshold))
            }
            if train == nil, !FileManager.default.fileExists(atPath: model) {
                throw ConfigError("file \"\(model)\" does not exist", at: here(.model))
            }
        }
    }

    public static let kind = "fasttext_classifier"
    static let labelPrefix = "__label__"
    public let options: Options
    let model: FastTextModel
    /// Index in `model.labels` of the deciding label.
    private let decisionLabel: Int?
    private let scratch = ScratchPool { UnitScratch() }
    private let newlineReplacement: [UInt8]

    /// One document's buffers, reused for the next.
    final class UnitScratch {
        let prediction = FastTextModel.Scratch()
        var units = TextUnits()
        var unit: [UInt8] = [], input: [UInt8] = [], kept: [UInt8] = []
        var sums: [Double] = [], counts: [Int] = []
    }

    public init(options: Options) throws {
        self.options = options
        newlineReplacement = Array(options.newlineReplacement.utf8)
        if options.train != nil, !FileManager.default.fileExists(atPath: options.model) {
            throw GristError(.usage, "\(options.model): the model this filter's train: section makes is not trained yet "
                + "(`grist build` trains it before it scans)")
        }
        model = try FastTextModel.shared(path: options.model)
        if let label = options.label {
            let full = label.hasPrefix(Self.labelPrefix) ? label : Self.labelPrefix + label
            guard let index = model.labels.firstIndex(of: full) ?? model.labels.firstIndex(of: label) else {
                throw GristError(.usage, "\(options.model): the model has no label \"\(label)\" (its labels: "
                    + model.labels.prefix(20).joined(separator: ", ") + (model.labels.count > 20 ? ", …" : "") + ")")
            }
            decisionLabel = index
        } else {
            decisionLabel = nil
        }
    }

    public var name: String { Self.kind }
    public var inputFiles: [String] { [options.model] }
    public var modelPath: String { options.model }

    public var scoreKeys: [(key: String, label: String)] {
        model.labels.map { (options.metadataPrefix + $0, $0) }
    }

    public var decision: ScoreDecision? {
        guard let decisionLabel, let threshold = options.threshold else { return nil }
        return ScoreDecision(label: model.labels[decisionLabel], threshold: threshold, keepsAtOrAbove: options.action == .keep,
                             drops: !options.labelOnly)
    }

    public var granularity: String { options.granularity.rawValue }

    public func apply(to document: inout Document) -> Verdict {
        scratch.with { apply(to: &document, $0) }
    }

    private func apply(to document: inout Document, _ s: UnitScratch) -> Verdict {
        // the buffers move to locals for the document (a class's stored properties pay for exclusivity
        // checks on every access) and back to the scratch object after it
        var units = TextUnits(), unit: [UInt8] = [], input: [UInt8] = [], kept: [UInt8] = []
        var sums: [Double] = [], counts: [Int] = []
        swap(&units, &s.units); swap(&unit, &s.unit); swap(&input, &s.input); swap(&kept, &s.kept)
        swap(&sums, &s.sums); swap(&counts, &s.counts)
        defer {
            swap(&units, &s.units); swap(&unit, &s.unit); swap(&input, &s.input); swap(&kept, &s.kept)
            swap(&sums, &s.sums); swap(&counts, &s.counts)
        }
        let prediction = s.prediction
        let granularity = options.granularity
        let labelCount = model.labels.count
        if sums.count != labelCount {
            sums = [Double](repeating: 0, count: labelCount)
            counts = [Int](repeating: 0, count: labelCount)
        } else {
            for i in 0..<labelCount { sums[i] = 0; counts[i] = 0 }
        }
        kept.removeAll(keepingCapacity: true)
        var keptUnits = 0
        let replacement = newlineReplacement
        let decides = decision?.drops == true
        let keepsAtOrAbove = options.action == .keep
        let threshold = options.threshold ?? 0
        document.text.withUnsafeBufferPointer { text in
            units.split(text, granularity)
            for u in 0..<units.count {
                unit.removeAll(keepingCapacity: true)
                units.append(unit: u, of: text, granularity: granularity, to: &unit)
                input.removeAll(keepingCapacity: true)
                unit.withUnsafeBufferPointer { u in
                    for byte in u[TextUnits.strip(u, 0..<u.count)] {
                        if byte == 0x0A { input.append(contentsOf: replacement) } else { input.append(byte) }
                    }
                }
                input.withUnsafeBytes { model.predict($0, k: -1, threshold: 0, reading: .joined, scratch: prediction) }
                var score = -9e9  // datatrove's score of a label the prediction lacks
                for (label, probability) in prediction.results {
                    sums[label] += Double(probability)
                    counts[label] += 1
                    if label == decisionLabel { score = Double(probability) }
                }
                if !decides || (keepsAtOrAbove ? score >= threshold : !(score >= threshold)) {
                    keptUnits += 1
                    if granularity != .document && decides { kept.append(contentsOf: unit) }
                }
            }
        }
        for label in model.labels.indices where counts[label] > 0 {
            document.metadata[options.metadataPrefix + model.labels[label]] = String(sums[label] / Double(counts[label]))
        }
        guard decides else { return .keep }
        let dropReason = keepsAtOrAbove ? "below_threshold" : "above_threshold"
        if granularity == .document {
            guard keptUnits == 1 else { return .drop(reason: dropReason) }
            let blank = document.text.withUnsafeBufferPointer { TextUnits.strip($0, 0..<$0.count).isEmpty }
            return blank ? .drop(reason: "no_text") : .keep
        }
        let empty = kept.withUnsafeBufferPointer { TextUnits.strip($0, 0..<$0.count).isEmpty }
        if empty { return .drop(reason: keptUnits == 0 ? dropReason : "no_text") }
        if kept != document.text {
            document.text = kept
            document.analysis = nil
        }
        return .keep
    }
}
