#if canImport(Glibc)
import Glibc
#endif

/// Causal multi-head self-attention on a fused q, k, v tensor, with every product through BLAS.
///
/// Shapes: qkv (B, T, 3C) holds q, k and v side by side, each split into NH heads of hs = C / NH
/// channels; att (B, NH, T, T) keeps the softmax probabilities (row t is zero after column t);
/// out (B, T, C) puts head h in channels h·hs ..< (h+1)·hs. Scores are q·kᵀ / √hs.
///
/// One work item per (b, h): it reads its head's slices and writes only its own block of `att`, of
/// `out` (forward), of the scratch and of `dqkv` (backward). The full T×T score block is computed and
/// its upper triangle ignored: twice the flops of the triangle, but at BLAS speed.
///
/// Attention dropout (`mask`, training only): `att` keeps the softmax probabilities P, and the output
/// is (M ⊙ P / (1 − rate)) · v; the masked copy is rebuilt from P and the mask's hash when needed
/// (element (b, h, row, j) of the mask is element item·T² + row·T + j).
enum Attention {
    static func forward(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
                        qkv: UnsafePointer<Float>, b: Int, t: Int, c: Int, heads: Int, _ parallel: Parallelism,
                        dropout mask: Dropout.Mask? = nil) {
        let hs = c / heads, scale = 1 / Float(hs).squareRoot()
        let o = SharedPointer(out), a = SharedPointer(att), x = SharedPointer(qkv)
        parallel.forEach(b * heads) { item in
            let batch = item / heads, head = item % heads
            let q = x + (batch * t * 3 * c + head * hs), k = q + c, v = q + 2 * c
            let scores = a + item * t * t
            sgemmCall(false, true, t, t, hs, scale, q, 3 * c, k, 3 * c, 0, scores, t)
            for row in 0..<t { causalSoftmax(scores + row * t, valid: row + 1, width: t) }
            let y = o + (batch * t * c + head * hs)
            guard let mask else { return sgemmCall(false, false, t, hs, t, 1, scores, t, v, 3 * c, 0, y, c) }
            withMasked(scores, item: item, t: t, mask) { dropped in
                sgemmCall(false, false, t, hs, t, 1, dropped, t, v, 3 * c, 0, y, c)
            }
        }
    }

    /// dqkv += ∂L/∂qkv, given dout (B, T, C). `scratch` is (B, NH, T, T) floats of working space; `mask`
    /// is the forward pass's.
    static func backward(dqkv: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                         dout: UnsafePointer<Float>, qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
                         b: Int, t: Int, c: Int, heads: Int, _ parallel: Parallelism, dropout mask: Dropout.Mask? = nil) {
        let hs = c / heads, scale = 1 / Float(hs).squareRoot()
        let dx = SharedPointer(dqkv), s = SharedPointer(scratch), dy = SharedPointer(dout)
        let x = SharedPointer(qkv), a = SharedPointer(att)
        parallel.forEach(b * heads) { item in
            let batch = item / heads, head = item % heads
            let offset = batch * t * 3 * c + head * hs
            let q = x + offset, k = q + c, v = q + 2 * c
            let dq = dx + offset, dk = dq + c, dv = dq + 2 * c
            let probs = a + item * t * t, dscores = s + item * t * t
            let dO = dy + (batch * t * c + head * hs)
            // dP' = dO · vᵀ;  dv += P'ᵀ · dO, where P' is P with the dropout mask applied
            sgemmCall(false, true, t, t, hs, 1, dO, c, v, 3 * c, 0, dscores, t)
            if let mask {
                withMasked(UnsafePointer(probs), item: item, t: t, mask) { dropped in
                    sgemmCall(true, false, t, hs, t, 1, dropped, t, dO, c, 1, dv, 3 * c)
                }
                // dP = dP' ⊙ M / (1 − rate)
                for row in 0..<t {
                    let d = dscores + row * t, base = item * t * t + row * t
                    for j in 0...row { d[j] = mask.keeps(base + j) ? d[j] * mask.scale : 0 }
                }
            } else {
                sgemmCall(true, false, t, hs, t, 1, probs, t, dO, c, 1, dv, 3 * c)
            }
            // dS = P ⊙ (dP − Σ_j dP·P), on and below the diagonal only
            for row in 0..<t {
                let p = probs + row * t, d = dscores + row * t
                let n = row + 1
                let dot = vectorDot(p, d, n)
                for j in 0..<n { d[j] = p[j] * (d[j] - dot) }
                for j in n..<t { d[j] = 0 }
            }
            // dq += scale · dS · k;  dk += scale · dSᵀ · q
            sgemmCall(false, false, t, hs, t, scale, dscores, t, k, 3 * c, 1, dq, 3 * c)
            sgemmCall(true, false, t, hs, t, scale, dscores, t, q, 3 * c, 1, dk, 3 * c)
        }
    }

