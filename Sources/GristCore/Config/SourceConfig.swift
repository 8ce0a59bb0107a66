/// One named source of documents: files of one format, and its weight in the mixture.
public struct SourceConfig: Decodable, Sendable {
    public var name: String
    /// Files or glob patterns (`*`, `?`, `[…]`, and `**` for any depth of folders).
    public var paths: [Located<String>]
    public var format: SourceFormat
    /// Relative weight in the mixture; what it means depends on `mix.budget_tokens` (docs/config.md).
    public var weight: Double
    public var text: TextReaderOptions
    public var jsonl: JSONLReaderOptions

    enum CodingKeys: String, CodingKey, CaseIterable { case name, paths, format, weight, text, jsonl }

    public init(name: String, paths: [String], format: SourceFormat, weight: Double = 1,
                text: TextReaderOptions = .init(), jsonl: JSONLReaderOptions = .init()) {
        self.name = name
        self.paths = paths.map { Located($0) }
        self.format = format
        self.weight = weight
        self.text = text
        self.jsonl = jsonl
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.value(.name, .nonEmpty)
        paths = try c.decode([Located<String>].self, forKey: .paths)
        format = try c.decode(SourceFormat.self, forKey: .format)
        weight = try c.value(.weight, default: 1.0, .atLeast(0))
        text = try c.decodeIfPresent(TextReaderOptions.self, forKey: .text) ?? .init()
        jsonl = try c.decodeIfPresent(JSONLReaderOptions.self, forKey: .jsonl) ?? .init()
        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "")
        if paths.isEmpty { throw ConfigError("expected at least one path", at: c.location(of: .paths) ?? here) }
        if c.contains(.text), format != .text {
            throw ConfigError("\"text\" options given for a source of format \"\(format.rawValue)\"",
                              at: c.location(of: .text) ?? here)
        }
        if c.contains(.jsonl), format != .jsonl {
            throw ConfigError("\"jsonl\" options given for a source of format \"\(format.rawValue)\"",
                              at: c.location(of: .jsonl) ?? here)
        }
    }
}

/// How a source's files are read. Compression (`.gz`, `.zst`) is recognised from the file name.
public enum SourceFormat: String, ConfigEnum {
    case text, jsonl
}

/// Options of the plain-text reader.
public struct TextReaderOptions: Decodable, Sendable {
    public enum Split: String, ConfigEnum {
        /// The whole file is one document.
        case file
        /// Blocks separated by one or more blank lines are documents.
        case paragraphs
    }

    public var split: Split
    /// Documents longer than this are skipped as errors, so one huge file cannot exhaust memory.
    public var maxDocumentBytes: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case split, maxDocumentBytes = "max_document_bytes" }

    public init(split: Split = .file, maxDocumentBytes: Int = 256 << 20) {
        self.split = split
        self.maxDocumentBytes = maxDocumentBytes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        split = try c.decodeIfPresent(Split.self, forKey: .split) ?? .file
        maxDocumentBytes = try c.value(.maxDocumentBytes, default: 256 << 20, .within(1...(1 << 31)))
    }
}

/// Options of the JSON Lines reader.
public struct JSONLReaderOptions: Decodable, Sendable {
    /// Key of the document text; a dotted path reaches into nested objects (`meta.body`).
    public var textField: String
    /// Key of the document id; when absent from a record, the id is `FILE:LINE`.
    public var idField: String
    /// Records longer than this are skipped as errors, so one huge line cannot exhaust memory.
    public var maxRecordBytes: Int

    /// String fields copied into the document's metadata under their own name (`url` for the
    /// `url_blocklist` filter); a dotted path reaches into nested objects.
    public var metadataFields: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case textField = "text_field", idField = "id_field", maxRecordBytes = "max_record_bytes"
        case metadataFields = "metadata_fields"
    }

    public init(textField: String = "text", idField: String = "id", maxRecordBytes: Int = 64 << 20,
                metadataFields: [String] = []) {
        self.textField = textField
        self.idField = idField
        self.maxRecordBytes = maxRecordBytes
        self.metadataFields = metadataFields
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        textField = try c.value(.textField, default: "text", .nonEmpty)
        idField = try c.value(.idField, default: "id", .nonEmpty)
        maxRecordBytes = try c.value(.maxRecordBytes, default: 64 << 20, .within(1...(1 << 31)))
        metadataFields = try c.decodeIfPresent([String].self, forKey: .metadataFields) ?? []
    }
}
