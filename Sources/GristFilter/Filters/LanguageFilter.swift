import GristCore

/// `language`: identifies each document's language with GristFilter's own model (22 languages,
/// ``LanguageIdentifier``), writes `language` and `language_score` into its metadata, and keeps it
/// when, as in datatrove 0.10.1's `LanguageFilter`, one of `languages` scores above
/// `language_threshold` (or, with no list, when the best language does).
///
/// datatrove uses fastText's lid.176 model, which cannot ship here; the rule and the defaults are
/// datatrove's, the scores are this model's. Reasons: `other_language` (the best language is not
/// listed), `low_score` (nothing reaches the threshold), `no_text` (no letters at all).
public struct LanguageFilter: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        /// Languages to keep (ISO 639-1); nil keeps any language.
        public var languages: [String]?
        public var languageThreshold = 0.65
        /// Only label the documents, never drop one.
        public var labelOnly = false

        enum CodingKeys: String, CodingKey, CaseIterable {
            case languages, languageThreshold = "language_threshold", labelOnly = "label_only"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            languages = try c.decodeIfPresent([String].self, forKey: .languages)
            try c.decode(.languageThreshold, into: &languageThreshold, .within(0.0...1.0))
            try c.decode(.labelOnly, into: &labelOnly)
            if languages?.isEmpty == true {
                throw ConfigError("expected at least one language code (leave out \"languages\" to keep every language)",
                                  at: c.location(of: .languages) ?? ConfigLocation(file: "<config>", line: nil, path: "languages"))
            }
            let known = LanguageIdentifier.languages
            for language in languages ?? [] where !known.contains(language) {
                throw ConfigError("unknown language \"\(language)\" (known: \(known.joined(separator: ", ")))",
                                  at: c.location(of: .languages) ?? ConfigLocation(file: "<config>", line: nil, path: "languages"))
            }
        }
    }

    public static let kind = "language"
    public let options: Options
    private let identifier = LanguageIdentifier()
    private let keep: [Int]

    public init(options: Options) {
        self.options = options
        keep = (options.languages ?? []).compactMap { LanguageIdentifier.languages.firstIndex(of: $0) }
    }

    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        guard let result = identifier.identify(document.text) else {
            document.metadata["language"] = "und"
            document.metadata["language_score"] = "0.0000"
            return options.labelOnly ? .keep : .drop(reason: "no_text")
        }
        document.metadata["language"] = result.language
        document.metadata["language_score"] = Self.format(result.score)
        if options.labelOnly { return .keep }
        let threshold = options.languageThreshold
        if options.languages == nil { return result.score > threshold ? .keep : .drop(reason: "low_score") }
        if keep.contains(where: { result.scores[$0] > threshold }) { return .keep }
        return keep.contains(where: { LanguageIdentifier.languages[$0] == result.language })
            ? .drop(reason: "low_score") : .drop(reason: "other_language")
    }

    /// Four decimals, without Foundation.
    static func format(_ x: Double) -> String {
        let scaled = Int((x * 10_000).rounded())
        let whole = scaled / 10_000, fraction = scaled % 10_000
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
