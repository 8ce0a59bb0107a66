import GristCore

/// A supervised fastText model fresh from ``FastTextTrainer``: its settings, dictionary and weights,
/// ready to be written as a `.bin` file (``FastTextModelWriter``) that fastText itself and
/// ``FastTextModel`` load.
public struct FastTextTrainedModel: Sendable {
    let args: FastTextArgs
    let dictionary: FastTextDictionary
    /// (words + buckets) × dim, row-major.
    let input: [Float]
    /// labels × dim, row-major.
    let output: [Float]
    /// The mean loss of the training examples over all epochs (fastText's `avg.loss`).
    public let averageLoss: Double
    /// Examples (lines) in the corpus.
    public let examples: Int

    /// The labels, most frequent first (fastText's order).
    public var labels: [String] { (0..<Int(dictionary.nlabels)).map { dictionary.label($0) } }
    /// How many times each label occurs in the corpus, in the order of ``labels``.
    public var labelCounts: [Int64] { Array(dictionary.counts[Int(dictionary.nwords)...]) }
    /// Distinct words kept in the dictionary (`</s>` included).
    public var wordCount: Int { Int(dictionary.nwords) }
    /// Tokens read in one pass over the corpus: words, labels and one `</s>` per line.
    public var tokenCount: Int64 { dictionary.ntokens }

    /// The model as ``FastTextModel`` predicts with it (through its file bytes, so exactly what a
    /// reader of the written file sees).
    public func loaded() throws -> FastTextModel {
        try FastTextModel(bytes: FastTextModelWriter.bytes(of: self), path: "<trained model>")
    }
}
