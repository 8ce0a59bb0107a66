/// The curated text a build writes beside its shards (`text:`): the kept, cleaned, deduplicated
/// documents, each once, with their metadata, so another tokenizer or trainer can use the curation
/// (docs/config.md, docs/formats.md). Absent: no text is written.
public struct CuratedTextConfig: Decodable, Sendable, ConfigSection {
    public enum Format: String, ConfigEnum {
        /// JSON Lines, one object per document, in one zstd frame per file.
        case jsonlZst = "jsonl.zst"
        /// Apache Parquet: a flat file, a column per field (`GristParquet`'s writer).
        case parquet

        /// The files' extension (without the dot), also the format name of their manifest rows.
        public var fileExtension: String { rawValue }
    }

    public enum Order: String, ConfigEnum {
        /// The order of each document's first copy in the shards: train files, then val files.
        case shards
        /// Canonical order (sources in config order, files sorted, records in file order), the files of
        /// each source in a folder of its own.
        case source
    }

    /// How Parquet pages are compressed (`format: parquet` only; JSON Lines files are zstd frames).
    public enum Compression: String, ConfigEnum {
        case snappy, zstd
    }

    public var format = Format.jsonlZst
    /// The Parquet page codec; nil: snappy (what pyarrow writes by default, and every reader reads).
    public var compression: Compression?
    /// The fields of every document, in this order; nil: `CuratedTextField.defaults`.
    public var fields: [Located<String>]?
    public var order = Order.shards
    /// A file is closed before the document that would take its text past this many MiB (a longer
    /// document gets a file of its own); the JSON escapes and field names come on top.
    public var fileMB = 256.0
    /// Where `fields` is written, for the checks made once the sources' metadata is known.
    public var fieldsLocation: ConfigLocation?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case format, fields, order, compression, fileMB = "file_mb"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "text")
        try c.decodeIfPresent(.format, into: &format)
        try c.decodeIfPresent(.order, into: &order)
        try c.decodeIfPresent(.compression, into: &compression)
        try c.decode(.fileMB, into: &fileMB, .within(0.000_001...1_048_576))
        fields = try c.decodeIfPresent([Located<String>].self, forKey: .fields)
        fieldsLocation = c.location(of: .fields)
        if compression != nil, format != .parquet {
            throw ConfigError("compression chooses the codec of Parquet pages (format: parquet); "
                + "\(format.rawValue) files are always zstd", at: c.location(of: .compression) ?? here)
        }
        if let fields {
            if fields.isEmpty {
                throw ConfigError("fields is empty; list at least one (text, id, …)", at: fieldsLocation ?? here)
            }
            var seen = Set<String>()
            for field in fields where !seen.insert(field.value).inserted {
                throw ConfigError("field \"\(field.value)\" is listed twice", at: field.location ?? here)
            }
        }
    }

    /// The most text bytes a file takes before it is closed.
    public var fileBytes: Int { max(1, Int(fileMB * 1_048_576)) }
}
