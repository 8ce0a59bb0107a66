/// How much of an HTML page becomes the document text.
public enum HTMLExtraction: String, ConfigEnum {
    /// The main text: scripts, styles, navigation, headers, footers, forms, asides and link-dense
    /// blocks are removed.
    case main
    /// All visible text (only scripts, styles and other non-text elements are removed).
    case all
}

/// Options of the HTML reader (`format: html`): one HTML file, one document.
public struct HTMLReaderOptions: Decodable, Sendable, ConfigSection {
    public var extract = HTMLExtraction.main
    /// Files with more bytes (after decompression) are skipped with `record_too_large`.
    public var maxDocumentBytes = 32 << 20

    enum CodingKeys: String, CodingKey, CaseIterable { case extract, maxDocumentBytes = "max_document_bytes" }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decodeIfPresent(.extract, into: &extract)
        try c.decode(.maxDocumentBytes, into: &maxDocumentBytes, .within(1...(1 << 31)))
    }
}

/// Options of the WARC reader (`format: warc`): web archives, one document per HTML response or
/// text conversion record.
public struct WARCReaderOptions: Decodable, Sendable, ConfigSection {
    /// How HTML payloads are turned into text.
    public var extract = HTMLExtraction.main
    /// Records whose content block is larger are skipped with `record_too_large` (streamed past).
    public var maxRecordBytes = 32 << 20
    /// What a document's id is: the record's `WARC-Record-ID`, or its `WARC-Target-URI`.
    public var id = DocumentID.recordID

    public enum DocumentID: String, ConfigEnum {
        /// The `WARC-Record-ID` without `<>` (`urn:uuid:…`): unique per record.
        case recordID = "record_id"
        /// The `WARC-Target-URI`, so the manifest's `externalId` and the rejects files name the page
        /// (a record without one falls back to its record id).
        case url
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case extract, maxRecordBytes = "max_record_bytes", id }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decodeIfPresent(.extract, into: &extract)
        try c.decode(.maxRecordBytes, into: &maxRecordBytes, .within(1...(1 << 31)))
        try c.decodeIfPresent(.id, into: &id)
    }
}

/// Options of the WET reader (`format: wet`): Common Crawl's WET files, one document per `conversion`
/// record (the plain text Common Crawl extracted from a page); every other record is passed over.
public struct WETReaderOptions: Decodable, Sendable, ConfigSection {
    /// Records whose content block is larger are skipped with `record_too_large` (streamed past).
    public var maxRecordBytes = 32 << 20
    /// What a document's id is: the page's `WARC-Target-URI` (default), or the record's `WARC-Record-ID`.
    public var id = WARCReaderOptions.DocumentID.url

    enum CodingKeys: String, CodingKey, CaseIterable { case maxRecordBytes = "max_record_bytes", id }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decode(.maxRecordBytes, into: &maxRecordBytes, .within(1...(1 << 31)))
        try c.decodeIfPresent(.id, into: &id)
    }
}

/// Options of the MediaWiki XML dump reader (`format: mediawiki`): one document per page.
public struct MediaWikiReaderOptions: Decodable, Sendable, ConfigSection {
    /// Namespace numbers whose pages are read (0: articles).
    public var namespaces = [0]
    /// Redirect pages are left out unless this is false.
    public var skipRedirects = true
    /// Pages whose wikitext is larger are skipped with `record_too_large`. libxml2 refuses text
    /// nodes above 10,000,000 bytes in any case (the file stops there with `not_xml`).
    public var maxDocumentBytes = 8 << 20

    public static let maxTextNodeBytes = 10_000_000

    enum CodingKeys: String, CodingKey, CaseIterable {
        case namespaces, skipRedirects = "skip_redirects", maxDocumentBytes = "max_document_bytes"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decodeIfPresent(.namespaces, into: &namespaces)
        try c.decode(.skipRedirects, into: &skipRedirects)
        try c.decode(.maxDocumentBytes, into: &maxDocumentBytes, .within(1...Self.maxTextNodeBytes))
        if namespaces.isEmpty {
            let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "mediawiki")
            throw ConfigError("expected at least one namespace number (0 for articles)",
                              at: c.location(of: .namespaces) ?? here)
        }
    }
}

/// Options of the Parquet reader (`format: parquet`, and the files of `format: hf_dataset`): one document
/// per row.
public struct ParquetReaderOptions: Decodable, Sendable, ConfigSection {
    /// The column of the document text (a string or binary column).
    public var textColumn = "text"
    /// The column of the document id (any column type, printed as text); a file without it (or a null
    /// value) gives the id `FILE:ROW` (1-based row number).
    public var idColumn = "id"
    /// Columns copied into the document's metadata (numbers, booleans and timestamps as text).
    public var metadataColumns: [String] = []
    /// Texts with more bytes are skipped with `record_too_large`.
    public var maxDocumentBytes = 64 << 20

    enum CodingKeys: String, CodingKey, CaseIterable {
        case textColumn = "text_column", idColumn = "id_column", metadataColumns = "metadata_columns"
        case maxDocumentBytes = "max_document_bytes"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decode(.textColumn, into: &textColumn, .nonEmpty)
        try c.decode(.idColumn, into: &idColumn, .nonEmpty)
        try c.decode(.maxDocumentBytes, into: &maxDocumentBytes, .within(1...(1 << 31)))
        metadataColumns = try MetadataFields.decode(c, .metadataColumns,
                                                    at: decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "parquet"))
    }
}

/// Options of a Hugging Face dataset folder (`format: hf_dataset`): which of its Parquet files are read.
public struct HFDatasetOptions: Decodable, Sendable, ConfigSection {
    /// The splits read (`train`, `validation`, `test`, or a split the folder's README names).
    public var splits = ["train"]
    /// The configuration (subset) of a folder whose README lists several; nil: the default one (the one
    /// marked `default: true`, else the one named `default`, else the first).
    public var config: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case splits, config }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decodeIfPresent(.splits, into: &splits)
        config = try c.optionalValue(.config, .nonEmpty)
        if splits.isEmpty || splits.contains(where: \.isEmpty) {
            let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "hf_dataset")
            throw ConfigError("expected at least one split name (train, validation, test, …)",
                              at: c.location(of: .splits) ?? here)
        }
    }
}
