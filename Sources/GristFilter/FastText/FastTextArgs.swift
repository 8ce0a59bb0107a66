/// The training settings a fastText model file stores after its magic and version (fastText's `Args`),
/// of which prediction needs the model kind, the loss and the hashing parameters.
struct FastTextArgs: Sendable {
    enum Loss: Int32, Sendable { case hierarchicalSoftmax = 1, negativeSampling = 2, softmax = 3, oneVsAll = 4 }
    enum ModelKind: Int32, Sendable { case cbow = 1, skipgram = 2, supervised = 3 }

    var dim: Int32
    var windowSize: Int32
    var epoch: Int32
    var minCount: Int32
    var neg: Int32
    var wordNgrams: Int32
    var loss: Loss
    var model: ModelKind
    var bucket: Int32
    var minn: Int32
    var maxn: Int32
    var lrUpdateRate: Int32
    var samplingThreshold: Double

    init(dim: Int32, windowSize: Int32, epoch: Int32, minCount: Int32, neg: Int32, wordNgrams: Int32, loss: Loss,
         model: ModelKind, bucket: Int32, minn: Int32, maxn: Int32, lrUpdateRate: Int32, samplingThreshold: Double) {
        self.dim = dim
        self.windowSize = windowSize
        self.epoch = epoch
        self.minCount = minCount
        self.neg = neg
        self.wordNgrams = wordNgrams
        self.loss = loss
        self.model = model
        self.bucket = bucket
        self.minn = minn
        self.maxn = maxn
        self.lrUpdateRate = lrUpdateRate
        self.samplingThreshold = samplingThreshold
    }

    init(reading r: inout FastTextFileReader) throws {
        dim = try r.int32("dim")
        windowSize = try r.int32("ws")
        epoch = try r.int32("epoch")
        minCount = try r.int32("minCount")
        neg = try r.int32("neg")
        wordNgrams = try r.int32("wordNgrams")
        let lossAt = r.offset
        let lossCode = try r.int32("loss")
        guard let loss = Loss(rawValue: lossCode) else { throw r.error("unknown loss \(lossCode)", at: lossAt) }
        self.loss = loss
        let modelAt = r.offset
        let modelCode = try r.int32("model")
        guard let model = ModelKind(rawValue: modelCode) else { throw r.error("unknown model kind \(modelCode)", at: modelAt) }
        self.model = model
        bucket = try r.int32("bucket")
        minn = try r.int32("minn")
        maxn = try r.int32("maxn")
        lrUpdateRate = try r.int32("lrUpdateRate")
        samplingThreshold = try r.double("t")
        guard dim > 0, dim <= 1 << 16 else { throw r.error("dim \(dim)", at: 8) }
        guard bucket >= 0, minn >= 0, maxn >= 0, maxn <= 1 << 10, wordNgrams >= 0 else {
            throw r.error("bucket \(bucket), minn \(minn), maxn \(maxn), wordNgrams \(wordNgrams)", at: 8)
        }
    }
}
