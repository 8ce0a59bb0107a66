#if canImport(Glibc)
import Glibc
#endif

/// Layer normalization over the channels of each position (llm.c `layernorm_forward` / `_backward`).
///
/// Shapes: inp and out (N, C) with N = B·T rows; weight, bias (C); mean, rstd (N) saved for backward.
/// ε = 1e-5, as GPT-2.
enum LayerNorm {
    static let epsilon: Float = 1e-5

    /// out = (inp − mean) · rstd · weight + bias, per row. Each row is written by one item.
    static func forward(out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                        rstd: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>, n: Int, c: Int, _ parallel: Parallelism) {
        let o = SharedPointer(out), mu = SharedPointer(mean), rs = SharedPointer(rstd), x = SharedPointer(inp)
        let w = SharedPointer(weight), bb = SharedPointer(bias)
        parallel.forChunks(n, grain: 32) { rows in
            for row in rows {
                let xr = UnsafePointer(x + row * c), yr = o + row * c
                let m = vectorSum(xr, c) / Float(c)
                var acc = Vec(), i = 0
                while i + 16 <= c {
                    let shifted = load(xr + i) - m
                    acc += shifted * shifted
                    i += 16
                }
                var variance = acc.sum()
                while i < c { let s = xr[i] - m; variance += s * s; i += 1 }
                variance /= Float(c)
                let s = 1 / (variance + epsilon).squareRoot()
                for j in 0..<c { yr[j] = (xr[j] - m) * s * w.base[j] + bb.base[j] }
                mu.base[row] = m
                rs.base[row] = s
            }
        }
    }

    /// dinp += ∂L/∂inp; dweight += Σ_rows dout · norm; dbias += Σ_rows dout.
    ///
    /// Two passes: rows in parallel for dinp (each item owns its rows), then channels in parallel for
    /// the weight and bias sums (each item owns its channels, rows summed in order).
    static func backward(dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                         dbias: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                         weight: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                         n: Int, c: Int, _ parallel: Parallelism) {
        let dx = SharedPointer(dinp), dw = SharedPointer(dweight), db = SharedPointer(dbias)
        let dy = SharedPointer(dout), x = SharedPointer(inp), w = SharedPointer(weight)
        let mu = SharedPointer(mean), rs = SharedPointer(rstd)
        parallel.forChunks(n, grain: 32) { rows in
            for row in rows {
                let xr = x + row * c, dyr = dy + row * c, dxr = dx + row * c
                let m = mu.base[row], s = rs.base[row]
                // dnorm = dout · weight; the two means of the LayerNorm gradient.
                var sumD = Vec(), sumDN = Vec(), i = 0
                while i + 16 <= c {
                    let dnorm = load(dyr + i) * load(w + i)
                    let norm = (load(xr + i) - m) * s
                    sumD += dnorm
                    sumDN += dnorm * norm
                    i += 16
                }
                var dnormMean = sumD.sum(), dnormNormMean = sumDN.sum()
                while i < c {
                    let dnorm = dyr[i] * w.base[i], norm = (xr[i] - m) * s
                    dnormMean += dnorm
                    dnormNormMean += dnorm * norm
                    i += 1
                }
                dnormMean /= Float(c)
                dnormNormMean /= Float(c)
                for j in 0..<c {
                    let norm = (xr[j] - m) * s
                    let dnorm = dyr[j] * w.base[j]
                    dxr[j] += (dnorm - dnormMean - norm * dnormNormMean) * s
                }
            }
        }
        parallel.forChunks(c, grain: 64) { channels in
            let lo = channels.lowerBound, width = channels.count
            for row in 0..<n {
                let xr = x + (row * c + lo), dyr = dy + (row * c + lo)
                let m = mu.base[row], s = rs.base[row]
                let dwr = dw + lo, dbr = db + lo
                for j in 0..<width {
                    dwr[j] += dyr[j] * (xr[j] - m) * s
                    dbr[j] += dyr[j]
                }
            }
        }
    }

    // MARK: - Reference

    static func forwardReference(out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                                 rstd: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                                 weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, n: Int, c: Int) {
        for row in 0..<n {
            let x = inp + row * c
            var m: Double = 0
            for i in 0..<c { m += Double(x[i]) }
            m /= Double(c)
            var v: Double = 0
            for i in 0..<c { v += (Double(x[i]) - m) * (Double(x[i]) - m) }
            v /= Double(c)
            let s = 1 / (v + Double(epsilon)).squareRoot()
            for i in 0..<c { out[row * c + i] = Float((Double(x[i]) - m) * s) * weight[i] + bias[i] }
            mean[row] = Float(m)
            rstd[row] = Float(s)
        }
    }
}
