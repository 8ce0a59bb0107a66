import GristCore

/// One document as the mix sees it: a unique document that survived every rule and deduplication,
/// reduced to what splitting, copying, ordering and packing need. The build makes one per such
/// document, in canonical order (sources in config order, files sorted, records in file order).
public struct MixEntry: Sendable, Equatable {
    /// The caller's number for the document (the build's index into its selection). Increasing in
    /// canonical order: ties of the shuffle are broken by it.
    public var document: Int
    /// Index of its source in the config.
    public var source: Int
    /// Its content fingerprint: every seeded choice hashes it.
    public var fingerprint: Fingerprint
    /// Its tokens, without the separator that goes before it in a shard.
    public var tokenCount: Int
    public var split: DataSplit

    public init(document: Int, source: Int, fingerprint: Fingerprint, tokenCount: Int, split: DataSplit) {
        self.document = document
        self.source = source
        self.fingerprint = fingerprint
        self.tokenCount = tokenCount
        self.split = split
    }
}
