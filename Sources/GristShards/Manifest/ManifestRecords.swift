import GristCore

/// Rows the pipeline writes into the manifest. Ids are assigned by the writer so rows can refer to
/// each other (a duplicate to its survivor, a placement to its document) before they are inserted.

/// The build run itself, as it is recorded when it begins.
public struct RunRecord: Sendable, Equatable {
    public var kind = "build"
    public var startedAt: String
    public var toolVersion: String
    public var configPath: String
    public var configText: String
    public var configSha256: String
    public var seed: UInt64
    public var workers: Int
    public var outputDir: String

    public init(startedAt: String, toolVersion: String, configPath: String, configText: String,
                configSha256: String, seed: UInt64, workers: Int, outputDir: String) {
        self.startedAt = startedAt
        self.toolVersion = toolVersion
        self.configPath = configPath
        self.configText = configText
        self.configSha256 = configSha256
        self.seed = seed
        self.workers = workers
        self.outputDir = outputDir
    }
}

/// One input document and what became of it.
public struct DocumentRecord: Sendable {
    public enum Fate: String, Sendable { case kept, dropped }
    /// The split of a kept document: `both` for one cut by `val_tokens`, its head in train, its tail in val.
    public enum Split: String, Sendable { case train, val, both }

    public var id: Int64
    public var inputFileId: Int64
    public var ordinal: Int
    public var line: Int
    public var byteOffset: Int
    public var externalId: String
    /// Bytes of the cleaned text.
    public var byteCount: Int
    /// Unicode scalars of the cleaned text, for documents that passed every rule.
    public var charCount: Int?
    public var tokenCount: Int?
    /// Hex 128-bit fingerprint of the cleaned text.
    public var fingerprint: String?
    public var fate: Fate
    /// The stage that dropped it, and its reason code.
    public var stage: String?
    public var reason: String?
    public var duplicateOf: Int64?
    public var split: Split?
    /// How many times it appears in the shards (0 when dropped or sampled out).
    public var copies: Int
    /// The duplicate cluster it belongs to (kept or not), if any.
    public var clusterId: Int64?
    /// Jaccard similarity of its shingles to the cluster's kept document (1 for exact duplicates).
    public var similarity: Double?
    /// Metadata recorded for it (table `documentMetadata`), in key order.
    public var metadata: [(key: String, value: String)] = []
    /// Its language and the language ID's score, when a language filter saw it.
    public var language: String?
    public var languageScore: Double?
    /// The label scores classifier filters gave it (table `documentScore`).
    public var scores: [(stage: String, label: String, score: Double)] = []
    /// Its number among the pieces of a record that decontamination split (0, 1, …), else nil.
    public var piece: Int?
    /// What decontamination found in it and did (tables `contamination`, `contaminationMatch`).
    public var contamination: ContaminationRecord?

    public init(id: Int64, inputFileId: Int64, ordinal: Int, line: Int, byteOffset: Int, externalId: String,
                byteCount: Int, charCount: Int? = nil, tokenCount: Int?, fingerprint: String?, fate: Fate,
                stage: String?, reason: String?, duplicateOf: Int64?, split: Split?, copies: Int,
                clusterId: Int64? = nil, similarity: Double? = nil) {
        self.id = id
        self.inputFileId = inputFileId
        self.ordinal = ordinal
        self.line = line
        self.byteOffset = byteOffset
        self.externalId = externalId
        self.byteCount = byteCount
        self.charCount = charCount
        self.tokenCount = tokenCount
        self.fingerprint = fingerprint
        self.fate = fate
        self.stage = stage
        self.reason = reason
        self.duplicateOf = duplicateOf
        self.split = split
        self.copies = copies
        self.clusterId = clusterId
        self.similarity = similarity
    }
}

/// A cluster of duplicate documents: one kept, the others dropped as its duplicates.
public struct DuplicateClusterRecord: Sendable, Equatable {
    public var id: Int64
    public var runId: Int64
    /// Documents in the cluster, the kept one included.
    public var size: Int
    public var keptDocumentId: Int64
    /// Lowest similarity of a member to the kept document.
    public var minSimilarity: Double
    /// Whether every member's normalized text equals the kept one's.
    public var exactOnly: Bool

    public init(id: Int64, runId: Int64, size: Int, keptDocumentId: Int64, minSimilarity: Double, exactOnly: Bool) {
        self.id = id
        self.runId = runId
        self.size = size
        self.keptDocumentId = keptDocumentId
        self.minSimilarity = minSimilarity
        self.exactOnly = exactOnly
    }
}

