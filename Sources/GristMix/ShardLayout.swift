import GristCore

/// The order of the documents in each split and where the shard boundaries fall.
///
/// Every copy of every document gets a seeded sort key, so the order is a shuffle that does not depend
/// on input order (ties, which need equal keys, go by document number and copy). A shard holds whole
/// documents (or the whole head or tail of a document cut by `val_tokens`): it is closed before the
/// document that would take it past `tokensPerShard` (a single longer document gets a shard of its
/// own), but never below the split's minimum; the last shard, when below it, is balanced with the one
/// before (`balanceTail`). The order of the documents never changes; only where the shards are cut does.
public struct ShardLayout: Sendable {
    /// One copy of one document (or of its part in the split): its separator plus its tokens.
    public struct Piece: Sendable, Equatable {
        /// The document's number (`MixEntry.document`).
        public var document: Int
        public var copy: Int
        /// Its tokens plus the separator before it.
        public var tokenCount: Int
        /// The index among the document's tokens of its first one here: 0, except for the val tail of a
        /// cut document.
        public var firstToken = 0
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

    /// - Parameters:
    ///   - tokensPerShard: a shard is closed before the piece that would take it past this.
    ///   - minimumTokens: the fewest tokens a shard of a split may hold, given the split's tokens (0: no
    ///     minimum; `ShardsConfig.minimumTokens(splitTokens:)`). A split smaller than that is one shard.
    public init(mixture: Mixture, sampler: DocumentSampler, sourceCount: Int, tokensPerShard: Int,
                minimumTokens: (Int) -> Int = { _ in 0 }) {
        let entries = mixture.entries
        // Documents with the same content (possible when exact dedup is off), numbered in canonical order.
        var seen: [Fingerprint: Int] = [:]
        var occurrences = Array(repeating: 0, count: entries.count)
        for (index, entry) in entries.enumerated() where mixture.placements(of: index) > 0 {
            occurrences[index] = seen[entry.fingerprint, default: 0]
            seen[entry.fingerprint] = occurrences[index] + 1
        }
        for split in DataSplit.allCases {
            var bySource = Array(repeating: 0, count: sourceCount)
            var keyed: [(key: UInt64, piece: Piece)] = []
            for (index, entry) in entries.enumerated() {
                guard let tokens = entry.tokens(in: split) else { continue }
                for copy in 0..<mixture.copies(of: index, in: split) {
                    keyed.append((sampler.orderKey(of: entry.fingerprint, copy: copy, occurrence: occurrences[index]),
                                  Piece(document: entry.document, copy: copy, tokenCount: tokens + 1,
                                        firstToken: entry.firstToken(in: split))))
                    bySource[entry.source] += tokens + 1
                }
            }
            tokensBySource[split] = bySource
            keyed.sort { ($0.key, $0.piece.document, $0.piece.copy) < ($1.key, $1.piece.document, $1.piece.copy) }
            let minimum = minimumTokens(bySource.reduce(0, +))
            var splitShards: [PlannedShard] = []
            var current = PlannedShard(split: split, ordinal: 0)
            for item in keyed {
                if !current.pieces.isEmpty, current.tokenCount + item.piece.tokenCount > tokensPerShard,
                   current.tokenCount >= minimum {
                    splitShards.append(current)
                    current = PlannedShard(split: split, ordinal: current.ordinal + 1)
                }
                current.pieces.append(item.piece)
                current.tokenCount += item.piece.tokenCount
            }
            if !current.pieces.isEmpty { splitShards.append(current) }
            Self.balanceTail(&splitShards, minimum: minimum)
            shards += splitShards
        }
    }

    /// Makes the last shard of a split at least `minimum` tokens (every other one already is): the last
    /// two are cut again where their pieces split most evenly with both at least `minimum`, or, when no
    /// cut allows that, joined into one (which may then exceed the shard size).
    static func balanceTail(_ shards: inout [PlannedShard], minimum: Int) {
        guard shards.count >= 2, let last = shards.last, last.tokenCount < minimum else { return }
        let previous = shards[shards.count - 2]
        let pieces = previous.pieces + last.pieces
        let total = previous.tokenCount + last.tokenCount
        var best: (cut: Int, head: Int)?
        var head = 0
        for cut in 1..<pieces.count {
            head += pieces[cut - 1].tokenCount
            guard head >= minimum, total - head >= minimum else { continue }
            if best.map({ abs(total - 2 * head) < abs(total - 2 * $0.head) }) ?? true { best = (cut, head) }
        }
        shards.removeLast(2)
        if let best {
            shards.append(PlannedShard(split: previous.split, ordinal: previous.ordinal,
                                       pieces: Array(pieces[..<best.cut]), tokenCount: best.head))
            shards.append(PlannedShard(split: last.split, ordinal: last.ordinal,
                                       pieces: Array(pieces[best.cut...]), tokenCount: total - best.head))
        } else {
            shards.append(PlannedShard(split: previous.split, ordinal: previous.ordinal, pieces: pieces,
                                       tokenCount: total))
        }
    }
}
