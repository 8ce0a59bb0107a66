/// What decontamination found, as the manifest records it: a summary per eval set (`grist stats`, the
/// report) and the matches of one set with their eval items (`grist inspect --contamination`).

/// One eval set's matches, summed. A document that matched several sets counts under each.
public struct EvalSetContamination: Sendable, Encodable, Equatable {
    public var name: String
    /// Items read from its files; n-grams they added to the index; items too short to index.
    public var items: Int
    public var ngrams: Int
    public var tooShortItems: Int
    /// Items some document matched.
    public var itemsHit: Int
    /// Documents with a match, and what became of them.
    public var documents: Int
    public var split: Int
    public var dropped: Int
    public var reported: Int
    /// Characters (Unicode scalars) and tokens removed from those documents (the whole text of a dropped
    /// one); tokens nil when the build trained its tokenizer.
    public var removedChars: Int
    public var removedTokens: Int?

    enum CodingKeys: String, CodingKey {
        case name, items, ngrams, tooShortItems, itemsHit, documents, split, dropped, reported, removedChars
        case removedTokens
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(items, forKey: .items)
        try c.encode(ngrams, forKey: .ngrams)
        try c.encode(tooShortItems, forKey: .tooShortItems)
        try c.encode(itemsHit, forKey: .itemsHit)
        try c.encode(documents, forKey: .documents)
        try c.encode(split, forKey: .split)
        try c.encode(dropped, forKey: .dropped)
        try c.encode(reported, forKey: .reported)
        try c.encode(removedChars, forKey: .removedChars)
        try c.encode(removedTokens, forKey: .removedTokens)
    }
}

/// One matched passage beside the eval item it matched.
public struct RecordedContaminationMatch: Sendable, Equatable {
    public var documentId: Int
    public var externalId: String
    public var inputPath: String
    public var line: Int
    /// What became of the document: `reported`, `split` or `dropped`.
    public var outcome: String
    /// The span in the document's text as the filters left it, in characters.
    public var chars: Range<Int>
    public var ngrams: Int
    public var passage: String
    public var itemId: String
    public var itemText: String
}

extension Manifest {
    /// Per eval set of the latest build's decontamination, in config order; empty without one.
    public func contaminationSummaries() throws -> [EvalSetContamination] {
        try database.prepare("""
            WITH hit AS (
                SELECT DISTINCT i.evalSetId AS evalSetId, m.documentId AS documentId
                FROM contaminationMatch m JOIN evalItem i ON i.id = m.evalItemId
            )
            SELECT e.name AS name, e.items AS items, e.ngrams AS ngrams, e.tooShortItems AS tooShortItems,
                   (SELECT COUNT(*) FROM evalItem i WHERE i.evalSetId = e.id) AS itemsHit,
                   COUNT(c.documentId) AS documents,
                   COALESCE(SUM(c.outcome = 'split'), 0) AS split,
                   COALESCE(SUM(c.outcome = 'dropped'), 0) AS dropped,
                   COALESCE(SUM(c.outcome = 'reported'), 0) AS reported,
                   COALESCE(SUM(c.removedChars), 0) AS removedChars,
                   CASE WHEN COUNT(c.documentId) = COUNT(c.removedTokens) THEN COALESCE(SUM(c.removedTokens), 0)
                   END AS removedTokens
            FROM evalSet e
            LEFT JOIN hit h ON h.evalSetId = e.id
            LEFT JOIN contamination c ON c.documentId = h.documentId
            GROUP BY e.id ORDER BY e.id
            """).mapRows { row in
            EvalSetContamination(
                name: row.string("name"), items: row.int("items"), ngrams: row.int("ngrams"),
                tooShortItems: row.int("tooShortItems"), itemsHit: row.int("itemsHit"), documents: row.int("documents"),
                split: row.int("split"), dropped: row.int("dropped"), reported: row.int("reported"),
                removedChars: row.int("removedChars"), removedTokens: row["removedTokens"].int)
        }
    }

    /// The names of the eval sets, in config order.
    public func evalSetNames() throws -> [String] {
        try database.prepare("SELECT name FROM evalSet ORDER BY id").mapRows { $0.string("name") }
    }

    /// The matches of eval set `set`, in document order, at most `limit`.
    public func contaminationMatches(set: String, limit: Int) throws -> [RecordedContaminationMatch] {
        try database.prepare("""
            SELECT m.documentId AS documentId, d.externalId AS externalId, f.path AS inputPath, d.line AS line,
                   c.outcome AS outcome, m.charStart AS charStart, m.charEnd AS charEnd, m.ngrams AS ngrams,
                   m.passage AS passage, i.itemId AS itemId, i.text AS itemText
            FROM contaminationMatch m
            JOIN evalItem i ON i.id = m.evalItemId
            JOIN evalSet e ON e.id = i.evalSetId
            JOIN document d ON d.id = m.documentId
            JOIN inputFile f ON f.id = d.inputFileId
            JOIN contamination c ON c.documentId = m.documentId
            WHERE e.name = ?
            ORDER BY m.documentId, m.charStart, i.id
            LIMIT ?
            """).mapRows(.text(set), .init(limit)) { row in
            RecordedContaminationMatch(
                documentId: row.int("documentId"), externalId: row.string("externalId"),
                inputPath: row.string("inputPath"), line: row.int("line"), outcome: row.string("outcome"),
                chars: row.int("charStart")..<row.int("charEnd"), ngrams: row.int("ngrams"),
                passage: row.string("passage"), itemId: row.string("itemId"), itemText: row.string("itemText"))
        }
    }
}
