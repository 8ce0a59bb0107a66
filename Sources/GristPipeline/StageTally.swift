import GristCore
import GristShards

/// Documents and bytes per (stage, outcome, reason) for one source: the manifest's `stageCount` rows.
///
/// Every stage satisfies `seen == kept + dropped + skipped`; rows come out sorted, never in hash order.
struct StageTally: Sendable {
    private struct Key: Hashable, Comparable {
        var position: Int
        var stage: String
        var outcome: String
        var reason: String

        static func < (a: Key, b: Key) -> Bool {
            (a.position, a.stage, a.outcome, a.reason) < (b.position, b.stage, b.outcome, b.reason)
        }
    }

    private var counts: [Key: (documents: Int, bytes: Int)] = [:]

    mutating func add(position: Int, stage: DocumentStage, _ outcome: StageCount.Outcome, reason: String = "",
                      documents: Int = 1, bytes: Int) {
        let key = Key(position: position, stage: stage.name, outcome: outcome.rawValue, reason: reason)
        let old = counts[key] ?? (0, 0)
        counts[key] = (old.documents + documents, old.bytes + bytes)
    }

    mutating func merge(_ other: StageTally) {
        for (key, value) in other.counts {
            let old = counts[key] ?? (0, 0)
            counts[key] = (old.documents + value.documents, old.bytes + value.bytes)
        }
    }

    var rows: [StageCount] {
        counts.keys.sorted().compactMap { key in
            guard let value = counts[key], let outcome = StageCount.Outcome(rawValue: key.outcome) else { return nil }
            return StageCount(position: key.position, stage: key.stage, outcome: outcome, reason: key.reason,
                              documents: value.documents, bytes: value.bytes)
        }
    }
}
