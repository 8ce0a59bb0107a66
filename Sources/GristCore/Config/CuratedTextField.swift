/// One field of the curated text's documents (`text.fields`): a value every document has, or a metadata
/// key the sources record (missing for a document: null).
public enum CuratedTextField: Sendable, Equatable, Hashable {
    /// The document's id (its record's id, a URL, or `FILE:LINE`), as the manifest's `externalId`.
    case id
    /// The cleaned text, exactly as tokenized.
    case text
    /// The name of its source.
    case source
    /// `train`, `val`, or `both` for the one document `val_tokens` cut in two (as the manifest's `split`).
    case split
    /// Its token count (no separator), as the manifest's `tokenCount`.
    case tokens
    /// A key of the manifest's `documentMetadata` (a source's `metadata_fields`, a language filter's).
    case metadata(String)

    /// The fields every document has, in their default order.
    public static let builtIn: [CuratedTextField] = [.id, .text, .source, .split, .tokens]

    /// The field's name, as configured and as written.
    public var name: String {
        switch self {
        case .id: "id"
        case .text: "text"
        case .source: "source"
        case .split: "split"
        case .tokens: "tokens"
        case .metadata(let key): key
        }
    }

    /// Whether a document may lack it.
    public var isNullable: Bool { if case .metadata = self { true } else { false } }

    /// The fields when `text.fields` is not given: the built-in ones, then every metadata key recorded.
    public static func defaults(recordedMetadata: [String]) -> [CuratedTextField] {
        builtIn + recordedMetadata.filter { key in !builtIn.contains { $0.name == key } }.map(CuratedTextField.metadata)
    }

    /// The fields `config` lists, or the defaults. A name that is neither built in nor among
    /// `recordedMetadata` (the metadata keys some source records) is an error at its line, all of them
    /// reported at once.
    public static func resolve(_ config: CuratedTextConfig, recordedMetadata: [String]) throws -> [CuratedTextField] {
        guard let listed = config.fields else { return defaults(recordedMetadata: recordedMetadata) }
        var fields: [CuratedTextField] = [], errors: [ConfigError] = []
        let known = builtIn.map(\.name) + recordedMetadata.filter { key in !builtIn.contains { $0.name == key } }
        for entry in listed {
            if let field = builtIn.first(where: { $0.name == entry.value }) {
                fields.append(field)
            } else if recordedMetadata.contains(entry.value) {
                fields.append(.metadata(entry.value))
            } else {
                let near = known.min { editDistance($0, entry.value) < editDistance($1, entry.value) }
                    .flatMap { editDistance($0, entry.value) <= max(2, entry.value.count / 3) ? $0 : nil }
                let metadata = recordedMetadata.isEmpty ? "none" : recordedMetadata.joined(separator: ", ")
                errors.append(ConfigError("unknown field \"\(entry.value)\""
                    + (near.map { " (did you mean \"\($0)\"?)" } ?? "")
                    + ": the fields are id, text, source, split, tokens and the metadata keys the sources record "
                    + "(metadata_fields, a language filter's language: here \(metadata))",
                    at: entry.location ?? ConfigLocation(file: "<config>", line: nil, path: "text.fields")))
            }
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw ConfigErrors(errors) }
        return fields
    }
}
