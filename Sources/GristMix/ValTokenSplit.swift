import GristCore

/// The val split taken by tokens (`val_tokens`) rather than by a coin per document (`val_fraction`), so
/// that a corpus of a few long documents, even of one, gets a val split of the size asked for.
///
/// Per pool of sources, the documents are taken in a seeded order (a hash of the seed and each
/// fingerprint): whole documents go to val while they fit in what is left of the pool's tokens, and the
/// first one that does not fit is cut: its last tokens fill the val split exactly, its head stays in
/// train. Each part is written behind a separator of its own, so the val split holds exactly the tokens
/// asked for (separators included) unless the pool's documents hold fewer, or only one token is left to
/// fill (a part holds at least one token). At most one document per pool is cut.
public enum ValTokenSplit {
    /// Sources whose val split is taken together: one source with its own `val_tokens`, or every source
    /// without one when `mix.val_tokens` is given.
    public struct Pool: Sendable, Equatable {
        /// Indices of the sources, in config order.
        public var sources: [Int]
        /// Val tokens wanted, separators included.
        public var tokens: Int

        public init(sources: [Int], tokens: Int) {
            precondition(tokens >= 0, "val tokens cannot be negative")
            self.sources = sources
            self.tokens = tokens
        }
    }

    /// What a pool's val split came to.
    public struct Outcome: Sendable, Equatable {
        public var pool: Pool
        /// Tokens put in val, separators included.
        public var valTokens: Int
        /// Tokens of all the pool's documents, a separator for each included: when it is at most
        /// `pool.tokens`, every document went to val and none is left for train.
        public var availableTokens: Int
        /// The `MixEntry.document` of the document cut in two, if any.
        public var cutDocument: Int?

        public init(pool: Pool, valTokens: Int, availableTokens: Int, cutDocument: Int?) {
            self.pool = pool
            self.valTokens = valTokens
            self.availableTokens = availableTokens
            self.cutDocument = cutDocument
        }
    }

    /// Sets the split (and the cut) of every entry of a pool's sources; other entries are left as they are.
    /// - Returns: one outcome per pool, in the order given.
    /// - Complexity: O(n log n) in the number of entries of each pool (a sort).
    public static func apply(_ pools: [Pool], to entries: inout [MixEntry], sampler: DocumentSampler) -> [Outcome] {
        var poolOf: [Int: Int] = [:]
        for (index, pool) in pools.enumerated() {
            for source in pool.sources {
                precondition(poolOf[source] == nil, "a source is in one pool at most")
                poolOf[source] = index
            }
        }
        var members = Array(repeating: [(key: UInt64, index: Int)](), count: pools.count)
        var available = Array(repeating: 0, count: pools.count)
        for index in entries.indices {
            guard let pool = poolOf[entries[index].source] else { continue }
            entries[index].split = .train
            entries[index].cut = nil
            members[pool].append((sampler.valOrderKey(of: entries[index].fingerprint), index))
            available[pool] += entries[index].tokenCount + 1
        }
        return pools.indices.map { pool in
            let order = members[pool].sorted { ($0.key, entries[$0.index].document) < ($1.key, entries[$1.index].document) }
            var left = pools[pool].tokens
            var cutDocument: Int?
            for (_, index) in order {
                let piece = entries[index].tokenCount + 1
                if piece <= left {
                    entries[index].split = .val
                    left -= piece
                } else {
                    // Its tail fills the rest: `left` tokens with its separator, when that leaves a token
                    // on each side (it does whenever `left` ≥ 2, since the document is longer than `left`).
                    if left >= 2 {
                        entries[index].cut = entries[index].tokenCount - (left - 1)
                        cutDocument = entries[index].document
                        left = 0
                    }
                    break
                }
            }
            return Outcome(pool: pools[pool], valTokens: pools[pool].tokens - left, availableTokens: available[pool],
                           cutDocument: cutDocument)
        }
    }
}