    /// Runs `body` with a copy of one head's probabilities (T×T) with the dropout mask applied.
    private static func withMasked(_ probs: UnsafePointer<Float>, item: Int, t: Int, _ mask: Dropout.Mask,
                                   _ body: (UnsafePointer<Float>) -> Void) {
        let dropped = UnsafeMutablePointer<Float>.allocate(capacity: t * t)
        defer { dropped.deallocate() }
        for row in 0..<t {
            let p = probs + row * t, d = dropped + row * t, base = item * t * t + row * t
            for j in 0...row { d[j] = mask.keeps(base + j) ? p[j] * mask.scale : 0 }
            for j in (row + 1)..<t { d[j] = 0 }
        }
        body(dropped)
    }

    /// Softmax of x[0..<valid] in place; x[valid..<width] set to 0.
    @inline(__always)
    static func causalSoftmax(_ x: UnsafeMutablePointer<Float>, valid: Int, width: Int) {
        let m = vectorMax(x, valid)
        var acc = Vec(), i = 0
        while i + 16 <= valid {
            let e = vectorExp(load(x + i) - m)
            store(e, x + i)
            acc += e
            i += 16
        }
        var sum = acc.sum()
        while i < valid {
            let e = scalarExp(x[i] - m)
            x[i] = e
            sum += e
            i += 1
        }
        let inverse = 1 / sum
        for j in 0..<valid { x[j] *= inverse }
        for j in valid..<width { x[j] = 0 }
    }

    // MARK: - Reference

    /// llm.c's `attention_forward` loops, in double precision (with the dropout mask on the
    /// probabilities that weigh v, when given).
    static func forwardReference(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
                                 qkv: UnsafePointer<Float>, b: Int, t: Int, c: Int, heads: Int,
                                 dropout mask: Dropout.Mask? = nil) {
        let hs = c / heads, scale = 1 / Double(hs).squareRoot()
        for batch in 0..<b {
            for head in 0..<heads {
                for row in 0..<t {
                    let q = qkv + (batch * t * 3 * c + row * 3 * c + head * hs)
                    var scores = [Double](repeating: 0, count: row + 1)
                    for j in 0...row {
                        let k = qkv + (batch * t * 3 * c + j * 3 * c + c + head * hs)
                        var dot: Double = 0
                        for i in 0..<hs { dot += Double(q[i]) * Double(k[i]) }
                        scores[j] = dot * scale
                    }
                    let m = scores.max() ?? 0
                    let e = scores.map { exp($0 - m) }
                    let sum = e.reduce(0, +)
                    let attRow = att + ((batch * heads + head) * t * t + row * t)
                    for j in 0..<t { attRow[j] = j <= row ? Float(e[j] / sum) : 0 }
                    let o = out + (batch * t * c + row * c + head * hs)
                    let base = (batch * heads + head) * t * t + row * t
                    let weights = (0...row).map { j -> Double in
                        guard let mask else { return e[j] / sum }
                        return mask.keeps(base + j) ? e[j] / sum * Double(mask.scale) : 0
                    }
                    for i in 0..<hs {
                        var acc: Double = 0
                        for j in 0...row {
                            acc += weights[j] * Double(qkv[batch * t * 3 * c + j * 3 * c + 2 * c + head * hs + i])
                        }
                        o[i] = Float(acc)
                    }
                }
            }
        }
    }
}
