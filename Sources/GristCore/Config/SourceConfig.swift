/// One named source of documents: files of one format, and its weight in the mixture.
public struct SourceConfig: Decodable, Sendable, ConfigSection {
    public var name: String
    /// Where `name` is written, for errors found after decoding.
    public var nameLocation: ConfigLocation?
    /// Files or glob patterns (`*`, `?`, `[…]`, and `**` for any depth of folders).
    public var paths: [Located<String>]
    public var format: SourceFormat
    /// Relative weight in the mixture; what it means depends on `mix.budget_tokens` (docs/config.md).
    public var weight = 1.0
    /// Tokens of this source's val split, taken from the ends of its documents (docs/config.md); nil: the
    /// `mix` section decides (`val_tokens` there, else `val_fraction`).
    public var valTokens: Int?
    /// Where `val_tokens` is written, for checks made after decoding.
    public var valTokensLocation: ConfigLocation?
    public var text = TextReaderOptions()
    public var jsonl = JSONLReaderOptions()
    public var html = HTMLReaderOptions()
    public var warc = WARCReaderOptions()
    public var wet = WETReaderOptions()
    public var mediawiki = MediaWikiReaderOptions()
    public var parquet = ParquetReaderOptions()
    public var hfDataset = HFDatasetOptions()
    /// Document metadata recorded per document in the manifest (table `documentMetadata`) and shown by
    /// `grist inspect`: `url`, `date`, `title` of WARC/HTML records, `refers_to`, `cc_language` of WET records, keys of JSON Lines records (read
    /// from the record too; dotted paths stored under their last name), anything a rule sets. A
    /// `language` filter's `language` and `language_score` are recorded without being listed.
    public var metadataFields: [String] = []
    /// Limits on skipped records for this source (`on_error: {max_skipped_fraction: 0.01}`).
    public var onError = SourceErrorLimits()
    /// What readers do with bytes that are not UTF-8.
    public var invalidUTF8 = InvalidUTF8Policy.reject
    /// A compressed member (gzip member, zstd frame, bzip2 stream) that expands more than this many
    /// times its compressed size is a decompression bomb: the rest of the file is skipped. The default
    /// is far above real text (3-20x) and below deflate's maximum (1032x).
    public var maxExpansionRatio = 200.0

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, paths, format, weight, text, jsonl, html, warc, wet, mediawiki, parquet
        case hfDataset = "hf_dataset"
        case valTokens = "val_tokens"
        case invalidUTF8 = "invalid_utf8", maxExpansionRatio = "max_expansion_ratio"
        case metadataFields = "metadata_fields", onError = "on_error"
    }

    /// A source with every option at its default (set the others after).
    public init(name: String, paths: [String], format: SourceFormat) {
        self.name = name
        self.paths = paths.map { Located($0) }
        self.format = format
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.value(.name, .nonEmpty)
        nameLocation = c.location(of: .name)
        paths = try c.decode([Located<String>].self, forKey: .paths)
        format = try c.decode(SourceFormat.self, forKey: .format)
        try c.decode(.weight, into: &weight, .atLeast(0))
        valTokens = try c.optionalValue(.valTokens, .atLeast(0))
        valTokensLocation = c.location(of: .valTokens)
        try c.decodeIfPresent(.text, into: &text)
        try c.decodeIfPresent(.jsonl, into: &jsonl)
        try c.decodeIfPresent(.html, into: &html)
        try c.decodeIfPresent(.warc, into: &warc)
        try c.decodeIfPresent(.wet, into: &wet)
        try c.decodeIfPresent(.mediawiki, into: &mediawiki)
        try c.decodeIfPresent(.parquet, into: &parquet)
        try c.decodeIfPresent(.hfDataset, into: &hfDataset)
        try c.decodeIfPresent(.invalidUTF8, into: &invalidUTF8)
        try c.decodeIfPresent(.onError, into: &onError)
        try c.decode(.maxExpansionRatio, into: &maxExpansionRatio, .atLeast(1.0))
        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "")
        metadataFields = try MetadataFields.decode(c, .metadataFields, at: here)
        if format == .jsonl, jsonlReading.metadataFields.count > MetadataFields.maxCount {
            throw ConfigError("at most \(MetadataFields.maxCount) metadata fields in all (jsonl: and the source's), got "
                              + "\(jsonlReading.metadataFields.count)", at: c.location(of: .metadataFields) ?? here)
        }
        if format.readsParquet, parquetReading.metadataColumns.count > MetadataFields.maxCount {
            throw ConfigError("at most \(MetadataFields.maxCount) metadata columns in all (parquet: and the source's "
                              + "metadata_fields), got \(parquetReading.metadataColumns.count)",
                              at: c.location(of: .metadataFields) ?? here)
        }
        if paths.isEmpty { throw ConfigError("expected at least one path", at: c.location(of: .paths) ?? here) }
        let sections: [(CodingKeys, SourceFormat)] = [
            (.text, .text), (.jsonl, .jsonl), (.html, .html), (.warc, .warc), (.wet, .wet), (.mediawiki, .mediawiki),
            (.hfDataset, .hfDataset),
        ]
        if c.contains(.parquet), !format.readsParquet {
            throw ConfigError("\"parquet\" options given for a source of format \"\(format.rawValue)\"",
                              at: c.location(of: .parquet) ?? here)
        }
        for (key, owner) in sections where c.contains(key) && format != owner {
            throw ConfigError("\"\(key.rawValue)\" options given for a source of format \"\(format.rawValue)\"",
                              at: c.location(of: key) ?? here)
        }
    }
}

