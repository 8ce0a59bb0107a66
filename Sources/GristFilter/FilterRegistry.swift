import GristCore

/// The filters a pipeline's `filters:` list can name, by `kind`. Adding a filter means adding it here.
public enum FilterRegistry {
    /// Every known kind, for errors and docs.
    public static let kinds = [
        LengthFilter.kind, GopherQualityFilter.kind, GopherRepetitionFilter.kind, C4QualityFilter.kind,
        FineWebQualityFilter.kind, LanguageFilter.kind, RegexFilter.kind, URLBlocklistFilter.kind,
        FastTextClassifierFilter.kind,
    ]

    /// Builds the filter an entry names, decoding its options strictly. A file it cannot use (a model
    /// that is not one, a label the model lacks) is an error at the entry's line.
    public static func make(_ entry: DeferredConfig) throws -> any DocumentRule {
        do {
            return try build(entry)
        } catch let error as GristError {
            throw ConfigError(error.description,
                              at: entry.location ?? ConfigLocation(file: "<config>", line: nil, path: "filters"))
        }
    }

    private static func build(_ entry: DeferredConfig) throws -> any DocumentRule {
        switch entry.kind {
        case LengthFilter.kind:
            return LengthFilter(options: try entry.decodeOptions(LengthFilter.Options.self))
        case GopherQualityFilter.kind:
            return GopherQualityFilter(options: try entry.decodeOptions(GopherQualityFilter.Options.self))
        case GopherRepetitionFilter.kind:
            return GopherRepetitionFilter(options: try entry.decodeOptions(GopherRepetitionFilter.Options.self))
        case C4QualityFilter.kind:
            return C4QualityFilter(options: try entry.decodeOptions(C4QualityFilter.Options.self))
        case FineWebQualityFilter.kind:
            return FineWebQualityFilter(options: try entry.decodeOptions(FineWebQualityFilter.Options.self))
        case LanguageFilter.kind:
            return try LanguageFilter(options: try entry.decodeOptions(LanguageFilter.Options.self))
        case RegexFilter.kind:
            return try RegexFilter(options: try entry.decodeOptions(RegexFilter.Options.self))
        case URLBlocklistFilter.kind:
            return try URLBlocklistFilter(options: try entry.decodeOptions(URLBlocklistFilter.Options.self))
        case FastTextClassifierFilter.kind:
            return try FastTextClassifierFilter(options: try entry.decodeOptions(FastTextClassifierFilter.Options.self))
        default:
            let known = kinds.map { "\"\($0)\"" }.joined(separator: ", ")
            throw ConfigError("unknown filter kind \"\(entry.kind)\" (known: \(known))",
                              at: entry.location ?? ConfigLocation(file: "<config>", line: nil, path: "filters"))
        }
    }
}
