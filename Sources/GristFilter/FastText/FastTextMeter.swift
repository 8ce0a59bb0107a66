/// fastText's `Meter` as its `test` command uses it: over examples with gold labels, precision at k
/// (predictions that are gold / predictions made) and recall at k (gold labels predicted / gold
/// labels), overall and per label.
public struct FastTextMeter: Sendable {
    public struct Counts: Sendable, Equatable {
        public var gold = 0
        public var predicted = 0
        public var predictedGold = 0

        /// predictedGold / predicted; NaN when nothing was predicted (as fastText prints it).
        public var precision: Double { Double(predictedGold) / Double(predicted) }
        /// predictedGold / gold; NaN without gold labels.
        public var recall: Double { Double(predictedGold) / Double(gold) }
        public var f1: Double {
            let p = precision, r = recall
            return p + r != 0 ? 2 * p * r / (p + r) : .nan
        }
    }

    public private(set) var examples = 0
    public private(set) var overall = Counts()
    /// Per label index.
    public private(set) var labels: [Counts]

    public init(labelCount: Int) {
        labels = [Counts](repeating: Counts(), count: labelCount)
    }

    /// One example: its gold label indices and the predicted ones (best first).
    public mutating func log(gold: [Int], predicted: [Int]) {
        examples += 1
        overall.gold += gold.count
        overall.predicted += predicted.count
        for p in predicted {
            labels[p].predicted += 1
            if gold.contains(p) {
                labels[p].predictedGold += 1
                overall.predictedGold += 1
            }
        }
        for g in gold { labels[g].gold += 1 }
    }
}
