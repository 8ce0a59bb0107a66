import GristCore

/// How one source's documents scored on one label of a classifier filter (table `documentScore`): a
/// histogram of 20 equal bins over [0, 1], how many scored at or above the filter's threshold and below
/// it, and the 10th, 50th and 90th percentiles. What `grist stats` and `grist report` draw.
public struct ScoreDistribution: Sendable, Equatable {
    /// The bins of the histogram: bin i holds the scores from i/20 up to (i+1)/20, the last one 1 too.
    public static let binCount = 20

    public var source: String
    /// Documents the classifier scored (each once: the mean of its units' scores).
    public var documents: Int
    /// Documents per bin, `binCount` of them.
    public var bins: [Int]
    /// Documents whose score is at least the threshold, and below it; nil for a classifier without one.
    public var atOrAboveThreshold: Int?
    public var belowThreshold: Int?
    /// Nearest-rank percentiles of the scores (the score of the ⌈p·n⌉-th document, lowest first); nil
    /// when no document was scored.
    public var p10: Double?
    public var p50: Double?
    public var p90: Double?

    public init(source: String, documents: Int, bins: [Int], atOrAboveThreshold: Int?, belowThreshold: Int?,
                p10: Double?, p50: Double?, p90: Double?) {
        self.source = source
        self.documents = documents
        self.bins = bins
        self.atOrAboveThreshold = atOrAboveThreshold
        self.belowThreshold = belowThreshold
        self.p10 = p10
        self.p50 = p50
        self.p90 = p90
    }

    /// The bin a score falls in (scores outside [0, 1] in the first or the last).
    public static func bin(of score: Double) -> Int { min(max(Int((score * Double(binCount)).rounded(.down)), 0), binCount - 1) }
}

/// A classifier score the manifest recorded for one document (table `documentScore`).
public struct DocumentScore: Sendable, Equatable {
    /// The filter's stage name (`fasttext_classifier`, `fasttext_classifier#2`).
    public var stage: String
    /// The model's label (`__label__hq`).
    public var label: String
    public var score: Double

    public init(stage: String, label: String, score: Double) {
        self.stage = stage
        self.label = label
        self.score = score
    }
}

extension Manifest {
    /// The classifier filters of run `runId` (table `classifier`), in pipeline order.
    public func classifiers(runId: Int64) throws -> [ClassifierRecord] {
        try database.prepare("""
            SELECT stage, model, modelSha256, label, threshold, action, granularity FROM classifier
            WHERE runId = ? ORDER BY id
            """).mapRows(.integer(runId)) { row in
            ClassifierRecord(stage: row.string("stage"), model: row.string("model"), modelSha256: row.string("modelSha256"),
                             label: row["label"].string, threshold: row["threshold"].double, action: row["action"].string,
                             granularity: row.string("granularity"))
        }
    }

    /// The label of classifier stage `stage` with the highest mean score over the documents it scored (the
    /// first by name among equals), or nil when it scored none. One pass over the stage's rows of the
    /// index `documentScoreByLabel`.
    public func labelWithHighestMeanScore(stage: String) throws -> String? {
        try database.prepare("""
            SELECT label, AVG(score) AS mean FROM documentScore WHERE stage = ? GROUP BY label
            ORDER BY mean DESC, label LIMIT 1
            """).firstRow(.text(stage)) { $0.string("label") }
    }

