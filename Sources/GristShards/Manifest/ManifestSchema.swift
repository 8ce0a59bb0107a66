/// The manifest's tables (docs/manifest.md explains each column). Tables are singular and camelCase,
/// keys are `id`, and references are declared, so the `sqlite3` shell shows a self-explaining database.
enum ManifestSchema {
    static let version = 7

    /// What version 7 added: the earlier builds a build deduplicated against (`dedup.against`), and each
    /// document dropped as a duplicate of one of their documents, with that document's build, source and ids.
    static let earlierBuilds = """
    -- The earlier builds of dedup.against: the folder as the config names it, its pipeline name and build
    -- key, the SHA-256 of its dedup-index/index.json and how many documents the index holds.
    CREATE TABLE IF NOT EXISTS earlierBuild (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        position INTEGER NOT NULL,
        path TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        buildKey TEXT NOT NULL,
        indexSha256 TEXT NOT NULL,
        documents INTEGER NOT NULL
    );
    -- Each document dropped as a duplicate of an earlier build's document (document.reason
    -- exact_duplicate or near_duplicate, document.duplicateOf NULL): that document's id in the earlier
    -- build's manifest, its source's name and its id there, and the Jaccard similarity to it (1 for exact).
    CREATE TABLE IF NOT EXISTS earlierDuplicate (
        documentId INTEGER PRIMARY KEY REFERENCES document(id),
        earlierBuildId INTEGER NOT NULL REFERENCES earlierBuild(id),
        earlierDocumentId INTEGER NOT NULL,
        source TEXT NOT NULL,
        externalId TEXT NOT NULL,
        similarity REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS earlierDuplicateByBuild ON earlierDuplicate(earlierBuildId);
    """

    /// What version 6 added: decontamination (`decontaminate:`): the eval sets, the items a document
    /// matched (with their text), each match with its span and passage, what happened to each matched
    /// document, and the piece number of a document split by `remove_spans`.
    static let decontamination = """
    -- The eval sets of the run's decontaminate: section: items read, n-grams indexed, items too short to index.
    CREATE TABLE IF NOT EXISTS evalSet (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        paths TEXT NOT NULL,
        items INTEGER NOT NULL,
        ngrams INTEGER NOT NULL,
        tooShortItems INTEGER NOT NULL
    );
    -- Each eval item some document matched, with its text (the item's fields joined by a newline).
    CREATE TABLE IF NOT EXISTS evalItem (
        id INTEGER PRIMARY KEY,
        evalSetId INTEGER NOT NULL REFERENCES evalSet(id),
        itemId TEXT NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (evalSetId, itemId)
    );
    -- What decontamination did to each document with a match: 'reported' (kept whole), 'split' (matched
    -- spans and their windows removed; documentId is the first piece), 'dropped' (contaminated or
    -- too_contaminated). Characters and tokens removed (the whole text of a dropped one; tokens NULL when
    -- the build trains its tokenizer).
    CREATE TABLE IF NOT EXISTS contamination (
        documentId INTEGER PRIMARY KEY REFERENCES document(id),
        outcome TEXT NOT NULL CHECK (outcome IN ('reported', 'split', 'dropped')),
        pieces INTEGER NOT NULL,
        charCount INTEGER NOT NULL,
        removedChars INTEGER NOT NULL,
        removedTokens INTEGER
    );
    -- Every matched span and eval item: the span in the document's text as the filters left it (Unicode
    -- characters and UTF-8 bytes, end exclusive), the n-grams matched, and the passage (at most 1,000 bytes).
    CREATE TABLE IF NOT EXISTS contaminationMatch (
        id INTEGER PRIMARY KEY,
        documentId INTEGER NOT NULL REFERENCES document(id),
        evalItemId INTEGER NOT NULL REFERENCES evalItem(id),
        charStart INTEGER NOT NULL,
        charEnd INTEGER NOT NULL,
        byteStart INTEGER NOT NULL,
        byteEnd INTEGER NOT NULL,
        ngrams INTEGER NOT NULL,
        passage TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS contaminationMatchByDocument ON contaminationMatch(documentId);
    CREATE INDEX IF NOT EXISTS contaminationMatchByItem ON contaminationMatch(evalItemId);
    CREATE INDEX IF NOT EXISTS evalItemBySet ON evalItem(evalSetId);
    """

