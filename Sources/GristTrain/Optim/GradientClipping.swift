/// The global L2 norm of all gradients, and clipping by it (Pascanu et al. 2013).
public enum GradientClipping {
    /// ‖g‖₂ over the whole buffer, summed in double precision over fixed chunks, so the result does not
    /// depend on the thread count.
    public static func globalNorm(_ gradients: FloatBuffer, _ parallel: Parallelism) -> Double {
        let grain = 1 << 16
        let chunks = (gradients.count + grain - 1) / grain
        var sums = [Double](repeating: 0, count: chunks)
        let g = SharedPointer(gradients.base), count = gradients.count
        sums.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress!)
            parallel.forEach(chunks) { chunk in
                let start = chunk * grain, end = min(count, start + grain)
                var acc = Vec(), i = start
                var total: Double = 0
                while i + 16 <= end {
                    let x = load(g + i)
                    acc += x * x
                    i += 16
                    if (i - start) % 1024 == 0 { total += Double(acc.sum()); acc = Vec() }
                }
                total += Double(acc.sum())
                while i < end { total += Double(g.base[i] * g.base[i]); i += 1 }
                out.base[chunk] = total
            }
        }
        return sums.reduce(0, +).squareRoot()
    }

    /// Scales the gradients so their norm is at most `maxNorm` (given their current `norm`); returns the
    /// factor applied (1 when no clipping was needed).
    @discardableResult
    public static func clip(_ gradients: FloatBuffer, norm: Double, maxNorm: Double, _ parallel: Parallelism) -> Float {
        guard maxNorm > 0, norm > maxNorm else { return 1 }
        let scale = Float(maxNorm / (norm + 1e-6))
        let g = SharedPointer(gradients.base)
        parallel.forChunks(gradients.count, grain: 1 << 16) { range in
            for i in range { g.base[i] *= scale }
        }
        return scale
    }
}