/// Duplicates dropped from one source whose kept copy is in another (or the same) source.
public struct DuplicateSourceCount: Sendable, Equatable {
    public var keptSourceId: Int64
    public var exactDuplicates: Int
    public var nearDuplicates: Int
    /// Dropped for the URL of the kept document (their text differs).
    public var urlDuplicates: Int

    public init(keptSourceId: Int64, exactDuplicates: Int, nearDuplicates: Int, urlDuplicates: Int = 0) {
        self.keptSourceId = keptSourceId
        self.exactDuplicates = exactDuplicates
        self.nearDuplicates = nearDuplicates
        self.urlDuplicates = urlDuplicates
    }
}

/// A record a reader could not turn into a document, or a file it could not read to its end.
public struct SkippedRecord: Sendable {
    public var inputFileId: Int64
    /// 1-based line of the record, when known.
    public var line: Int?
    /// Byte offset in the (decompressed) file, when known.
    public var byteOffset: Int?
    /// The error kind: `not_json`, `truncated`, …
    public var reason: String
    /// The full message, naming the file and position.
    public var message: String

    public init(inputFileId: Int64, line: Int?, byteOffset: Int?, reason: String, message: String) {
        self.inputFileId = inputFileId
        self.line = line
        self.byteOffset = byteOffset
        self.reason = reason
        self.message = message
    }
}

/// Documents (and bytes) that a stage kept, dropped or skipped for one source, by reason.
public struct StageCount: Sendable, Equatable {
    public enum Outcome: String, Sendable { case kept, dropped, skipped }

    /// Order of the stage in the pipeline (read = 0).
    public var position: Int
    public var stage: String
    public var outcome: Outcome
    public var reason: String
    public var documents: Int
    public var bytes: Int

    public init(position: Int, stage: String, outcome: Outcome, reason: String = "", documents: Int, bytes: Int) {
        self.position = position
        self.stage = stage
        self.outcome = outcome
        self.reason = reason
        self.documents = documents
        self.bytes = bytes
    }
}

/// A finished shard.
public struct ShardRecord: Sendable {
    public var id: Int64
    /// Path relative to the output folder.
    public var path: String
    public var split: DataSplit
    public var ordinal: Int
    public var format: String
    public var tokenCount: Int
    public var documentCount: Int
    public var byteSize: Int
    public var sha256: String

    public init(id: Int64, path: String, split: DataSplit, ordinal: Int, format: String, tokenCount: Int,
                documentCount: Int, byteSize: Int, sha256: String) {
        self.id = id
        self.path = path
        self.split = split
        self.ordinal = ordinal
        self.format = format
        self.tokenCount = tokenCount
        self.documentCount = documentCount
        self.byteSize = byteSize
        self.sha256 = sha256
    }
}

/// Where one copy of a kept document sits in a shard.
public struct PlacementRecord: Sendable {
    public var documentId: Int64
    public var copy: Int
    public var shardId: Int64
    /// Index of the document's leading end-of-text separator in the shard.
    public var tokenOffset: Int
    /// Tokens including the separator.
    public var tokenCount: Int

    public init(documentId: Int64, copy: Int, shardId: Int64, tokenOffset: Int, tokenCount: Int) {
        self.documentId = documentId
        self.copy = copy
        self.shardId = shardId
        self.tokenOffset = tokenOffset
        self.tokenCount = tokenCount
    }
}

/// The tokenizer that made the shards.
public struct TokenizerRecord: Sendable {
    public var name: String
    public var vocabularySize: Int
    public var endOfTextToken: Int
    public var filePath: String
    public var fileSha256: String

    public init(name: String, vocabularySize: Int, endOfTextToken: Int, filePath: String, fileSha256: String) {
        self.name = name
        self.vocabularySize = vocabularySize
        self.endOfTextToken = endOfTextToken
        self.filePath = filePath
        self.fileSha256 = fileSha256
    }
}

/// What the mixture did with one source.
public struct SourceOutcome: Sendable {
    /// Expected copies per kept train document.
    public var multiplier: Double
    public var targetShare: Double?
    public var achievedShare: Double?
    /// Distinct documents that reached the shards.
    public var keptDocuments: Int
    /// Their cleaned bytes and tokens (each document once, separators not included).
    public var keptBytes: Int
    public var keptTokens: Int
    /// Tokens in the shards, separators and copies included.
    public var trainTokens: Int
    public var valTokens: Int

