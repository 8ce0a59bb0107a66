import GristCore

/// The cleaners a pipeline's `clean:` list can name, by kind. Adding a cleaner means adding it here.
public enum CleanerRegistry {
    public static let kinds = [
        UnicodeCleaner.kind, ControlCleaner.kind, WhitespaceCleaner.kind, MojibakeFixer.kind, PIICleaner.kind,
        LineStripper.kind,
    ]

    /// The rules of a `clean:` section: its list of cleaners, or the built-in cleaner for the mapping form.
    public static func rules(for config: CleanConfig) throws -> [any DocumentRule] {
        guard let steps = config.steps else { return [TextCleaner(config: config)] }
        return try steps.map(make)
    }

    /// Builds the cleaner an entry names, decoding its options strictly.
    public static func make(_ entry: DeferredConfig) throws -> any DocumentRule {
        switch entry.kind {
        case UnicodeCleaner.kind: return UnicodeCleaner(options: try entry.decodeOptions(UnicodeCleaner.Options.self))
        case ControlCleaner.kind: return ControlCleaner(options: try entry.decodeOptions(ControlCleaner.Options.self))
        case WhitespaceCleaner.kind:
            return WhitespaceCleaner(options: try entry.decodeOptions(WhitespaceCleaner.Options.self))
        case MojibakeFixer.kind: return MojibakeFixer(options: try entry.decodeOptions(MojibakeFixer.Options.self))
        case PIICleaner.kind: return PIICleaner(options: try entry.decodeOptions(PIICleaner.Options.self))
        case LineStripper.kind: return try LineStripper(options: try entry.decodeOptions(LineStripper.Options.self))
        default:
            let known = kinds.map { "\"\($0)\"" }.joined(separator: ", ")
            throw ConfigError("unknown cleaner \"\(entry.kind)\" (known: \(known))",
                              at: entry.location ?? ConfigLocation(file: "<config>", line: nil, path: "clean"))
        }
    }
}
