import GristCore

/// A document as the manifest records it: where it was read, and what a stage did with it.
public struct RecordedDocument: Sendable, Equatable {
    public var id: Int64
    public var externalId: String
    /// The input file it was read from (as the config matched it) and its place there.
    public var inputPath: String
    public var line: Int
    /// The record's number in its file (0-based), as the reader counted it.
    public var ordinal: Int
    /// The stage that dropped it and its reason code; nil for a kept document.
    public var stage: String?
    public var reason: String?
}

extension Manifest {
    /// The names of the sources, in config order.
    public func sourceNames() throws -> [String] {
        try database.prepare("SELECT name FROM source ORDER BY position").mapRows { $0.string("name") }
    }

    /// How many input documents met `fate` (each document once, whatever its copies).
    public func documentCount(fate: DocumentRecord.Fate) throws -> Int {
        try database.prepare("SELECT COUNT(*) AS documents FROM document WHERE fate = ?")
            .firstRow(.text(fate.rawValue)) { $0.int("documents") } ?? 0
    }

    /// The first `limit` documents of source `source` that met `fate`, in document order.
    public func documents(fate: DocumentRecord.Fate, source: String, limit: Int) throws -> [RecordedDocument] {
        try database.prepare("""
            SELECT d.id AS id, d.externalId AS externalId, f.path AS inputPath, d.line AS line, d.ordinal AS ordinal,
                   d.stage AS stage, d.reason AS reason
            FROM document d JOIN inputFile f ON f.id = d.inputFileId JOIN source s ON s.id = f.sourceId
            WHERE s.name = ? AND d.fate = ? ORDER BY d.id LIMIT ?
            """).mapRows(.text(source), .text(fate.rawValue), .init(limit)) { row in
            RecordedDocument(id: Int64(row.int("id")), externalId: row.string("externalId"),
                             inputPath: row.string("inputPath"), line: row.int("line"), ordinal: row.int("ordinal"),
                             stage: row["stage"].string, reason: row["reason"].string)
        }
    }
}