    public init(multiplier: Double, targetShare: Double?, achievedShare: Double?, keptDocuments: Int,
                keptBytes: Int = 0, keptTokens: Int = 0, trainTokens: Int, valTokens: Int) {
        self.multiplier = multiplier
        self.targetShare = targetShare
        self.achievedShare = achievedShare
        self.keptDocuments = keptDocuments
        self.keptBytes = keptBytes
        self.keptTokens = keptTokens
        self.trainTokens = trainTokens
        self.valTokens = valTokens
    }
}

/// How long the kept documents are, for one source (or all sources together).
public struct LengthDistribution: Sendable, Equatable {
    public enum Metric: String, Sendable, CaseIterable { case chars, tokens }

    /// The source, or nil for all sources together.
    public var sourceId: Int64?
    public var metric: Metric
    /// (percentile in 0...1, value), nearest rank.
    public var percentiles: [(percentile: Double, value: Int)]
    /// Power-of-two bins: documents with lowerBound ≤ length < upperBound.
    public var histogram: [(lowerBound: Int, upperBound: Int, documents: Int)]

    public init(sourceId: Int64?, metric: Metric, percentiles: [(percentile: Double, value: Int)],
                histogram: [(lowerBound: Int, upperBound: Int, documents: Int)]) {
        self.sourceId = sourceId
        self.metric = metric
        self.percentiles = percentiles
        self.histogram = histogram
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.sourceId == b.sourceId && a.metric == b.metric
            && a.percentiles.map(\.percentile) == b.percentiles.map(\.percentile)
            && a.percentiles.map(\.value) == b.percentiles.map(\.value)
            && a.histogram.map(\.lowerBound) == b.histogram.map(\.lowerBound)
            && a.histogram.map(\.documents) == b.histogram.map(\.documents)
    }
}

/// A classifier filter of a run (table `classifier`): its model and what it decides on.
public struct ClassifierRecord: Sendable, Equatable {
    public var stage: String
    public var model: String
    public var modelSha256: String
    /// The deciding label, threshold and action (`keep`, `remove`); nil when the filter only scores.
    public var label: String?
    public var threshold: Double?
    public var action: String?
    public var granularity: String

    public init(stage: String, model: String, modelSha256: String, label: String?, threshold: Double?, action: String?,
                granularity: String) {
        self.stage = stage
        self.model = model
        self.modelSha256 = modelSha256
        self.label = label
        self.threshold = threshold
        self.action = action
        self.granularity = granularity
    }
}


/// What decontamination did to one document with a match (table `contamination`).
public struct ContaminationRecord: Sendable {
    public enum Outcome: String, Sendable { case reported, split, dropped }
    public var outcome: Outcome
    /// Pieces kept (`split`; 1 for `reported`, 0 for `dropped`).
    public var pieces: Int
    /// Unicode scalars of the text before decontamination.
    public var charCount: Int
    public var removedChars: Int
    /// Tokens of the removed text, encoded on its own (nil when the build trains its tokenizer).
    public var removedTokens: Int?
    public var matches: [ContaminationMatchRecord]

    public init(outcome: Outcome, pieces: Int, charCount: Int, removedChars: Int, removedTokens: Int?,
                matches: [ContaminationMatchRecord]) {
        self.outcome = outcome
        self.pieces = pieces
        self.charCount = charCount
        self.removedChars = removedChars
        self.removedTokens = removedTokens
        self.matches = matches
    }
}

/// One matched span and eval item (table `contaminationMatch`); offsets in the text the filters left.
public struct ContaminationMatchRecord: Sendable, Equatable {
    public var evalSet: String
    public var itemId: String
    public var chars: Range<Int>
    public var bytes: Range<Int>
    public var ngrams: Int
    public var passage: String

    public init(evalSet: String, itemId: String, chars: Range<Int>, bytes: Range<Int>, ngrams: Int, passage: String) {
        self.evalSet = evalSet
        self.itemId = itemId
        self.chars = chars
        self.bytes = bytes
        self.ngrams = ngrams
        self.passage = passage
    }
}

/// One eval set of the run (table `evalSet`), and the items its matches name, with their texts.
public struct EvalSetRecord: Sendable {
    public var name: String
    public var paths: [String]
    public var items: Int
    public var ngrams: Int
    public var tooShortItems: Int
    /// Item id → text, for the items some document matched.
    public var matchedItems: [(id: String, text: String)]

    public init(name: String, paths: [String], items: Int, ngrams: Int, tooShortItems: Int,
                matchedItems: [(id: String, text: String)]) {
        self.name = name
        self.paths = paths
        self.items = items
        self.ngrams = ngrams
        self.tooShortItems = tooShortItems
        self.matchedItems = matchedItems
    }
}
