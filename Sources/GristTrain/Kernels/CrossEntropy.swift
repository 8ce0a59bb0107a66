#if canImport(Glibc)
import Glibc
#endif

/// Softmax and cross-entropy over the vocabulary, fused and in place (the logits buffer becomes the
/// probabilities, then the logit gradients), so the largest activation exists once.
///
/// Shapes: logits (N, Vp) with N = B·T rows, of which the first V columns are real tokens and the rest
/// padding (never scored: probability and gradient 0); targets (N); losses (N).
enum CrossEntropy {
    /// Turns each row of logits into probabilities and sets losses[row] = −log p[target].
    /// Each row is written by one item.
    static func forward(losses: UnsafeMutablePointer<Float>, logits: UnsafeMutablePointer<Float>,
                        targets: UnsafePointer<Int32>, n: Int, v: Int, vp: Int, _ parallel: Parallelism) {
        let l = SharedPointer(losses), x = SharedPointer(logits), y = SharedPointer(targets)
        parallel.forChunks(n, grain: 4) { rows in
            for row in rows {
                let r = x + row * vp
                let target = Int(y.base[row])
                let targetLogit = r[target]
                let m = vectorMax(r, v)
                var acc = Vec(), i = 0
                while i + 16 <= v {
                    let e = vectorExp(load(r + i) - m)
                    store(e, r + i)
                    acc += e
                    i += 16
                }
                var sum = acc.sum()
                while i < v { let e = scalarExp(r[i] - m); r[i] = e; sum += e; i += 1 }
                let inverse = 1 / sum
                for j in 0..<v { r[j] *= inverse }
                for j in v..<vp { r[j] = 0 }
                l.base[row] = Float(log(Double(sum)) + Double(m) - Double(targetLogit))
            }
        }
    }

    /// Replaces probabilities with ∂L/∂logits = (p − 1[target]) · scale, where L = scale · Σ losses.
    static func backward(probs: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, n: Int, v: Int,
                         vp: Int, scale: Float, _ parallel: Parallelism) {
        let x = SharedPointer(probs), y = SharedPointer(targets)
        parallel.forChunks(n, grain: 4) { rows in
            for row in rows {
                let r = x + row * vp
                for j in 0..<v { r[j] *= scale }
                r[Int(y.base[row])] -= scale
            }
        }
    }

    /// Plain double-precision reference: losses only, logits untouched.
    static func lossReference(logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, n: Int, v: Int,
                              vp: Int) -> [Double] {
        (0..<n).map { row in
            let r = logits + row * vp
            var m = -Double.infinity
            for j in 0..<v { m = max(m, Double(r[j])) }
            var sum: Double = 0
            for j in 0..<v { sum += exp(Double(r[j]) - m) }
            return log(sum) + m - Double(r[Int(targets[row])])
        }
    }
}
