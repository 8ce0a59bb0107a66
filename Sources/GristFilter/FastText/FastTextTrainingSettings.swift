import GristCore

/// The output layer a supervised fastText model is trained with (fastText's `-loss`).
public enum FastTextTrainingLoss: String, Sendable, CaseIterable {
    /// One softmax over all labels: every label's row is updated for every example.
    case softmax
    /// Hierarchical softmax: a Huffman tree over the label counts; only the rows on the path to the
    /// example's label are updated (fast with many labels).
    case hs
    /// One-vs-all: an independent sigmoid per label (multi-label data).
    case ova

    var fileCode: FastTextArgs.Loss {
        switch self {
        case .softmax: .softmax
        case .hs: .hierarchicalSoftmax
        case .ova: .oneVsAll
        }
    }
}

/// fastText's supervised training settings, with `fasttext supervised`'s defaults.
public struct FastTextTrainingSettings: Sendable, Equatable {
    /// Rows of the input and output matrices (`-dim`).
    public var dim = 100
    /// Passes over the corpus (`-epoch`).
    public var epoch = 5
    /// The starting learning rate, decayed linearly to 0 over `epoch` × the corpus's tokens (`-lr`).
    public var learningRate = 0.1
    /// Longest word n-gram hashed into the buckets (`-wordNgrams`; 1: single words only).
    public var wordNgrams = 1
    /// Shortest and longest character n-gram (`-minn`, `-maxn`; maxn 0: none).
    public var minn = 0
    public var maxn = 0
    /// Words seen fewer times are left out of the dictionary (`-minCount`).
    public var minCount = 1
    /// Labels seen fewer times are left out (`-minCountLabel`).
    public var minCountLabel = 0
    /// Hash buckets of the word and character n-grams (`-bucket`). fastText sets it to 0 when there are
    /// neither word n-grams nor character n-grams, and so does the trainer (``effectiveBucket``).
    public var bucket = 2_000_000
    public var loss = FastTextTrainingLoss.softmax
    /// Seeds the input matrix's random values and the pick of one label of a multi-label line (`-seed`).
    public var seed = 0
    /// Tokens between updates of the learning rate (`-lrUpdateRate`).
    public var lrUpdateRate = 100
    /// Tokens that start with it are labels (`-label`).
    public var labelPrefix = "__label__"

    public init() {}

    /// The bucket count the model gets: 0 without word or character n-grams, as fastText's argument
    /// parsing decides (a model with no hashed rows).
    public var effectiveBucket: Int { wordNgrams <= 1 && maxn == 0 ? 0 : bucket }

    /// Settings fastText would refuse or that would make a model it cannot load.
    public func validate() throws {
        func fail(_ message: String) -> GristError { GristError(.usage, message) }
        guard (1...(1 << 16)).contains(dim) else { throw fail("dim must be between 1 and 65536, got \(dim)") }
        guard epoch >= 1, epoch <= 1 << 20 else { throw fail("epoch must be at least 1, got \(epoch)") }
        guard learningRate > 0, learningRate.isFinite else { throw fail("lr must be above 0, got \(learningRate)") }
        guard (1...(1 << 10)).contains(wordNgrams) else { throw fail("word n-grams must be between 1 and 1024, got \(wordNgrams)") }
        guard minn >= 0, maxn >= 0, maxn <= 1 << 10, minn <= maxn || maxn == 0 else {
            throw fail("minn and maxn must satisfy 0 ≤ minn ≤ maxn ≤ 1024 (maxn 0: no character n-grams), got \(minn) and \(maxn)")
        }
        guard minCount >= 1, minCountLabel >= 0 else { throw fail("min count must be at least 1 and min count label at least 0") }
        guard bucket >= 0, bucket <= Int(Int32.max) else { throw fail("bucket must be between 0 and 2^31−1, got \(bucket)") }
        guard effectiveBucket > 0 || (wordNgrams <= 1 && maxn == 0) else {
            throw fail("word n-grams and character n-grams need buckets: bucket must be above 0")
        }
        guard lrUpdateRate >= 1 else { throw fail("lr update rate must be at least 1, got \(lrUpdateRate)") }
        guard !labelPrefix.isEmpty, !labelPrefix.utf8.contains(where: FastTextDictionary.isSpace) else {
            throw fail("the label prefix must be a nonempty token without spaces")
        }
        guard seed >= Int(Int32.min), seed <= Int(Int32.max) else { throw fail("seed must fit in 32 bits, got \(seed)") }
    }
}
