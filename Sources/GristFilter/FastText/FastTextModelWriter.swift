import GristCore

/// Writes a trained model in fastText's `.bin` format, version 12, as fastText's `saveModel` writes it:
/// magic 793712314 and version; the args (dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket,
/// minn, maxn, lrUpdateRate as int32, t as a double); the dictionary (size, nwords, nlabels as int32,
/// ntokens and pruneidx_size −1 as int64, then each entry's bytes, a NUL, its count as int64 and its
/// type as one byte: 0 word, 1 label); a quantization flag (0) and the input matrix (rows and columns
/// as int64, then the floats row by row); a quantization flag (0) and the output matrix. Little-endian.
public enum FastTextModelWriter {
    /// Writes `model` to `path`, whole or not at all.
    public static func write(_ model: FastTextTrainedModel, to path: String) throws {
        try AtomicFile.write(path: path) { out in
            try out.write(header(of: model))
            try model.input.withUnsafeBytes { try out.write($0) }
            try out.write(matrixHeader(rows: model.output.count / Int(model.args.dim), cols: Int(model.args.dim), quantized: false))
            try model.output.withUnsafeBytes { try out.write($0) }
        }
    }

    /// The file's bytes.
    public static func bytes(of model: FastTextTrainedModel) -> [UInt8] {
        var bytes = header(of: model)
        model.input.withUnsafeBytes { bytes.append(contentsOf: $0) }
        bytes += matrixHeader(rows: model.output.count / Int(model.args.dim), cols: Int(model.args.dim), quantized: false)
        model.output.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Everything before the input matrix's floats.
    private static func header(of model: FastTextTrainedModel) -> [UInt8] {
        var b: [UInt8] = []
        func int32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        func int64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        int32(FastTextModel.magic)
        int32(FastTextModel.newestVersion)
        let a = model.args
        for v in [a.dim, a.windowSize, a.epoch, a.minCount, a.neg, a.wordNgrams, a.loss.rawValue, a.model.rawValue,
                  a.bucket, a.minn, a.maxn, a.lrUpdateRate] { int32(v) }
        int64(Int64(bitPattern: a.samplingThreshold.bitPattern))
        let d = model.dictionary
        int32(Int32(d.size))
        int32(d.nwords)
        int32(d.nlabels)
        int64(d.ntokens)
        int64(-1)  // pruneidx_size: never pruned
        for i in 0..<d.size {
            b += d.text[Int(d.textStart[i])..<Int(d.textStart[i + 1])]
            b.append(0)
            int64(d.counts[i])
            b.append(d.isLabel[i] ? 1 : 0)
        }
        b += matrixHeader(rows: model.input.count / Int(a.dim), cols: Int(a.dim), quantized: false)
        return b
    }

    private static func matrixHeader(rows: Int, cols: Int, quantized: Bool) -> [UInt8] {
        var b: [UInt8] = [quantized ? 1 : 0]
        withUnsafeBytes(of: Int64(rows).littleEndian) { b.append(contentsOf: $0) }
        withUnsafeBytes(of: Int64(cols).littleEndian) { b.append(contentsOf: $0) }
        return b
    }
}