    /// What version 5 added: each document's language as columns (`document.language`, `languageScore`),
    /// every classifier score (`documentScore`) and what each classifier was (`classifier`).
    static let scores = """
    CREATE INDEX IF NOT EXISTS documentByLanguage ON document(language);
    -- Every label score a classifier filter (fasttext_classifier) gave a document it saw: the mean over the
    -- units it scored (the document, or its paragraphs or lines).
    CREATE TABLE IF NOT EXISTS documentScore (
        documentId INTEGER NOT NULL REFERENCES document(id),
        stage TEXT NOT NULL,
        label TEXT NOT NULL,
        score REAL NOT NULL,
        UNIQUE (documentId, stage, label)
    );
    CREATE INDEX IF NOT EXISTS documentScoreByLabel ON documentScore(stage, label, score);
    -- The classifier filters of the run: the model file, and the label and threshold that decide (NULL
    -- when the filter has no label; action 'label_only' when it scores against them but drops nothing).
    CREATE TABLE IF NOT EXISTS classifier (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        stage TEXT NOT NULL,
        model TEXT NOT NULL,
        modelSha256 TEXT NOT NULL,
        label TEXT,
        threshold REAL,
        action TEXT CHECK (action IN ('keep', 'remove', 'label_only')),
        granularity TEXT NOT NULL
    );
    """

    /// What version 6 added: the dedup audit (docs/dedup.md#the-audit): one row per run of figures
    /// (`dedupAudit`), the cluster-size histogram (`clusterSizeBucket`), the sampled pairs with their true
    /// Jaccard similarity (`dedupAuditPair`) and the largest clusters' first members (`largestClusterMember`).
    static let audit = """
    CREATE TABLE IF NOT EXISTS dedupAudit (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        threshold REAL NOT NULL,
        seed INTEGER NOT NULL,
        verify INTEGER NOT NULL CHECK (verify IN (0, 1)),
        keepRule TEXT NOT NULL DEFAULT 'first',
        clusters INTEGER NOT NULL,
        documents INTEGER NOT NULL,
        nearClusters INTEGER NOT NULL,
        sampledClusters INTEGER NOT NULL,
        keptPairs INTEGER NOT NULL,
        keptAtOrAbove INTEGER NOT NULL,
        keptPrecision REAL,
        keptLow REAL,
        keptHigh REAL,
        memberPairs INTEGER NOT NULL,
        memberAtOrAbove INTEGER NOT NULL,
        memberPrecision REAL,
        memberLow REAL,
        memberHigh REAL,
        exactPairs INTEGER NOT NULL,
        maxClusterSize INTEGER NOT NULL,
        guardedBySize INTEGER NOT NULL,
        guardedBySimilarity INTEGER NOT NULL,
        guardSplitOff INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS clusterSizeBucket (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        lowerBound INTEGER NOT NULL,
        upperBound INTEGER NOT NULL,
        clusters INTEGER NOT NULL,
        documents INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS dedupAuditPair (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        clusterId INTEGER NOT NULL REFERENCES duplicateCluster(id),
        kind TEXT NOT NULL CHECK (kind IN ('kept', 'member')),
        documentId INTEGER NOT NULL REFERENCES document(id),
        otherDocumentId INTEGER NOT NULL REFERENCES document(id),
        similarity REAL NOT NULL,
        exact INTEGER NOT NULL CHECK (exact IN (0, 1))
    );
    CREATE INDEX IF NOT EXISTS dedupAuditPairByCluster ON dedupAuditPair(clusterId);
    CREATE INDEX IF NOT EXISTS dedupAuditPairByDocument ON dedupAuditPair(documentId);
    CREATE INDEX IF NOT EXISTS dedupAuditPairByOther ON dedupAuditPair(otherDocumentId);
    CREATE TABLE IF NOT EXISTS largestClusterMember (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        rank INTEGER NOT NULL,
        clusterId INTEGER NOT NULL REFERENCES duplicateCluster(id),
        position INTEGER NOT NULL,
        documentId INTEGER NOT NULL REFERENCES document(id),
        firstLine TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS largestClusterMemberByCluster ON largestClusterMember(clusterId);
    CREATE INDEX IF NOT EXISTS largestClusterMemberByDocument ON largestClusterMember(documentId);
    """

    /// The steps that bring an older manifest up to `version`, by the version they start from. A manifest
    /// older than the first step is refused (rebuild it).
    static let migrations: [Int: String] = [
        4: """
        ALTER TABLE document ADD COLUMN language TEXT;
        ALTER TABLE document ADD COLUMN languageScore REAL;
        UPDATE document SET
            language = (SELECT value FROM documentMetadata m WHERE m.documentId = document.id AND m.key = 'language'),
            languageScore = (SELECT CAST(value AS REAL) FROM documentMetadata m
                             WHERE m.documentId = document.id AND m.key = 'language_score');
        \(scores)
        UPDATE meta SET value = '5' WHERE key = 'schemaVersion';
        """,
        5: """
        ALTER TABLE document ADD COLUMN piece INTEGER;
        \(decontamination)
        \(audit)
        -- URL duplicates (reason 'url_duplicate') counted apart.
        ALTER TABLE duplicateSource ADD COLUMN urlDuplicates INTEGER NOT NULL DEFAULT 0;
        DROP VIEW IF EXISTS duplicateRate;
        \(duplicateRate)
        UPDATE meta SET value = '6' WHERE key = 'schemaVersion';
        """,
        6: """
        \(earlierBuilds)
        UPDATE meta SET value = '7' WHERE key = 'schemaVersion';
        """,
    ]

