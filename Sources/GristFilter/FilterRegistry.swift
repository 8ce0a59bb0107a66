import GristCore

/// The filters a pipeline's `filters:` list can name, by `kind`. Adding a filter means adding it here.
public enum FilterRegistry {
    /// Every known kind, for errors and docs.
    public static let kinds = [LengthFilter.kind]

    /// Builds the filter an entry names, decoding its options strictly.
    public static func make(_ entry: DeferredConfig) throws -> any DocumentRule {
        switch entry.kind {
        case LengthFilter.kind:
            return LengthFilter(options: try entry.decodeOptions(LengthFilter.Options.self))
        default:
            let known = kinds.map { "\"\($0)\"" }.joined(separator: ", ")
            throw ConfigError("unknown filter kind \"\(entry.kind)\" (known: \(known))",
                              at: entry.location ?? ConfigLocation(file: "<config>", line: nil, path: "filters"))
        }
    }
}
