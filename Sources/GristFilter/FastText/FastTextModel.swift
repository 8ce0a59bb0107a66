import Foundation
import GristCore

/// A supervised fastText model (`.bin`, or quantized `.ftz`) that predicts as fastText's `predict`
/// does: the same tokens, the same hashed word and character n-grams, the same output layer, the same
/// top-k, and probabilities reported as fastText reports them (exp of log(p + 1e-5)).
public final class FastTextModel: Sendable {
    static let magic: Int32 = 793_712_314
    static let newestVersion: Int32 = 12

    let args: FastTextArgs
    let dictionary: FastTextDictionary
    let input: FastTextMatrix
    let output: FastTextMatrix
    let loss: FastTextLoss
    public let labels: [String]

    public var dimension: Int { Int(args.dim) }

    /// The index in ``labels`` of a label (prefix included, `__label__en`), or nil.
    public func labelIndex(_ label: String) -> Int? { labels.firstIndex(of: label) }

    public convenience init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GristError(.io, "\(path): cannot read the fastText model")
        }
        try self.init(bytes: [UInt8](data), path: path)
    }

    init(bytes: [UInt8], path: String) throws {
        var r = FastTextFileReader(bytes: bytes, path: path)
        let magic = try r.int32("magic")
        guard magic == Self.magic else { throw r.error("magic \(magic), not \(Self.magic)", at: 0) }
        let version = try r.int32("version")
        guard version >= 11, version <= Self.newestVersion else {
            throw r.error("file format version \(version); this reader knows 11 and 12", at: 4)
        }
        var args = try FastTextArgs(reading: &r)
        guard args.model == .supervised else {
            throw GristError(.usage, "\(path): a fastText \(args.model == .cbow ? "cbow" : "skipgram") word-vector model, "
                + "not a supervised classifier: it has no labels to predict")
        }
        if version == 11 { args.maxn = 0 }  // version 11 supervised models had no character n-grams
        self.args = args
        let dictionary = try FastTextDictionary(reading: &r, args: args)
        guard dictionary.nlabels > 0 else { throw r.error("a supervised model with no labels") }
        let quantInput = try r.bool("quantized input flag")
        let inputAt = r.offset
        let input: FastTextMatrix = quantInput
            ? .quantized(try FastTextQuantMatrix(reading: &r, what: "input matrix"))
            : try FastTextMatrix.readDense(&r, what: "input matrix")
        if !quantInput && dictionary.pruneIndexSize >= 0 {
            throw r.error("a pruned dictionary with a dense input matrix", at: inputAt)
        }
        let qout = try r.bool("quantized output flag")
        let outputAt = r.offset
        let output: FastTextMatrix = quantInput && qout
            ? .quantized(try FastTextQuantMatrix(reading: &r, what: "output matrix"))
            : try FastTextMatrix.readDense(&r, what: "output matrix")

        // every row predict can touch exists
        let hashedRows = dictionary.pruneIndexSize >= 0
            ? Int64(dictionary.pruneIndex.values.max().map { Int($0) + 1 } ?? 0)
            : Int64(args.bucket)
        guard input.cols == Int(args.dim), Int64(input.rows) >= Int64(dictionary.nwords) + hashedRows else {
            throw r.error("input matrix of \(input.rows) × \(input.cols) for \(dictionary.nwords) words, "
                + "\(hashedRows) hashed rows and dim \(args.dim)", at: inputAt)
        }
        let outputRows = args.loss == .hierarchicalSoftmax ? Int(dictionary.nlabels) - 1 : Int(dictionary.nlabels)
        guard output.cols == Int(args.dim), output.rows >= outputRows, output.rows == Int(dictionary.nlabels) else {
            throw r.error("output matrix of \(output.rows) × \(output.cols) for \(dictionary.nlabels) labels", at: outputAt)
        }
        self.dictionary = dictionary
        self.input = input
        self.output = output
        switch args.loss {
        case .softmax: loss = .softmax
        case .oneVsAll, .negativeSampling: loss = .sigmoid(table: FastTextLoss.sigmoidTable())
        case .hierarchicalSoftmax:
            let labelCounts = Array(dictionary.counts[Int(dictionary.nwords)...])
            guard let tree = FastTextHuffmanTree(counts: labelCounts) else {
                throw r.error("label counts that make no hierarchical softmax tree", at: 8)
            }
            loss = .hierarchical(tree)
        }
        labels = (0..<Int(dictionary.nlabels)).map { dictionary.label($0) }
    }

    /// Scratch buffers for `predict`; one per thread. After their first use at a size, predictions
    /// allocate nothing.
    public final class Scratch {
        var rows: [Int32] = []
        var hashes: [Int32] = []
        var token: [UInt8] = []
        var hidden: [Float] = []
        var scores: [Float] = []
        var top = FastTextTopK()
        /// The last prediction: label indices into `labels` and probabilities, best first.
        public internal(set) var results: [(label: Int, probability: Float)] = []
        /// Input rows of the last text (its words, n-grams and `</s>`): 0 when nothing of it is known
        /// to the model, which fastText's `test` then leaves out.
        public var inputRowCount: Int { rows.count }

        public init() {}
    }

    /// fastText's `predict` of one text: the k best labels (k < 0: all) with probability ≥ threshold,
    /// best first. Into `scratch.results`.
    public func predict(_ text: UnsafeRawBufferPointer, k: Int, threshold: Float, reading: FastTextLineReading = .joined,
                        scratch s: Scratch) {
        s.results.removeAll(keepingCapacity: true)
        dictionary.features(of: text, reading: reading, wordNgrams: args.wordNgrams,
                            rows: &s.rows, hashes: &s.hashes, token: &s.token)
        if s.rows.isEmpty { return }
        let k = k < 0 ? output.rows : k
        if k == 0 { return }
        let dim = Int(args.dim)
        if s.hidden.count < dim { s.hidden = [Float](repeating: 0, count: dim) }
        if s.scores.count < output.rows { s.scores = [Float](repeating: 0, count: output.rows) }
        s.hidden.withUnsafeMutableBufferPointer { hidden in
            s.rows.withUnsafeBufferPointer { input.averageRows($0, into: hidden.baseAddress!) }
            s.scores.withUnsafeMutableBufferPointer { scores in
                loss.predict(hidden: hidden.baseAddress!, output: output, k: k, threshold: threshold,
                             scores: scores.baseAddress!, top: &s.top)
            }
        }
        for item in s.top.items { s.results.append((Int(item.label), expf(item.score))) }
    }

    /// fastText's `predict` of one text (see the scratch form), with fresh scratch.
    public func predict(_ text: UnsafeRawBufferPointer, k: Int, threshold: Float,
                        reading: FastTextLineReading = .joined) -> [(label: String, probability: Float)] {
        let s = Scratch()
        predict(text, k: k, threshold: threshold, reading: reading, scratch: s)
        return s.results.map { (labels[$0.label], $0.probability) }
    }
}
