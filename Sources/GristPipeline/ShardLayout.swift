import GristCore
import GristMix

/// Phase 4a: the order of documents in each split and where the shard boundaries fall.
///
/// Documents (and copies) are sorted by a seeded key, so the order is a shuffle that does not depend on
/// input order. A shard holds whole documents: it is closed before the document that would take it past
/// `tokensPerShard` (a single longer document gets a shard of its own).
struct ShardLayout {
    /// One copy of one document: its separator plus its tokens.
    struct Piece {
        var entry: Int
        var copy: Int
        var tokenCount: Int
    }

    struct PlannedShard {
        var split: DataSplit
        var ordinal: Int
        var pieces: [Piece] = []
        var tokenCount = 0

        var path: String { WorkLayout.shardPath(split: split, ordinal: ordinal) }
    }

    /// Where a selection entry's tokens are: its document id, its scan job, its offset in that job's spill.
    struct EntryLocation: Sendable {
        var id: Int64
        var job: Int
        var tokenOffset: Int
    }

    private(set) var shards: [PlannedShard] = []
    /// Indexed like the selection's entries.
    let selectionEntries: [EntryLocation]
    /// Per split and source: tokens placed in the shards (separators and copies included).
    private(set) var tokensBySource: [DataSplit: [Int]] = [:]

    /// Per source: its share of train tokens (nil when there are none).
    var achievedShares: [Double?] {
        let train = tokensBySource[.train] ?? []
        let total = train.reduce(0, +)
        return train.map { total > 0 ? Double($0) / Double(total) : nil }
    }

    init(selection: Selection, tokensPerShard: Int) {
        let sampler = DocumentSampler(seed: selection.plan.config.seed, valFraction: selection.plan.config.mix.valFraction)
        selectionEntries = selection.entries.map { entry in
            EntryLocation(id: entry.id, job: entry.job, tokenOffset: selection.document(entry).tokenOffset)
        }
        // Documents with the same content (possible when exact dedup is off), numbered in canonical order.
        var seen: [Fingerprint: Int] = [:]
        var occurrences = Array(repeating: 0, count: selection.entries.count)
        for (index, entry) in selection.entries.enumerated() where entry.copies > 0 {
            guard let fingerprint = selection.document(entry).fingerprint else { continue }
            occurrences[index] = seen[fingerprint, default: 0]
            seen[fingerprint] = occurrences[index] + 1
        }
        for split in DataSplit.allCases {
            var bySource = Array(repeating: 0, count: selection.plan.sources.count)
            var keyed: [(key: UInt64, id: Int64, piece: Piece)] = []
            for (index, entry) in selection.entries.enumerated() where entry.split == split && entry.copies > 0 {
                let document = selection.document(entry)
                guard let fingerprint = document.fingerprint else { continue }
                for copy in 0..<entry.copies {
                    keyed.append((sampler.orderKey(of: fingerprint, copy: copy, occurrence: occurrences[index]), entry.id,
                                  Piece(entry: index, copy: copy, tokenCount: document.tokenCount + 1)))
                    bySource[entry.source] += document.tokenCount + 1
                }
            }
            tokensBySource[split] = bySource
            keyed.sort { ($0.key, $0.id, $0.piece.copy) < ($1.key, $1.id, $1.piece.copy) }
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

/// `value` in decimal, left-padded with zeros to `width` digits.
func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
