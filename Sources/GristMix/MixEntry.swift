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
    /// The split of the whole document; for a cut document (`cut`), `train`, where its head is.
    public var split: DataSplit
    /// For a document cut between the splits by `val_tokens` (`ValTokenSplit`): how many of its tokens,
    /// from its start, stay in train; the rest, its tail, go to val. nil for a document wholly in `split`.
    public var cut: Int?

    public init(document: Int, source: Int, fingerprint: Fingerprint, tokenCount: Int, split: DataSplit,
                cut: Int? = nil) {
        precondition(cut.map { $0 > 0 && $0 < tokenCount && split == .train } ?? true,
                     "a cut leaves tokens on both sides, its head in train")
        self.document = document
        self.source = source
        self.fingerprint = fingerprint
        self.tokenCount = tokenCount
        self.split = split
        self.cut = cut
    }

    /// How many of its tokens are in `split` (separator not counted): all, the head or the tail of a cut
    /// document, or nil when none are.
    public func tokens(in split: DataSplit) -> Int? {
        guard let cut else { return split == self.split ? tokenCount : nil }
        return split == .train ? cut : tokenCount - cut
    }

    /// The index among its tokens of the first one in `split`: the cut for a cut document's val tail, else 0.
    public func firstToken(in split: DataSplit) -> Int {
        split == .val ? cut ?? 0 : 0
    }
}
