import Foundation
import GristCore

/// `language`: identifies each document's language, writes `language` and `language_score` into its
/// metadata, and keeps it when, as in datatrove 0.10.1's `LanguageFilter`, one of `languages` scores
/// above `language_threshold` (or, with no list, when the best language does). The model:
///
/// - `backend: builtin` (the default): GristFilter's own (22 languages and `other`, ``LanguageIdentifier``);
///   the rule and the defaults are datatrove's, the scores this model's;
/// - `backend: fasttext`, `model: lid.176.bin`: a fastText language ID model, read as datatrove's `FT176LID`
///   reads it (the text with newlines as spaces, every label's probability); labels lose `__label__`;
/// - `backend: glotlid`, `model: model_v3.bin`: GlotLID; labels are `eng_Latn`, and as in datatrove the
///   document's `language` is `eng` and its `language_script` `Latn` (`languages:` lists `eng_Latn`).
///
/// Reasons: `other_language` (the best language is not listed), `low_score` (nothing reaches the
/// threshold), `no_text` (no letters at all, for the built-in model).
public struct LanguageFilter: DocumentRule {
    public enum Backend: String, ConfigEnum { case builtin, fasttext, glotlid }

    public struct Options: Decodable, Sendable, ConfigSection {
        /// Languages to keep (the model's labels: ISO 639-1 for the built-in model and lid.176); nil keeps any.
        public var languages: [String]?
        public var languageThreshold = 0.65
        /// Only label the documents, never drop one.
        public var labelOnly = false
        public var backend: Backend = .builtin
        /// The fastText model file (`fasttext`, `glotlid`).
        public var model: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case languages, languageThreshold = "language_threshold", labelOnly = "label_only", backend, model
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            languages = try c.decodeIfPresent([String].self, forKey: .languages)
            try c.decode(.languageThreshold, into: &languageThreshold, .within(0.0...1.0))
            try c.decode(.labelOnly, into: &labelOnly)
            try c.decodeIfPresent(.backend, into: &backend)
            model = try c.optionalValue(.model, .nonEmpty)
            func here(_ key: CodingKeys) -> ConfigLocation {
                c.location(of: key) ?? ConfigLocation(file: "<config>", line: nil, path: key.rawValue)
            }
            if languages?.isEmpty == true {
                throw ConfigError("expected at least one language code (leave out \"languages\" to keep every language)",
                                  at: here(.languages))
            }
            switch (backend, model) {
            case (.builtin, nil):
                let known = LanguageIdentifier.languages
                for language in languages ?? [] where !known.contains(language) {
                    throw ConfigError("unknown language \"\(language)\" (known: \(known.joined(separator: ", ")))",
                                      at: here(.languages))
                }
            case (.builtin, _?):
                throw ConfigError("\"model\" is for backend: fasttext or glotlid (the built-in model is part of grist)",
                                  at: here(.model))
            case (_, nil):
                throw ConfigError("backend: \(backend.rawValue) needs \"model\": the path of a fastText language ID model "
                    + "(lid.176.bin, GlotLID's model_v3.bin)", at: here(.backend))
            case (_, let path?):
                if !FileManager.default.fileExists(atPath: path) {
                    throw ConfigError("file \"\(path)\" does not exist", at: here(.model))
                }
            }
        }
    }

    public static let kind = "language"
    public let options: Options
    private let identifier = LanguageIdentifier()
    /// The fastText model and its labels without `__label__` (backends `fasttext`, `glotlid`).
    private let fastText: (model: FastTextModel, labels: [String])?
    /// `languages` as indices into the model's languages.
    private let keep: [Int]
    private let scratch = ScratchPool { FastTextModel.Scratch() }

    public init(options: Options) throws {
        self.options = options
        guard options.backend != .builtin, let path = options.model else {
            fastText = nil
            keep = (options.languages ?? []).compactMap { LanguageIdentifier.languages.firstIndex(of: $0) }
            return
        }
        let model = try FastTextModel.shared(path: path)
        let labels = model.labels.map { $0.hasPrefix("__label__") ? String($0.dropFirst(9)) : $0 }
        fastText = (model, labels)
        keep = try (options.languages ?? []).map { language in
            guard let index = labels.firstIndex(of: language) else {
                throw GristError(.usage, "\(path): the model has no language \"\(language)\" (its labels: "
                    + labels.prefix(30).joined(separator: ", ") + (labels.count > 30 ? ", …" : "") + ")")
            }
            return index
        }
    }

    public var name: String { Self.kind }
    public var inputFiles: [String] { options.model.map { [$0] } ?? [] }

    public func apply(to document: inout Document) -> Verdict {
        if let fastText { return apply(fastText.model, labels: fastText.labels, to: &document) }
        guard let result = identifier.identify(document.text) else {
            document.metadata["language"] = "und"
            document.metadata["language_score"] = "0.0000"
            return options.labelOnly ? .keep : .drop(reason: "no_text")
        }
        document.metadata["language"] = result.language
        document.metadata["language_score"] = Self.format(result.score)
        return decide(best: result.language, bestScore: result.score, scores: result.scores,
                      languages: LanguageIdentifier.languages)
    }

    /// datatrove's `FastTextLID.predict`: every label's probability for the text with its newlines as spaces.
    private func apply(_ model: FastTextModel, labels: [String], to document: inout Document) -> Verdict {
        let results = scratch.with { s in
            document.text.withUnsafeBytes { model.predict($0, k: -1, threshold: 0, reading: .joined, scratch: s) }
            return s.results
        }
        var scores = [Double](repeating: 0, count: labels.count)
        for (label, probability) in results { scores[label] = Double(probability) }
        // The first best in the model's order of predictions (best first), as Python's max keeps the first.
        guard let best = results.first else {
            document.metadata["language"] = "und"
            document.metadata["language_score"] = "0.0000"
            return options.labelOnly ? .keep : .drop(reason: "no_text")
        }
        var language = labels[best.label]
        if options.backend == .glotlid, let underscore = language.firstIndex(of: "_") {
            document.metadata["language_script"] = String(language[language.index(after: underscore)...])
            language = String(language[..<underscore])
        }
        document.metadata["language"] = language
        document.metadata["language_score"] = Self.format(Double(best.probability))
        return decide(best: labels[best.label], bestScore: Double(best.probability), scores: scores, languages: labels)
    }

    /// datatrove's rule: with `languages`, keep when one of them scores above the threshold; without,
    /// when the best language does.
    private func decide(best: String, bestScore: Double, scores: [Double], languages: [String]) -> Verdict {
        if options.labelOnly { return .keep }
        let threshold = options.languageThreshold
        if options.languages == nil { return bestScore > threshold ? .keep : .drop(reason: "low_score") }
        if keep.contains(where: { scores[$0] > threshold }) { return .keep }
        return keep.contains(where: { languages[$0] == best }) ? .drop(reason: "low_score") : .drop(reason: "other_language")
    }

    /// Four decimals, without Foundation.
    static func format(_ x: Double) -> String {
        let scaled = Int((x * 10_000).rounded())
        let whole = scaled / 10_000, fraction = scaled % 10_000
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