    static let statements = """
    PRAGMA journal_mode = WAL;
    PRAGMA foreign_keys = ON;
    CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS run (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        startedAt TEXT NOT NULL,
        finishedAt TEXT,
        toolVersion TEXT NOT NULL,
        configPath TEXT NOT NULL,
        configText TEXT NOT NULL,
        configSha256 TEXT NOT NULL,
        seed INTEGER NOT NULL,
        workers INTEGER NOT NULL,
        outputDir TEXT NOT NULL,
        error TEXT
    );
    CREATE TABLE IF NOT EXISTS buildStage (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        stage TEXT NOT NULL,
        stageKey TEXT NOT NULL,
        reused INTEGER NOT NULL,
        ran INTEGER NOT NULL
    );
    -- What the build warned about (sources that kept nothing, filters over their warn_above), as printed.
    CREATE TABLE IF NOT EXISTS buildWarning (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        message TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS source (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        format TEXT NOT NULL,
        weight REAL NOT NULL,
        multiplier REAL,
        targetShare REAL,
        achievedShare REAL,
        keptDocuments INTEGER NOT NULL DEFAULT 0,
        keptBytes INTEGER NOT NULL DEFAULT 0,
        keptTokens INTEGER NOT NULL DEFAULT 0,
        trainTokens INTEGER NOT NULL DEFAULT 0,
        valTokens INTEGER NOT NULL DEFAULT 0,
        UNIQUE (runId, name)
    );
    CREATE TABLE IF NOT EXISTS inputFile (
        id INTEGER PRIMARY KEY,
        sourceId INTEGER NOT NULL REFERENCES source(id),
        path TEXT NOT NULL,
        byteSize INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
        documentsRead INTEGER NOT NULL DEFAULT 0,
        recordsSkipped INTEGER NOT NULL DEFAULT 0,
        error TEXT
    );
    CREATE TABLE IF NOT EXISTS document (
        id INTEGER PRIMARY KEY,
        inputFileId INTEGER NOT NULL REFERENCES inputFile(id),
        ordinal INTEGER NOT NULL,
        line INTEGER NOT NULL,
        byteOffset INTEGER NOT NULL,
        externalId TEXT NOT NULL,
        byteCount INTEGER NOT NULL,
        charCount INTEGER,
        tokenCount INTEGER,
        fingerprint TEXT,
        fate TEXT NOT NULL CHECK (fate IN ('kept', 'dropped')),
        stage TEXT,
        reason TEXT,
        duplicateOf INTEGER REFERENCES document(id) DEFERRABLE INITIALLY DEFERRED,
        split TEXT CHECK (split IN ('train', 'val', 'both')),
        copies INTEGER NOT NULL DEFAULT 0,
        clusterId INTEGER REFERENCES duplicateCluster(id),
        similarity REAL,
        language TEXT,
        languageScore REAL,
        piece INTEGER
    );
    CREATE INDEX IF NOT EXISTS documentByCluster ON document(clusterId);
    \(scores)
    \(decontamination)
    \(earlierBuilds)
    -- Metadata a source records per document (its metadata_fields: a WARC record's url, a JSON Lines
    -- record's fields; a language filter's label and score).
    CREATE TABLE IF NOT EXISTS documentMetadata (
        documentId INTEGER NOT NULL REFERENCES document(id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        UNIQUE (documentId, key)
    );
    CREATE INDEX IF NOT EXISTS documentMetadataByKey ON documentMetadata(key, value);
    -- Every foreign key into a table of one row per document or more has an index on its child column:
    -- SQLite looks children up on each parent insert while deferred references are outstanding, and
    -- without an index that is a scan of the child table per row (quadratic builds).
    CREATE INDEX IF NOT EXISTS documentByDuplicateOf ON document(duplicateOf);
    CREATE TABLE IF NOT EXISTS duplicateCluster (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        size INTEGER NOT NULL,
        keptDocumentId INTEGER NOT NULL REFERENCES document(id) DEFERRABLE INITIALLY DEFERRED,
        minSimilarity REAL NOT NULL,
        exactOnly INTEGER NOT NULL CHECK (exactOnly IN (0, 1))
    );
    CREATE INDEX IF NOT EXISTS duplicateClusterByKept ON duplicateCluster(keptDocumentId);
    CREATE TABLE IF NOT EXISTS duplicateSource (
        id INTEGER PRIMARY KEY,
        sourceId INTEGER NOT NULL REFERENCES source(id),
        keptSourceId INTEGER NOT NULL REFERENCES source(id),
        exactDuplicates INTEGER NOT NULL,
        nearDuplicates INTEGER NOT NULL,
        urlDuplicates INTEGER NOT NULL DEFAULT 0,
        UNIQUE (sourceId, keptSourceId)
    );
    CREATE INDEX IF NOT EXISTS documentByFile ON document(inputFileId, ordinal);
    CREATE TABLE IF NOT EXISTS skippedRecord (
        id INTEGER PRIMARY KEY,
        inputFileId INTEGER NOT NULL REFERENCES inputFile(id),
        line INTEGER,
        byteOffset INTEGER,
        reason TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS skippedRecordByFile ON skippedRecord(inputFileId);
    CREATE TABLE IF NOT EXISTS stageCount (
        id INTEGER PRIMARY KEY,
        sourceId INTEGER NOT NULL REFERENCES source(id),
        position INTEGER NOT NULL,
        stage TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('kept', 'dropped', 'skipped')),
        reason TEXT NOT NULL DEFAULT '',
        documents INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        UNIQUE (sourceId, stage, outcome, reason)
    );
    CREATE TABLE IF NOT EXISTS tokenizer (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        name TEXT NOT NULL,
        vocabularySize INTEGER NOT NULL,
        endOfTextToken INTEGER NOT NULL,
        filePath TEXT NOT NULL,
        fileSha256 TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS shard (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        path TEXT NOT NULL UNIQUE,
        split TEXT NOT NULL CHECK (split IN ('train', 'val')),
        ordinal INTEGER NOT NULL,
        format TEXT NOT NULL,
        tokenCount INTEGER NOT NULL,
        documentCount INTEGER NOT NULL,
        byteSize INTEGER NOT NULL,
        sha256 TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS placement (
        id INTEGER PRIMARY KEY,
        documentId INTEGER NOT NULL REFERENCES document(id),
        copy INTEGER NOT NULL,
        shardId INTEGER NOT NULL REFERENCES shard(id),
        tokenOffset INTEGER NOT NULL,
        tokenCount INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS placementByShard ON placement(shardId, tokenOffset);
    CREATE INDEX IF NOT EXISTS placementByDocument ON placement(documentId);
    CREATE INDEX IF NOT EXISTS documentByFate ON document(fate, split);
    CREATE TABLE IF NOT EXISTS lengthPercentile (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        sourceId INTEGER REFERENCES source(id),
        metric TEXT NOT NULL CHECK (metric IN ('chars', 'tokens')),
        percentile REAL NOT NULL,
        value INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS lengthHistogram (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        sourceId INTEGER REFERENCES source(id),
        metric TEXT NOT NULL CHECK (metric IN ('chars', 'tokens')),
        lowerBound INTEGER NOT NULL,
        upperBound INTEGER NOT NULL,
        documents INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS languageCount (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        sourceId INTEGER NOT NULL REFERENCES source(id),
        language TEXT NOT NULL,
        documents INTEGER NOT NULL,
        bytes INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS tokenFrequency (
        id INTEGER PRIMARY KEY,
        runId INTEGER NOT NULL REFERENCES run(id),
        rank INTEGER NOT NULL,
        token INTEGER NOT NULL,
        count INTEGER NOT NULL
    );
    \(duplicateRate)
    """

    /// Per source: documents that reached dedup, duplicates by kind, and the share dropped. (Version 6
    /// added `urlDuplicates`.)
    static let duplicateRate = """
    CREATE VIEW IF NOT EXISTS duplicateRate AS
        SELECT s.id AS sourceId, s.name AS source,
               COALESCE(SUM(c.documents), 0) AS documents,
               COALESCE(SUM(CASE WHEN c.reason = 'exact_duplicate' THEN c.documents END), 0) AS exactDuplicates,
               COALESCE(SUM(CASE WHEN c.reason = 'near_duplicate' THEN c.documents END), 0) AS nearDuplicates,
               CAST(COALESCE(SUM(CASE WHEN c.outcome = 'dropped' THEN c.documents END), 0) AS REAL)
                   / MAX(COALESCE(SUM(c.documents), 0), 1) AS rate,
               COALESCE(SUM(CASE WHEN c.reason = 'url_duplicate' THEN c.documents END), 0) AS urlDuplicates
        FROM source s LEFT JOIN stageCount c ON c.sourceId = s.id AND c.stage = 'dedup'
        GROUP BY s.id ORDER BY s.position;
    \(audit)
    """
}
