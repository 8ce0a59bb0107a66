import Glibc
import GristCore

/// Trains a supervised fastText classifier as fastText 0.9.3's `train_supervised` does with one thread:
/// the same dictionary (``FastTextDictionaryBuilder``), the same initial weights (the input matrix's
/// first tenth uniform in ±1/dim from `minstd_rand(seed)`, the rest and the output matrix zero: what
/// fastText's one-thread `DenseMatrix::uniform` leaves), the same pass over the examples in file order
/// (`epoch` times, the learning rate decaying linearly with the tokens read, updated every
/// `lrUpdateRate` tokens), and the same update per example: hidden = mean of the example's input rows,
/// the loss's gradient added to the output rows, then the gradient, divided by the number of input
/// rows, added to each input row. Deterministic: the same corpus and settings give the same model,
/// byte for byte.
///
/// Only one thread: fastText's several threads update shared weights without locks, so its models
/// differ from run to run.
public struct FastTextTrainer: Sendable {
    public let settings: FastTextTrainingSettings

    public init(settings: FastTextTrainingSettings) throws {
        try settings.validate()
        self.settings = settings
    }

    /// Trains on `corpus`; `progress` is called with the fraction done (0...1) every percent.
    /// - Throws: `GristError(.usage)` for a corpus with no labels or no words, and when training
    ///   diverges (a NaN score, which fastText reports as "Encountered NaN").
    public func train(_ corpus: FastTextCorpus, progress: ((Double) -> Void)? = nil) throws -> FastTextTrainedModel {
        let s = settings
        let prefix = Array(s.labelPrefix.utf8)
        let bucket = Int32(s.effectiveBucket)
        var builder = FastTextDictionaryBuilder(labelPrefix: prefix)
        corpus.bytes.withUnsafeBufferPointer { builder.add(corpus: $0) }
        let dictionary = builder.dictionary(minCount: Int64(s.minCount), minCountLabel: Int64(s.minCountLabel),
                                            minn: Int32(s.minn), maxn: Int32(s.maxn), bucket: bucket)
        guard dictionary.nlabels > 0 else {
            throw GristError(.usage, "no labels to train on: no token of the \(corpus.examples) examples starts with "
                + "\"\(s.labelPrefix)\" (or none is seen \(s.minCountLabel) times)")
        }
        guard dictionary.nwords > 0 else {
            throw GristError(.usage, "no words to train on (\(corpus.examples) examples): try a smaller min count")
        }
        let args = FastTextArgs(
            dim: Int32(s.dim), windowSize: 5, epoch: Int32(s.epoch), minCount: Int32(s.minCount), neg: 5,
            wordNgrams: Int32(s.wordNgrams), loss: s.loss.fileCode, model: .supervised, bucket: bucket,
            minn: Int32(s.minn), maxn: Int32(s.maxn), lrUpdateRate: Int32(s.lrUpdateRate), samplingThreshold: 1e-4)
        let dim = s.dim
        let (inputCount, overflow) = (Int(dictionary.nwords) + Int(bucket)).multipliedReportingOverflow(by: dim)
        guard !overflow else { throw GristError(.usage, "an input matrix of \(dictionary.nwords) + \(bucket) rows × \(dim) is too large") }
        var input = [Float](repeating: 0, count: inputCount)
        Self.initializeUniform(&input, dim: dim, seed: s.seed)
        var output = [Float](repeating: 0, count: Int(dictionary.nlabels) * dim)
        let loss = try corpus.bytes.withUnsafeBufferPointer { text in
            try input.withUnsafeMutableBufferPointer { wi in
                try output.withUnsafeMutableBufferPointer { wo in
                    let run = FastTextSGD(settings: s, dictionary: dictionary, corpus: text,
                                          input: wi.baseAddress!, output: wo.baseAddress!)
                    return try run.train(progress: progress)
                }
            }
        }
        return FastTextTrainedModel(args: args, dictionary: dictionary, input: input, output: output,
                                    averageLoss: loss, examples: corpus.examples)
    }