    /// Per source of run `runId` (in config order; sources with no score left out), the distribution of
    /// classifier stage `stage`'s scores of `label`, and the documents at or above `threshold` and below it.
    ///
    /// One GROUP BY query reads the scores into 10,000 fine bins per source (count, lowest and highest
    /// score, count at or above the threshold); the 20 bins and the percentiles come from them. It walks
    /// the documents in file order (index `documentByFile`) and finds each one's score by its document id
    /// (the unique index of `documentScore`): both in storage order, about a second for a million scored
    /// documents, where going through `documentScoreByLabel` in score order looks documents up at random
    /// (four times slower). A percentile whose document shares its fine bin with others of other scores is
    /// read exactly with one more query over that bin's range of `documentScoreByLabel`.
    public func scoreDistributions(runId: Int64, stage: String, label: String,
                                   threshold: Double?) throws -> [ScoreDistribution] {
        let fineBins = 10_000
        struct Fine { var bin: Int, documents: Int, low: Double, high: Double }
        struct Source { var id: Int, name: String, fine: [Fine] = [], atOrAbove = 0 }
        var sources: [Source] = []
        _ = try database.prepare("""
            SELECT s.id AS sourceId, s.name AS source,
                   MIN(MAX(CAST(ds.score * \(fineBins) AS INTEGER), 0), \(fineBins - 1)) AS fine,
                   COUNT(*) AS documents, MIN(ds.score) AS low, MAX(ds.score) AS high,
                   COALESCE(SUM(ds.score >= ?3), 0) AS atOrAbove
            FROM source s CROSS JOIN inputFile f ON f.sourceId = s.id CROSS JOIN document d ON d.inputFileId = f.id
            CROSS JOIN documentScore ds ON ds.documentId = d.id AND ds.stage = ?1 AND ds.label = ?2
            WHERE s.runId = ?4
            GROUP BY s.id, fine ORDER BY s.position, fine
            """).mapRows(.text(stage), .text(label), .init(threshold), .integer(runId)) { row in
            let id = row.int("sourceId")
            if sources.last?.id != id { sources.append(Source(id: id, name: row.string("source"))) }
            sources[sources.count - 1].fine.append(Fine(bin: row.int("fine"), documents: row.int("documents"),
                                                        low: row.double("low"), high: row.double("high")))
            sources[sources.count - 1].atOrAbove += row.int("atOrAbove")
        }
        let exact = try database.prepare("""
            SELECT ds.score AS score
            FROM documentScore ds JOIN document d ON d.id = ds.documentId JOIN inputFile f ON f.id = d.inputFileId
            WHERE ds.stage = ? AND ds.label = ? AND ds.score BETWEEN ? AND ? AND f.sourceId = ?
            ORDER BY ds.score LIMIT 1 OFFSET ?
            """)
        return try sources.map { source in
            let documents = source.fine.reduce(0) { $0 + $1.documents }
            var bins = [Int](repeating: 0, count: ScoreDistribution.binCount)
            for fine in source.fine { bins[fine.bin * ScoreDistribution.binCount / fineBins] += fine.documents }
            /// The score of the `rank`-th document (1-based, lowest first).
            func score(rank: Int) throws -> Double? {
                var before = 0
                for fine in source.fine {
                    guard rank <= before + fine.documents else {
                        before += fine.documents
                        continue
                    }
                    let within = rank - before
                    if fine.low == fine.high || within == 1 { return fine.low }
                    if within == fine.documents { return fine.high }
                    // Every score in [low, high] falls in this fine bin (the bin is monotonic in the score).
                    return try exact.firstRow(.text(stage), .text(label), .real(fine.low), .real(fine.high),
                                              .init(source.id), .init(within - 1)) { $0.double("score") }
                }
                return nil
            }
            func percentile(_ p: Double) throws -> Double? {
                documents > 0 ? try score(rank: max(1, Int((p * Double(documents)).rounded(.up)))) : nil
            }
            return ScoreDistribution(source: source.name, documents: documents, bins: bins,
                                     atOrAboveThreshold: threshold == nil ? nil : source.atOrAbove,
                                     belowThreshold: threshold == nil ? nil : documents - source.atOrAbove,
                                     p10: try percentile(0.1), p50: try percentile(0.5), p90: try percentile(0.9))
        }
    }

    /// A document's language and the language ID's score (columns `document.language`, `languageScore`),
    /// nil when no language filter saw it.
    public func documentLanguage(documentId: Int) throws -> (language: String, score: Double?)? {
        try database.prepare("SELECT language, languageScore FROM document WHERE id = ? AND language IS NOT NULL")
            .firstRow(.init(documentId)) { (language: $0.string("language"), score: $0["languageScore"].double) }
    }

    /// Every classifier score of a document (table `documentScore`), by stage, highest score first.
    public func documentScores(documentId: Int) throws -> [DocumentScore] {
        try database.prepare("""
            SELECT stage, label, score FROM documentScore WHERE documentId = ? ORDER BY stage, score DESC, label
            """).mapRows(.init(documentId)) {
            DocumentScore(stage: $0.string("stage"), label: $0.string("label"), score: $0.double("score"))
        }
    }
}