/// How a source's files are read. Compression (`.gz`, `.zst`) is recognised from the file name.
extension SourceConfig {
    /// The names of ``metadataFields`` as documents carry them (dotted paths by their last name).
    public var storedMetadataNames: [String] { metadataFields.map(MetadataFields.storedName) }

    /// The JSON Lines options the reader uses: the record keys of `jsonl.metadata_fields` and of the
    /// source's `metadata_fields` (those not already listed).
    public var jsonlReading: JSONLReaderOptions {
        var options = jsonl
        let listed = Set(options.metadataFields.map(MetadataFields.storedName))
        for field in metadataFields where !listed.contains(MetadataFields.storedName(field)) {
            options.metadataFields.append(field)
        }
        return options
    }

    /// The Parquet options the reader uses: the columns of `parquet.metadata_columns` and of the source's
    /// `metadata_fields` (those not already listed).
    public var parquetReading: ParquetReaderOptions {
        var options = parquet
        let listed = Set(options.metadataColumns)
        for field in metadataFields where !listed.contains(field) { options.metadataColumns.append(field) }
        return options
    }
}

public enum SourceFormat: String, ConfigEnum {
    case text, jsonl, html, warc
    /// Common Crawl WET files: the `conversion` records of a WARC file (the text Common Crawl extracted).
    case wet
    case mediawiki
    /// Apache Parquet files, one document per row (FineWeb, DCLM, any Hugging Face dataset's `data/`).
    case parquet
    /// A Hugging Face dataset folder: the Parquet files of the splits it names (`hf_dataset.splits`).
    case hfDataset = "hf_dataset"

    /// Whether the files are Parquet (and `parquet:` options apply).
    public var readsParquet: Bool { self == .parquet || self == .hfDataset }
}

/// What a reader does with bytes that are not UTF-8 (in JSONL strings, text files, WARC text records).
public enum InvalidUTF8Policy: String, ConfigEnum {
    /// The record is skipped with reason `invalid_utf8` (for plain text: the rest of the file).
    case reject
    /// Each invalid sequence becomes U+FFFD and the record is kept.
    case replace
}

/// Options of the plain-text reader.
public struct TextReaderOptions: Decodable, Sendable, ConfigSection {
    public enum Split: String, ConfigEnum {
        /// The whole file is one document.
        case file
        /// Blocks separated by one or more blank lines are documents.
        case paragraphs
        /// Blocks between occurrences of `separator` are documents.
        case separator
    }

    public var split = Split.file
    /// With `split: separator`: the exact bytes that end one document and start the next.
    public var separator: String?
    /// Documents longer than this are skipped as errors, so one huge file cannot exhaust memory.
    public var maxDocumentBytes = 256 << 20