    /// fastText's `DenseMatrix::uniform(1/dim, thread: 1, seed)`: with one thread only the first of its
    /// ten blocks is filled (`minstd_rand(seed)`, `uniform_real_distribution(-a, a)` rounded to float);
    /// the rest stays zero. (fastText 0.9.3 leaves the rest as `posix_memalign` returned it: zero when
    /// the memory is fresh from the kernel, which it always is for a matrix above glibc's largest mmap
    /// threshold, 32 MiB; leftover heap bytes otherwise, where fastText's own runs differ or stop with
    /// "Encountered NaN".)
    static func initializeUniform(_ m: inout [Float], dim: Int, seed: Int) {
        let a = Float(1.0 / Double(dim))
        var rng = MinstdRand(seed: Int64(seed))
        let blockSize = m.count / 10
        let lo = Double(-a), hi = Double(a)
        m.withUnsafeMutableBufferPointer { p in
            for i in 0..<blockSize { p[i] = Float(rng.uniform(lo, hi)) }
        }
    }
}

/// The state of one training run: the weights (row-major, `dim` floats per row), the scratch of the
/// current example, and the counters of the learning-rate schedule. Nothing is allocated per example
/// once the scratch arrays have grown to the longest line.
final class FastTextSGD {
    let settings: FastTextTrainingSettings
    let dictionary: FastTextDictionary
    let corpus: UnsafeBufferPointer<UInt8>
    let wi: UnsafeMutablePointer<Float>
    let wo: UnsafeMutablePointer<Float>
    let dim: Int
    let osz: Int
    let sigmoidTable: [Float]
    let logTable: [Float]
    /// Hierarchical softmax: each label's path of output rows from leaf to root, and the branch taken.
    var paths: [[Int32]] = []
    var codes: [[Bool]] = []

    /// dim, dim and labels floats, owned here.
    let hidden: UnsafeMutablePointer<Float>
    let grad: UnsafeMutablePointer<Float>
    let scores: UnsafeMutablePointer<Float>
    var rows: [Int32] = []
    var labels: [Int32] = []
    var hashes: [Int32] = []
    var token: [UInt8] = []
    var rng: MinstdRand
    var lossSum: Float = 0
    var examples: Int64 = 0

    init(settings: FastTextTrainingSettings, dictionary: FastTextDictionary, corpus: UnsafeBufferPointer<UInt8>,
         input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        self.settings = settings
        self.dictionary = dictionary
        self.corpus = corpus
        wi = input
        wo = output
        dim = settings.dim
        osz = Int(dictionary.nlabels)
        sigmoidTable = FastTextLoss.sigmoidTable()
        logTable = (0...512).map { i in Float(log(Double(Float((Double(Float(i)) + 1e-5) / 512)))) }
        hidden = .allocate(capacity: dim)
        hidden.initialize(repeating: 0, count: dim)
        grad = .allocate(capacity: dim)
        grad.initialize(repeating: 0, count: dim)
        scores = .allocate(capacity: max(osz, 1))
        scores.initialize(repeating: 0, count: max(osz, 1))
        rng = MinstdRand(seed: Int64(settings.seed))  // thread 0: seed + 0
        if settings.loss == .hs { buildPaths() }
    }

    deinit {
        hidden.deallocate()
        grad.deallocate()
        scores.deallocate()
    }

