/// AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization"), one loop over the flat
/// parameter buffer, with the moments `m` and `v` in buffers of the same layout.
///
/// Weight decay is decoupled (p ← p − lr·wd·p, then the Adam step) and applies by default only to the
/// matrices of the blocks: not to biases, LayerNorm parameters or embeddings (each configurable).
public final class AdamW {
    public struct Settings: Sendable, Equatable, Codable {
        public var beta1: Float = 0.9
        public var beta2: Float = 0.95
        public var epsilon: Float = 1e-8
        public var weightDecay: Float = 0.1
        /// Decay the token and position embeddings too.
        public var decayEmbeddings = false
        /// Decay biases and LayerNorm weights too.
        public var decayBiasesAndNorms = false

        public init() {}
    }

    public let settings: Settings
    public let m: FloatBuffer
    public let v: FloatBuffer
    /// Updates done so far (for bias correction); saved in checkpoints.
    public var stepCount = 0
    /// (range, decayed) for each tensor, in layout order.
    private let groups: [(Range<Int>, Bool)]

    public init(layout: ParameterLayout, settings: Settings) {
        self.settings = settings
        m = FloatBuffer(count: layout.count)
        v = FloatBuffer(count: layout.count)
        groups = ParameterLayout.Tensor.allCases.map { tensor in
            let decayed = tensor.isBlockMatrix || (tensor.isEmbedding && settings.decayEmbeddings)
                || (!tensor.isBlockMatrix && !tensor.isEmbedding && settings.decayBiasesAndNorms)
            return (layout.range(tensor), decayed)
        }
    }

    /// Whether the tensor at `offset` is weight-decayed (for tests and logs).
    public func isDecayed(offset: Int) -> Bool { groups.first { $0.0.contains(offset) }?.1 ?? false }

    /// One update of `parameters` from `gradients` at learning rate `lr`. Each item owns a range of
    /// elements.
    public func update(parameters: FloatBuffer, gradients: FloatBuffer, lr: Float, _ parallel: Parallelism) {
        stepCount += 1
        let s = settings
        let correction1 = 1 - pow(s.beta1, Float(stepCount)), correction2 = 1 - pow(s.beta2, Float(stepCount))
        let p = SharedPointer(parameters.base), g = SharedPointer(gradients.base)
        let mp = SharedPointer(m.base), vp = SharedPointer(v.base)
        for (range, decayed) in groups where !range.isEmpty {
            let decay = decayed ? 1 - lr * s.weightDecay : 1
            let lower = range.lowerBound
            parallel.forChunks(range.count, grain: 1 << 15) { chunk in
                for i in (chunk.lowerBound + lower)..<(chunk.upperBound + lower) {
                    let grad = g.base[i]
                    let mi = s.beta1 * mp.base[i] + (1 - s.beta1) * grad
                    let vi = s.beta2 * vp.base[i] + (1 - s.beta2) * grad * grad
                    mp.base[i] = mi
                    vp.base[i] = vi
                    let mHat = mi / correction1, vHat = vi / correction2
                    p.base[i] = p.base[i] * decay - lr * mHat / (vHat.squareRoot() + s.epsilon)
                }
            }
        }
    }
}

private func pow(_ base: Float, _ exponent: Float) -> Float {
    // Integer powers by repeated squaring: exact enough and free of libm differences.
    var result: Double = 1, b = Double(base), e = Int(exponent)
    while e > 0 {
        if e & 1 == 1 { result *= b }
        b *= b
        e >>= 1
    }
    return Float(result)
}
