import GristCore
import GristFilter

/// The training corpus of a classifier: each document a line after its label, in input
/// order or shuffled with a seeded SplitMix64 Fisher–Yates shuffle (the same on every machine).
public enum ClassifierCorpus {
    public static func make(_ examples: ClassifierExamples, labelPrefix: String, shuffleSeed: Int?) -> FastTextCorpus {
        var order = Array(0..<examples.count)
        if let seed = shuffleSeed, order.count > 1 {
            var rng = SplitMix64(seed: UInt64(bitPattern: Int64(seed)))
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
        }
        let labels = examples.labelNames.map { labelPrefix + $0 }
        var corpus = FastTextCorpus()
        for i in order { corpus.append(labels: [labels[examples.labelOfDocument[i]]], text: examples.texts[i]) }
        return corpus
    }
}
