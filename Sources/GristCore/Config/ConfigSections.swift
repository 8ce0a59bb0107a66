import Yams

/// Canonical text of parts of a configuration, for keying cached work: two configs that differ only in
/// comments, layout, key order or untouched sections give the same text for a section.
public struct ConfigSections: Sendable {
    /// Canonical text of each top-level section.
    private let sections: [String: String]
    /// Per source, its keys and their values' canonical text.
    private let sources: [[(key: String, value: String)]]

    /// Parses `yaml` (a config that already decoded, so parsing cannot fail in practice).
    public init(yaml: String) {
        var sections: [String: String] = [:]
        var sources: [[(key: String, value: String)]] = []
        if let node = try? Yams.compose(yaml: yaml), case .mapping(let mapping) = node {
            for (key, value) in mapping {
                guard case .scalar(let name) = key else { continue }
                sections[name.string] = Self.canonical(value)
                guard name.string == "sources", case .sequence(let list) = value else { continue }
                sources = list.map { entry in
                    guard case .mapping(let fields) = entry else { return [("", Self.canonical(entry))] }
                    return fields.compactMap { pair in
                        guard case .scalar(let field) = pair.key else { return nil }
                        return (field.string, Self.canonical(pair.value))
                    }
                }
            }
        }
        self.sections = sections
        self.sources = sources
    }

    /// The canonical text of a top-level section (`clean`, `filters`, …); empty when absent.
    public func section(_ name: String) -> String { sections[name] ?? "" }

    /// The canonical text of source `index`, without the keys in `excluding` (such as `weight`).
    public func source(_ index: Int, excluding: Set<String>) -> String {
        guard index < sources.count else { return "" }
        let pairs = sources[index].filter { !excluding.contains($0.key) }.sorted { $0.key < $1.key }
        return "{" + pairs.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }

    /// Sorted keys at every level, plain scalars: a stable rendering of what the node says.
    static func canonical(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return "\"" + scalar.string.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .alias: return "*"
        case .sequence(let list): return "[" + list.map(canonical).joined(separator: ",") + "]"
        case .mapping(let mapping):
            let pairs = mapping.map { (canonical($0.key), canonical($0.value)) }.sorted { $0.0 < $1.0 }
            return "{" + pairs.map { $0.0 + ":" + $0.1 }.joined(separator: ",") + "}"
        }
    }
}
