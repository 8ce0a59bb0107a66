/// A linear layer: out = inp · weightᵀ + bias (llm.c `matmul_forward` / `matmul_backward`).
///
/// Shapes: inp (N, C), weight (OC, C) (row o holds the weights of output o), bias (OC), out (N, OC),
/// where N = B·T rows. Gradients are accumulated (`+=`), so micro-batches add up.
enum Matmul {
    /// out (N, OC) = inp (N, C) · weight (OC, C)ᵀ + bias (OC).
    static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, n: Int, c: Int, oc: Int, _ parallel: Parallelism) {
        if let bias {
            let o = SharedPointer(out), b = SharedPointer(bias)
            // Each chunk of rows is written by one item.
            parallel.forChunks(n, grain: 64) { rows in
                for row in rows { (o + row * oc).update(from: b.base, count: oc) }
            }
        }
        gemm(transposeA: false, transposeB: true, m: n, n: oc, k: c, alpha: 1, inp, lda: c, weight, ldb: c,
             beta: bias == nil ? 0 : 1, out, ldc: oc, parallel)
    }

    /// dinp += dout · weight; dweight += doutᵀ · inp; dbias += Σ_rows dout.
    static func backward(dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                         dbias: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                         weight: UnsafePointer<Float>, n: Int, c: Int, oc: Int, _ parallel: Parallelism) {
        gemm(transposeA: false, transposeB: false, m: n, n: c, k: oc, alpha: 1, dout, lda: oc, weight, ldb: c,
             beta: 1, dinp, ldc: c, parallel)
        gemm(transposeA: true, transposeB: false, m: oc, n: c, k: n, alpha: 1, dout, lda: oc, inp, ldb: c,
             beta: 1, dweight, ldc: c, parallel)
        if let dbias { columnSums(into: dbias, dout, rows: n, columns: oc, parallel) }
    }

    /// into[j] += Σ_i x[i, j] over `rows`, for each of `columns` (rows summed in order; each item owns
    /// a range of columns).
    static func columnSums(into: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, rows: Int, columns: Int,
                           _ parallel: Parallelism) {
        let out = SharedPointer(into), input = SharedPointer(x)
        parallel.forChunks(columns, grain: 256) { range in
            let width = range.count
            for row in 0..<rows {
                let source = input + (row * columns + range.lowerBound)
                let target = out + range.lowerBound
                for j in 0..<width { target[j] += source[j] }
            }
        }
    }

    // MARK: - Reference

    static func forwardReference(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                                 weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, n: Int, c: Int, oc: Int) {
        for row in 0..<n {
            for o in 0..<oc {
                var sum: Double = bias.map { Double($0[o]) } ?? 0
                for i in 0..<c { sum += Double(inp[row * c + i]) * Double(weight[o * c + i]) }
                out[row * oc + o] = Float(sum)
            }
        }
    }

    static func backwardReference(dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                                  dbias: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>,
                                  inp: UnsafePointer<Float>, weight: UnsafePointer<Float>, n: Int, c: Int, oc: Int) {
        for row in 0..<n {
            for o in 0..<oc {
                let d = dout[row * oc + o]
                for i in 0..<c {
                    dinp[row * c + i] += weight[o * c + i] * d
                    dweight[o * c + i] += inp[row * c + i] * d
                }
                dbias?[o] += d
            }
        }
    }
}
