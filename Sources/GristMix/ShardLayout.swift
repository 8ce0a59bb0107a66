import GristCore

/// The order of the documents in each split and where the shard boundaries fall.
///
/// Every copy of every document gets a seeded sort key, so the order is a shuffle that does not depend
/// on input order (ties, which need equal keys, go by document number and copy). A shard holds whole
/// documents: it is closed before the document that would take it past `tokensPerShard` (a single
/// longer document gets a shard of its own).
public struct ShardLayout: Sendable {
    /// One copy of one document: its separator plus its tokens.
    public struct Piece: Sendable, Equatable {
        /// The document's number (`MixEntry.document`).
        public var document: Int
        public var copy: Int
        /// Its tokens plus the separator before it.
        public var tokenCount: Int
    }

    public struct PlannedShard: Sendable {
        public var split: DataSplit
        /// Its number within the split, from 0.
        public var ordinal: Int
        public var pieces: [Piece] = []
        public var tokenCount = 0
    }

    /// Train shards first, then val, each in ordinal order.
    public private(set) var shards: [PlannedShard] = []
    /// Per split and source (config order): tokens placed in the shards, separators and copies included.
    public private(set) var tokensBySource: [DataSplit: [Int]] = [:]

    /// Per source: its share of train tokens (nil when there are none).
    public var achievedShares: [Double?] {
        let train = tokensBySource[.train] ?? []
        let total = train.reduce(0, +)
        return train.map { total > 0 ? Double($0) / Double(total) : nil }
    }

    public init(mixture: Mixture, sampler: DocumentSampler, sourceCount: Int, tokensPerShard: Int) {
        let entries = mixture.entries, copies = mixture.copies
        // Documents with the same content (possible when exact dedup is off), numbered in canonical order.
        var seen: [Fingerprint: Int] = [:]
        var occurrences = Array(repeating: 0, count: entries.count)
        for (index, entry) in entries.enumerated() where copies[index] > 0 {
            occurrences[index] = seen[entry.fingerprint, default: 0]
            seen[entry.fingerprint] = occurrences[index] + 1
        }
        for split in DataSplit.allCases {
            var bySource = Array(repeating: 0, count: sourceCount)
            var keyed: [(key: UInt64, piece: Piece)] = []
            for (index, entry) in entries.enumerated() where entry.split == split && copies[index] > 0 {
                for copy in 0..<copies[index] {
                    keyed.append((sampler.orderKey(of: entry.fingerprint, copy: copy, occurrence: occurrences[index]),
                                  Piece(document: entry.document, copy: copy, tokenCount: entry.tokenCount + 1)))
                    bySource[entry.source] += entry.tokenCount + 1
                }
            }
            tokensBySource[split] = bySource
            keyed.sort { ($0.key, $0.piece.document, $0.piece.copy) < ($1.key, $1.piece.document, $1.piece.copy) }
            var current = PlannedShard(split: split, ordinal: 0)
            for item in keyed {
                if !current.pieces.isEmpty, current.tokenCount + item.piece.tokenCount > tokensPerShard {
                    shards.append(current)
                    current = PlannedShard(split: split, ordinal: current.ordinal + 1)
                }
                current.pieces.append(item.piece)
                current.tokenCount += item.piece.tokenCount
            }
            if !current.pieces.isEmpty { shards.append(current) }
        }
    }
}