    /// fastText's `HierarchicalSoftmaxLoss::buildTree`: leaf i's path climbs to the root through
    /// internal nodes (output row = node − labels), with code 1 where the node is its parent's right child.
    private func buildPaths() {
        let counts = Array(dictionary.counts[Int(dictionary.nwords)...])
        let n = counts.count
        var parent = [Int](repeating: -1, count: max(2 * n - 1, 1))
        var binary = [Bool](repeating: false, count: max(2 * n - 1, 1))
        var count = [Int64](repeating: 1_000_000_000_000_000, count: max(2 * n - 1, 1))
        for i in 0..<n { count[i] = counts[i] }
        var leaf = n - 1
        var node = n
        if n > 1 {
            for i in n..<(2 * n - 1) {
                var mini = [0, 0]
                for j in 0..<2 {
                    if leaf >= 0 && count[leaf] < count[node] {
                        mini[j] = leaf
                        leaf -= 1
                    } else {
                        mini[j] = node
                        node += 1
                    }
                }
                count[i] = count[mini[0]] &+ count[mini[1]]
                parent[mini[0]] = i
                parent[mini[1]] = i
                binary[mini[1]] = true
            }
        }
        for i in 0..<n {
            var path: [Int32] = []
            var code: [Bool] = []
            var j = i
            while parent[j] != -1 {
                path.append(Int32(parent[j] - n))
                code.append(binary[j])
                j = parent[j]
            }
            paths.append(path)
            codes.append(code)
        }
    }

    /// The passes over the corpus; returns the average loss of the examples.
    func train(progress: ((Double) -> Void)?) throws -> Double {
        let total = Int64(settings.epoch) * dictionary.ntokens
        let lrUpdateRate = Int64(settings.lrUpdateRate)
        let wordNgrams = Int32(settings.wordNgrams)
        let eos = FastTextDictionary.endOfSentence
        var tokenCount: Int64 = 0
        var localTokenCount: Int64 = 0
        var tokenizer = FastTextTokenizer(corpus)
        var atEnd = false
        var percent = -1
        try eos.withUnsafeBufferPointer { eos in
            while tokenCount < total {
                let progressDone = Float(tokenCount) / Float(total)
                let lr = Float(settings.learningRate * (1.0 - Double(progressDone)))
                if atEnd {
                    tokenizer = FastTextTokenizer(corpus)
                    atEnd = false
                }
                localTokenCount += Int64(dictionary.trainingLine(&tokenizer, wordNgrams: wordNgrams, eos: eos, rows: &rows,
                                                                 labels: &labels, hashes: &hashes, token: &token,
                                                                 atEnd: &atEnd))
                if !labels.isEmpty && !rows.isEmpty {
                    let targetIndex = settings.loss == .ova ? -1 : rng.uniformInt(upTo: labels.count - 1)
                    try update(targetIndex: targetIndex, lr: lr)
                }
                if localTokenCount > lrUpdateRate {
                    tokenCount += localTokenCount
                    localTokenCount = 0
                    if let progress {
                        let now = Int(100 * Double(min(tokenCount, total)) / Double(total))
                        if now != percent {
                            percent = now
                            progress(Double(now) / 100)
                        }
                    }
                }
            }
        }
        return examples > 0 ? Double(lossSum / Float(examples)) : 0
    }

    /// fastText's `Model::update` of one example.
    private func update(targetIndex: Int, lr: Float) throws {
        let dim = self.dim
        let count = rows.count
        do {
            let h = hidden
            // hidden = mean of the input rows: summed in order, then times the float of 1 / count
            h.update(repeating: 0, count: dim)
            rows.withUnsafeBufferPointer { r in
                for row in r {
                    let w = wi + Int(row) * dim
                    for j in 0..<dim { h[j] += w[j] }
                }
            }
            let scale = Float(1.0 / Double(count))
            for j in 0..<dim { h[j] *= scale }

            do {
                let g = grad
                g.update(repeating: 0, count: dim)
                let loss: Float
                switch settings.loss {
                case .softmax: loss = try softmax(target: Int(labels[targetIndex]), lr: lr, hidden: h, grad: g)
                case .hs: loss = try hierarchical(target: Int(labels[targetIndex]), lr: lr, hidden: h, grad: g)
                case .ova: loss = try oneVsAll(lr: lr, hidden: h, grad: g)
                }
                lossSum += loss
                examples += 1
                let gradScale = Float(1.0 / Double(count))
                for j in 0..<dim { g[j] *= gradScale }
                rows.withUnsafeBufferPointer { r in
                    for row in r {
                        let w = wi + Int(row) * dim
                        for j in 0..<dim { w[j] += g[j] }
                    }
                }
            }
        }
    }

