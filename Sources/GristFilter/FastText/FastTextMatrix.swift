/// A fastText weight matrix: dense rows of floats (`.bin`), or product-quantized rows (`.ftz`, with
/// the rows' norms quantized apart when `qnorm`). Rows are `dim` wide.
enum FastTextMatrix: Sendable {
    case dense(rows: Int, cols: Int, data: [Float])
    case quantized(FastTextQuantMatrix)

    static func readDense(_ r: inout FastTextFileReader, what: String) throws -> FastTextMatrix {
        let at = r.offset
        let m = try r.int64("\(what) rows")
        let n = try r.int64("\(what) columns")
        guard m >= 0, n > 0, m <= Int64(r.remaining / 4) / n else {
            throw r.error("\(what) of \(m) × \(n) floats, \(r.remaining) bytes left", at: at)
        }
        return .dense(rows: Int(m), cols: Int(n), data: try r.floats(Int(m * n), "\(what) data"))
    }

    var rows: Int {
        switch self {
        case .dense(let rows, _, _): rows
        case .quantized(let q): q.rows
        }
    }

    var cols: Int {
        switch self {
        case .dense(_, let cols, _): cols
        case .quantized(let q): q.cols
        }
    }

    /// hidden = average of the given rows (fastText's `averageRowsToVector`): summed in order, then
    /// multiplied by the float of 1 / count.
    func averageRows(_ rowIDs: UnsafeBufferPointer<Int32>, into hidden: UnsafeMutablePointer<Float>) {
        let d = cols
        hidden.update(repeating: 0, count: d)
        switch self {
        case .dense(_, _, let data):
            data.withUnsafeBufferPointer { w in
                for r in rowIDs {
                    let row = w.baseAddress! + Int(r) * d
                    for j in 0..<d { hidden[j] += row[j] }
                }
            }
        case .quantized(let q):
            for r in rowIDs { q.addRow(Int(r), to: hidden) }
        }
        let scale = Float(1.0 / Double(rowIDs.count))
        for j in 0..<d { hidden[j] *= scale }
    }

    /// The dot product of row i with x.
    @inline(__always)
    func dotRow(_ i: Int, _ x: UnsafePointer<Float>) -> Float {
        switch self {
        case .dense(_, let d, let data):
            return data.withUnsafeBufferPointer { w in
                let row = w.baseAddress! + i * d
                var s: Float = 0
                for j in 0..<d { s += row[j] * x[j] }
                return s
            }
        case .quantized(let q):
            return q.dotRow(i, x)
        }
    }
}

/// fastText's `QuantMatrix`: one code byte per piece per row, and optionally a one-byte code of each
/// row's norm in a one-dimensional quantizer.
struct FastTextQuantMatrix: Sendable {
    let rows: Int
    let cols: Int
    let codes: [UInt8]
    let pq: FastTextProductQuantizer
    let normCodes: [UInt8]
    let normPQ: FastTextProductQuantizer?

    init(reading r: inout FastTextFileReader, what: String) throws {
        let qnorm = try r.bool("\(what) qnorm")
        let at = r.offset
        let m = try r.int64("\(what) rows")
        let n = try r.int64("\(what) columns")
        let codesize = try r.int32("\(what) codesize")
        guard m >= 0, n > 0, n <= 1 << 16, codesize >= 0, m <= Int64(r.remaining) else {
            throw r.error("\(what) of \(m) × \(n), codesize \(codesize)", at: at)
        }
        codes = Array(try r.rawBytes(Int(codesize), "\(what) codes"))
        pq = try FastTextProductQuantizer(reading: &r, what: "\(what) quantizer")
        guard pq.dim == Int(n), Int64(codesize) == m * Int64(pq.nsubq) else {
            throw r.error("\(what): quantizer of dim \(pq.dim) for \(n) columns, \(codesize) codes for \(m) rows", at: at)
        }
        if qnorm {
            normCodes = Array(try r.rawBytes(Int(m), "\(what) norm codes"))
            let npq = try FastTextProductQuantizer(reading: &r, what: "\(what) norm quantizer")
            guard npq.dim == 1 else { throw r.error("\(what): norm quantizer of dim \(npq.dim)") }
            normPQ = npq
        } else {
            normCodes = []
            normPQ = nil
        }
        rows = Int(m)
        cols = Int(n)
    }

    @inline(__always)
    private func norm(_ i: Int) -> Float {
        guard let npq = normPQ else { return 1 }
        return npq.centroids[npq.centroidOffset(0, normCodes[i])]
    }

    func addRow(_ i: Int, to x: UnsafeMutablePointer<Float>) {
        let alpha = norm(i)
        codes.withUnsafeBufferPointer { c in pq.add(to: x, codes: c.baseAddress! + i * pq.nsubq, alpha: alpha) }
    }

    func dotRow(_ i: Int, _ x: UnsafePointer<Float>) -> Float {
        let alpha = norm(i)
        return codes.withUnsafeBufferPointer { c in pq.dot(x, codes: c.baseAddress! + i * pq.nsubq, alpha: alpha) }
    }
}
