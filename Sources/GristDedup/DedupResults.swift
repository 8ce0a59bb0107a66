/// One document of a duplicate cluster.
public struct DuplicateMember: Sendable, Equatable {
    /// Global document number (canonical order).
    public var document: Int
    /// Cluster number, 0-based, in order of each connected group's first document, a group's split-off
    /// clusters right after it: not always the order of each cluster's first document.
    public var cluster: Int
    /// The cluster's survivor (equal to `document` for the survivor itself).
    public var kept: Int
    public var clusterSize: Int
    /// Jaccard similarity of the shingle sets of this document and the survivor (1 for exact duplicates and
    /// the survivor itself).
    public var similarity: Double
    /// Whether the normalized text equals the survivor's.
    public var exact: Bool
    /// Whether the (normalized) URL equals the survivor's while the text does not (a URL duplicate; false
    /// for the survivor itself and for exact duplicates).
    public var sameURL: Bool

    public var isKept: Bool { document == kept }

    public init(document: Int, cluster: Int, kept: Int, clusterSize: Int, similarity: Double, exact: Bool,
                sameURL: Bool = false) {
        self.document = document
        self.cluster = cluster
        self.kept = kept
        self.clusterSize = clusterSize
        self.similarity = similarity
        self.exact = exact
        self.sameURL = sameURL
    }
}

/// Counts from one clustering.
public struct DedupSummary: Sendable, Equatable {
    public var documents: Int
    public var clusters = 0
    public var exactDuplicates = 0
    /// Documents dropped for the URL of their survivor (their text differs from it).
    public var urlDuplicates = 0
    public var nearDuplicates = 0
    /// Pairs of documents with the same exact key (each joined).
    public var exactPairs = 0
    /// Pairs of documents with the same URL key (each joined).
    public var urlPairs = 0
    /// Distinct pairs that shared at least one LSH bucket.
    public var candidatePairs = 0
    /// Candidates whose Jaccard similarity reached the threshold.
    public var verifiedPairs = 0
    /// Candidates below the threshold (not joined).
    public var rejectedPairs = 0
    /// Candidates already in one cluster through other pairs (not verified: it cannot change the clusters).
    public var alreadyJoinedPairs = 0
    /// Documents set aside because they were too far from their group's survivor, and clustered again.
    public var splitOffDocuments = 0

    /// The audit of the clusters: sizes, sampled similarities, largest clusters, the guard.
    public var audit: DedupAudit

    public init(documents: Int, audit: DedupAudit = DedupAudit(threshold: 1, seed: 0, verify: true, maxClusterSize: 0)) {
        self.documents = documents
        self.audit = audit
    }

    public var duplicates: Int { exactDuplicates + urlDuplicates + nearDuplicates }
}