    enum CodingKeys: String, CodingKey, CaseIterable {
        case split, separator, maxDocumentBytes = "max_document_bytes"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decodeIfPresent(.split, into: &split)
        separator = try c.optionalValue(.separator, .init("of 1 to 4096 bytes") { (1...4096).contains($0.utf8.count) })
        try c.decode(.maxDocumentBytes, into: &maxDocumentBytes, .within(1...(1 << 31)))
        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "text")
        if split == .separator, separator == nil {
            throw ConfigError("split: separator needs a \"separator\" string (e.g. separator: \"\\n---\\n\")",
                              at: c.location(of: .split) ?? here)
        }
        if split != .separator, separator != nil {
            throw ConfigError("\"separator\" is only used with split: separator (split is \"\(split.rawValue)\")",
                              at: c.location(of: .separator) ?? here)
        }
    }
}

/// Options of the JSON Lines reader.
public struct JSONLReaderOptions: Decodable, Sendable, ConfigSection {
    /// Key of the document text; a dotted path reaches into nested objects (`meta.body`).
    public var textField = "text"
    /// Key of the document id; when absent from a record, the id is `FILE:LINE`.
    public var idField = "id"
    /// Records longer than this are skipped as errors, so one huge line cannot exhaust memory.
    public var maxRecordBytes = 64 << 20
    /// Keys copied into the document's metadata (`url` for the `url_blocklist` filter); a dotted path
    /// reaches into nested objects and is stored under its last name (`metadata.url` as `url`).
    public var metadataFields: [String] = []

    enum CodingKeys: String, CodingKey, CaseIterable {
        case textField = "text_field", idField = "id_field", maxRecordBytes = "max_record_bytes"
        case metadataFields = "metadata_fields"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decode(.textField, into: &textField, .nonEmpty)
        try c.decode(.idField, into: &idField, .nonEmpty)
        try c.decode(.maxRecordBytes, into: &maxRecordBytes, .within(1...(1 << 31)))
        metadataFields = try MetadataFields.decode(c, .metadataFields,
                                                   at: decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "jsonl"))
    }
}

/// A list of metadata field names (`metadata_fields`): not empty, no repeats, at most
/// ``maxCount``, and no two dotted paths stored under the same last name.
public enum MetadataFields {
    /// At most this many fields (each dotted path costs the JSON scanner two candidate keys).
    public static let maxCount = 24

    /// The name a field is stored under: a dotted path's last name (`metadata.url` → `url`).
    public static func storedName(_ field: String) -> String {
        field.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? field
    }

    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K, at here: ConfigLocation) throws -> [String] {
        let fields = try c.decodeIfPresent([Located<String>].self, forKey: key) ?? []
        if fields.count > maxCount {
            throw ConfigError("at most \(maxCount) metadata fields, got \(fields.count)", at: c.location(of: key) ?? here)
        }
        var seen: [String: String] = [:]
        for field in fields {
            let name = storedName(field.value)
            if field.value.isEmpty || name.isEmpty {
                throw ConfigError("expected a field name, got \"\(field.value)\"", at: field.location ?? here)
            }
            if let earlier = seen[name] {
                throw ConfigError(earlier == field.value ? "metadata field \"\(field.value)\" is listed twice"
                                  : "metadata fields \"\(earlier)\" and \"\(field.value)\" would both be stored as \"\(name)\"",
                                  at: field.location ?? here)
            }
            seen[name] = field.value
        }
        return fields.map(\.value)
    }
}

/// A source's limits on bad input (`on_error:` inside a source entry): the build's `on_error: skip`
/// goes on past bad records, and this says how many are too many for this source.
public struct SourceErrorLimits: Decodable, Sendable, Equatable, ConfigSection {
    /// Fail the build when more than this share of the source's records (documents read plus records
    /// skipped) were skipped; nil: no limit.
    public var maxSkippedFraction: Double?

    enum CodingKeys: String, CodingKey, CaseIterable { case maxSkippedFraction = "max_skipped_fraction" }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxSkippedFraction = try c.optionalValue(.maxSkippedFraction, .within(0.0...1.0))
    }
}