    /// Output row i · hidden, summed in order as fastText's `dotRow`; a NaN stops training as there.
    @inline(__always)
    private func dot(_ i: Int, _ h: UnsafePointer<Float>) throws -> Float {
        let w = wo + i * dim
        var d: Float = 0
        for j in 0..<dim { d += w[j] * h[j] }
        if d.isNaN {
            throw GristError(.usage, "training diverged (a NaN score, fastText's \"Encountered NaN\"): try a smaller learning rate")
        }
        return d
    }

    /// grad += alpha · output row i, then output row i += alpha · hidden.
    @inline(__always)
    private func backpropagate(_ i: Int, alpha: Float, hidden h: UnsafePointer<Float>, grad g: UnsafeMutablePointer<Float>) {
        let w = wo + i * dim
        for j in 0..<dim { g[j] += alpha * w[j] }
        for j in 0..<dim { w[j] += alpha * h[j] }
    }

    /// fastText's `Loss::log`: the log table, for the reported loss only.
    @inline(__always)
    private func tableLog(_ x: Float) -> Float {
        if x > 1 { return 0 }
        return logTable[Int(x * 512)]
    }

    private func softmax(target: Int, lr: Float, hidden h: UnsafeMutablePointer<Float>,
                                  grad g: UnsafeMutablePointer<Float>) throws -> Float {
        do {
            let out = scores
            for i in 0..<osz { out[i] = try dot(i, h) }
            var maxScore = out[0]
            for i in 0..<osz where !(out[i] < maxScore) { maxScore = out[i] }
            var z: Float = 0
            for i in 0..<osz {
                out[i] = Float(exp(Double(out[i] - maxScore)))
                z += out[i]
            }
            for i in 0..<osz { out[i] /= z }
            for i in 0..<osz {
                let label: Float = i == target ? 1 : 0
                backpropagate(i, alpha: lr * (label - out[i]), hidden: h, grad: g)
            }
            return -tableLog(out[target])
        }
    }

    /// fastText's `BinaryLogisticLoss::binaryLogistic` on output row i.
    @inline(__always)
    private func binaryLogistic(_ i: Int, positive: Bool, lr: Float, hidden h: UnsafeMutablePointer<Float>,
                                grad g: UnsafeMutablePointer<Float>) throws -> Float {
        let d = try dot(i, h)
        let s = sigmoidTable.withUnsafeBufferPointer { FastTextLoss.sigmoid(d, table: $0) }
        backpropagate(i, alpha: lr * ((positive ? 1 : 0) - s), hidden: h, grad: g)
        return positive ? -tableLog(s) : -tableLog(Float(1.0 - Double(s)))
    }

    private func hierarchical(target: Int, lr: Float, hidden h: UnsafeMutablePointer<Float>,
                              grad g: UnsafeMutablePointer<Float>) throws -> Float {
        var loss: Float = 0
        let path = paths[target], code = codes[target]
        for k in 0..<path.count {
            loss += try binaryLogistic(Int(path[k]), positive: code[k], lr: lr, hidden: h, grad: g)
        }
        return loss
    }

    private func oneVsAll(lr: Float, hidden h: UnsafeMutablePointer<Float>, grad g: UnsafeMutablePointer<Float>) throws -> Float {
        var loss: Float = 0
        for i in 0..<osz {
            loss += try binaryLogistic(i, positive: labels.contains(Int32(i)), lr: lr, hidden: h, grad: g)
        }
        return loss
    }
}
