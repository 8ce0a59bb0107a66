import GristCore

/// A GPT-2-architecture model: parameters in one flat buffer, forward and backward passes over a batch,
/// gradients accumulated in a second flat buffer (llm.c's `gpt2_forward` / `gpt2_backward`).
///
/// Shapes: B sequences of T ≤ `maxContext` tokens; C channels, L layers, NH heads, Vp padded vocabulary.
/// Not thread-safe: one pass at a time (the kernels inside a pass use ``parallel``).
public final class GPT {
    public let config: GPTConfig
    public let layout: ParameterLayout
    /// All parameters, laid out by ``layout``.
    public let parameters: FloatBuffer
    /// Gradients of the parameters (same layout), accumulated by ``backward(lossScale:)`` until
    /// ``zeroGradients()``.
    public let gradients: FloatBuffer
    public var parallel: Parallelism

    private var activations: FloatBuffer?
    private var activationGradients: FloatBuffer?
    private var tokens: [Int32] = []
    private var targets: [Int32] = []
    /// Shape and state of the last forward pass.
    public private(set) var batchSize = 0
    public private(set) var sequenceLength = 0
    private var hasTargets = false
    private var dropoutPass: UInt64?
    private var dropoutSeed: UInt64 = 0

    public init(config: GPTConfig, parallel: Parallelism = .serial) {
        precondition(config.problems.isEmpty, "bad model shape: \(config.problems.joined(separator: "; "))")
        self.config = config
        layout = ParameterLayout(config)
        parameters = FloatBuffer(count: layout.count)
        gradients = FloatBuffer(count: layout.count)
        self.parallel = parallel
    }

    var views: ParameterViews { ParameterViews(parameters.base, layout) }

    // MARK: - Initialization

    /// GPT-2's initialization: weights and embeddings ~ N(0, 0.02²), the two residual projections of each
    /// block ~ N(0, (0.02/√(2L))²), biases 0, LayerNorm weights 1. Padding rows of `wte` stay 0.
    public func initialize(seed: UInt64) {
        var rng = SplitMix64(seed: SplitMix64.key(seed: seed, 0x1417))
        let p = parameters.base
        parameters.zero()
        let residualStd = 0.02 / Double(2 * config.layers).squareRoot()
        for tensor in ParameterLayout.Tensor.allCases {
            let range = layout.range(tensor)
            switch tensor {
            case .wte:
                fillNormal(p + range.lowerBound, count: config.vocabularySize * config.channels, std: 0.02, &rng)
            case .wpe, .qkvw, .fcw:
                fillNormal(p + range.lowerBound, count: range.count, std: 0.02, &rng)
            case .attprojw, .fcprojw:
                fillNormal(p + range.lowerBound, count: range.count, std: residualStd, &rng)
            case .ln1w, .ln2w, .lnfw:
                (p + range.lowerBound).update(repeating: 1, count: range.count)
            default:
                break
            }
        }
    }

    private func fillNormal(_ x: UnsafeMutablePointer<Float>, count: Int, std: Double, _ rng: inout SplitMix64) {
        var i = 0
        while i < count {
            // Box–Muller: two uniform numbers in (0, 1] give two normal ones.
            let u1 = Double((rng.next() >> 11) + 1) * 0x1.0p-53, u2 = Double(rng.next() >> 11) * 0x1.0p-53
            let radius = (-2 * _log(u1)).squareRoot()
            x[i] = Float(std * radius * _cos(2 * Double.pi * u2))
            if i + 1 < count { x[i + 1] = Float(std * radius * _sin(2 * Double.pi * u2)) }
            i += 2
        }
    }

    // MARK: - Forward

    /// Runs the model on `tokens` (B·T ids, row-major). With `targets` (B·T ids), computes the
    /// cross-entropy and returns its mean, leaving the probabilities for ``backward(lossScale:)``;
    /// without, leaves the logits (see ``logits(position:)``) and returns nil.
    ///
    /// - Parameter dropout: the seed and a pass number for dropout masks; nil runs without dropout
    ///   (evaluation and generation).
    @discardableResult
    public func forward(tokens: UnsafeBufferPointer<Int32>, targets: UnsafeBufferPointer<Int32>?, batchSize b: Int,
                        sequenceLength t: Int, dropout: (seed: UInt64, pass: UInt64)? = nil) -> Float? {
        precondition(t >= 1 && t <= config.maxContext, "sequence length \(t) outside 1...\(config.maxContext)")
        precondition(tokens.count == b * t, "expected \(b * t) tokens")
        precondition(targets == nil || targets?.count == b * t, "expected \(b * t) targets")
        for token in tokens { precondition(token >= 0 && Int(token) < config.vocabularySize, "token \(token) out of range") }
        let n = b * t, c = config.channels, l = config.layers, nh = config.heads, vp = config.paddedVocabularySize
        let actLayout = ActivationLayout(config, b: b, t: t)
        if activations == nil || activations!.count < actLayout.count {
            activations = FloatBuffer(count: actLayout.count)
        }
        guard let activations else { return nil }
        batchSize = b
        sequenceLength = t
        self.tokens = Array(tokens)
        self.targets = targets.map(Array.init) ?? []
        hasTargets = targets != nil
        dropoutPass = config.dropout > 0 ? dropout?.pass : nil
        dropoutSeed = dropout?.seed ?? 0

        let p = views, a = ActivationViews(activations.base, actLayout)
        self.tokens.withUnsafeBufferPointer { ids in
            Encoder.forward(out: a.encoded, tokens: ids.baseAddress!, wte: p.wte, wpe: p.wpe, b: b, t: t, c: c, parallel)
        }
        applyDropout(a.encoded, count: n * c, site: 0)
        for layer in 0..<l {
            let residual = layer == 0 ? a.encoded : a.residual3 + (layer - 1) * n * c
            let ln1 = a.ln1 + layer * n * c, qkv = a.qkv + layer * n * 3 * c, atty = a.atty + layer * n * c
            let att = a.att + layer * b * nh * t * t, attproj = a.attproj + layer * n * c
            let residual2 = a.residual2 + layer * n * c, ln2 = a.ln2 + layer * n * c
            let fch = a.fch + layer * n * 4 * c, fchGelu = a.fchGelu + layer * n * 4 * c
            let fcproj = a.fcproj + layer * n * c, residual3 = a.residual3 + layer * n * c
            LayerNorm.forward(out: ln1, mean: a.ln1Mean + layer * n, rstd: a.ln1Rstd + layer * n, inp: residual,
                              weight: p.ln1w + layer * c, bias: p.ln1b + layer * c, n: n, c: c, parallel)
            Matmul.forward(out: qkv, inp: ln1, weight: p.qkvw + layer * 3 * c * c,
                           bias: p.qkvBias ? UnsafePointer(p.qkvb + layer * 3 * c) : nil, n: n, c: c, oc: 3 * c, parallel)
            Attention.forward(out: atty, att: att, qkv: qkv, b: b, t: t, c: c, heads: nh, parallel,
                              dropout: attentionMask(layer: layer))
            Matmul.forward(out: attproj, inp: atty, weight: p.attprojw + layer * c * c, bias: p.attprojb + layer * c,
                           n: n, c: c, oc: c, parallel)
            applyDropout(attproj, count: n * c, site: 1 + 2 * UInt64(layer))
            Residual.forward(out: residual2, a: residual, b: attproj, count: n * c, parallel)
            LayerNorm.forward(out: ln2, mean: a.ln2Mean + layer * n, rstd: a.ln2Rstd + layer * n, inp: residual2,
                              weight: p.ln2w + layer * c, bias: p.ln2b + layer * c, n: n, c: c, parallel)
            Matmul.forward(out: fch, inp: ln2, weight: p.fcw + layer * 4 * c * c, bias: p.fcb + layer * 4 * c,
                           n: n, c: c, oc: 4 * c, parallel)
            GELU.forward(out: fchGelu, inp: fch, count: n * 4 * c, parallel)
            Matmul.forward(out: fcproj, inp: fchGelu, weight: p.fcprojw + layer * 4 * c * c, bias: p.fcprojb + layer * c,
                           n: n, c: 4 * c, oc: c, parallel)
            applyDropout(fcproj, count: n * c, site: 2 + 2 * UInt64(layer))
            Residual.forward(out: residual3, a: residual2, b: fcproj, count: n * c, parallel)
        }
        LayerNorm.forward(out: a.lnf, mean: a.lnfMean, rstd: a.lnfRstd, inp: a.residual3 + (l - 1) * n * c,
                          weight: p.lnfw, bias: p.lnfb, n: n, c: c, parallel)
        Matmul.forward(out: a.logits, inp: a.lnf, weight: p.wte, bias: nil, n: n, c: c, oc: vp, parallel)
        guard hasTargets else { return nil }
        return self.targets.withUnsafeBufferPointer { y in
            CrossEntropy.forward(losses: a.losses, logits: a.logits, targets: y.baseAddress!, n: n,
                                 v: config.vocabularySize, vp: vp, parallel)
            var total: Double = 0
            for i in 0..<n { total += Double(a.losses[i]) }
            return Float(total / Double(n))
        }
    }

    /// The attention-probability dropout mask of `layer` in this pass (nil without dropout). Its sites
    /// come after the residual ones (0 … 2L).
    private func attentionMask(layer: Int) -> Dropout.Mask? {
        guard let pass = dropoutPass else { return nil }
        let site = 1 + 2 * UInt64(config.layers) + UInt64(layer)
        return Dropout.Mask(rate: config.dropout, key: Dropout.key(seed: dropoutSeed, pass: pass, site: site))
    }

    private func applyDropout(_ x: UnsafeMutablePointer<Float>, count: Int, site: UInt64) {
        guard let pass = dropoutPass else { return }
        Dropout.apply(x, count: count, rate: config.dropout,
                      key: Dropout.key(seed: dropoutSeed, pass: pass, site: site), parallel)
    }

    /// The logits (or, after a forward pass with targets, the probabilities) at one position of the
    /// last forward pass: `position` = b·T + t. Only the first `vocabularySize` entries are real.
    public func logits(position: Int) -> UnsafeBufferPointer<Float> {
        precondition(position >= 0 && position < batchSize * sequenceLength, "position out of range")
        let layout = ActivationLayout(config, b: batchSize, t: sequenceLength)
        let base = layout.pointer(.logits, in: activations!.base) + position * config.paddedVocabularySize
        return UnsafeBufferPointer(start: base, count: config.vocabularySize)
    }

    /// The per-position losses of the last forward pass with targets (B·T values).
    public var losses: [Float] {
        guard hasTargets, let activations else { return [] }
        let layout = ActivationLayout(config, b: batchSize, t: sequenceLength)
        return Array(UnsafeBufferPointer(start: layout.pointer(.losses, in: activations.base),
                                         count: batchSize * sequenceLength))
    }

    // MARK: - Backward

    public func zeroGradients() { gradients.zero() }

    /// Adds to ``gradients`` the gradient of `lossScale` × the mean loss of the last forward pass
    /// (e.g. 1 / accumulation steps). Consumes that pass: the probabilities become logit gradients.
    public func backward(lossScale: Float = 1) {
        precondition(hasTargets, "backward needs a forward pass with targets")
        hasTargets = false
        let b = batchSize, t = sequenceLength
        let n = b * t, c = config.channels, l = config.layers, nh = config.heads, vp = config.paddedVocabularySize
        let actLayout = ActivationLayout(config, b: b, t: t)
        let gradLayout = ActivationLayout(config, b: b, t: t, includeLogits: false)
        if activationGradients == nil || activationGradients!.count < gradLayout.count {
            activationGradients = FloatBuffer(count: gradLayout.count)
        }
        guard let activations, let activationGradients else { return }
        activationGradients.zero(first: gradLayout.count)
        let p = views, dp = ParameterViews(gradients.base, layout)
        let a = ActivationViews(activations.base, actLayout), g = ActivationViews(activationGradients.base, gradLayout)

        targets.withUnsafeBufferPointer { y in
            CrossEntropy.backward(probs: a.logits, targets: y.baseAddress!, n: n, v: config.vocabularySize, vp: vp,
                                  scale: lossScale / Float(n), parallel)
        }
        Matmul.backward(dinp: g.lnf, dweight: dp.wte, dbias: nil, dout: a.logits, inp: a.lnf, weight: p.wte,
                        n: n, c: c, oc: vp, parallel)
        let lastResidual = a.residual3 + (l - 1) * n * c
        LayerNorm.backward(dinp: g.residual3 + (l - 1) * n * c, dweight: dp.lnfw, dbias: dp.lnfb, dout: g.lnf,
                           inp: lastResidual, weight: p.lnfw, mean: a.lnfMean, rstd: a.lnfRstd, n: n, c: c, parallel)
        for layer in stride(from: l - 1, through: 0, by: -1) {
            let residual = layer == 0 ? a.encoded : a.residual3 + (layer - 1) * n * c
            let dresidual = layer == 0 ? g.encoded : g.residual3 + (layer - 1) * n * c
            let o1 = layer * n * c, o3 = layer * n * 3 * c, o4 = layer * n * 4 * c, on = layer * n
            let att = a.att + layer * b * nh * t * t, scratch = g.att + layer * b * nh * t * t

            Residual.backward(da: g.residual2 + o1, db: g.fcproj + o1, dout: g.residual3 + o1, count: n * c, parallel)
            applyDropout(g.fcproj + o1, count: n * c, site: 2 + 2 * UInt64(layer))
            Matmul.backward(dinp: g.fchGelu + o4, dweight: dp.fcprojw + layer * 4 * c * c, dbias: dp.fcprojb + layer * c,
                            dout: g.fcproj + o1, inp: a.fchGelu + o4, weight: p.fcprojw + layer * 4 * c * c,
                            n: n, c: 4 * c, oc: c, parallel)
            GELU.backward(dinp: g.fch + o4, inp: a.fch + o4, dout: g.fchGelu + o4, count: n * 4 * c, parallel)
            Matmul.backward(dinp: g.ln2 + o1, dweight: dp.fcw + layer * 4 * c * c, dbias: dp.fcb + layer * 4 * c,
                            dout: g.fch + o4, inp: a.ln2 + o1, weight: p.fcw + layer * 4 * c * c,
                            n: n, c: c, oc: 4 * c, parallel)
            LayerNorm.backward(dinp: g.residual2 + o1, dweight: dp.ln2w + layer * c, dbias: dp.ln2b + layer * c,
                               dout: g.ln2 + o1, inp: a.residual2 + o1, weight: p.ln2w + layer * c,
                               mean: a.ln2Mean + on, rstd: a.ln2Rstd + on, n: n, c: c, parallel)
            Residual.backward(da: dresidual, db: g.attproj + o1, dout: g.residual2 + o1, count: n * c, parallel)
            applyDropout(g.attproj + o1, count: n * c, site: 1 + 2 * UInt64(layer))
            Matmul.backward(dinp: g.atty + o1, dweight: dp.attprojw + layer * c * c, dbias: dp.attprojb + layer * c,
                            dout: g.attproj + o1, inp: a.atty + o1, weight: p.attprojw + layer * c * c,
                            n: n, c: c, oc: c, parallel)
            Attention.backward(dqkv: g.qkv + o3, scratch: scratch, dout: g.atty + o1, qkv: a.qkv + o3, att: att,
                               b: b, t: t, c: c, heads: nh, parallel, dropout: attentionMask(layer: layer))
            Matmul.backward(dinp: g.ln1 + o1, dweight: dp.qkvw + layer * 3 * c * c,
                            dbias: dp.qkvBias ? dp.qkvb + layer * 3 * c : nil, dout: g.qkv + o3, inp: a.ln1 + o1,
                            weight: p.qkvw + layer * 3 * c * c, n: n, c: c, oc: 3 * c, parallel)
            LayerNorm.backward(dinp: dresidual, dweight: dp.ln1w + layer * c, dbias: dp.ln1b + layer * c,
                               dout: g.ln1 + o1, inp: residual, weight: p.ln1w + layer * c,
                               mean: a.ln1Mean + on, rstd: a.ln1Rstd + on, n: n, c: c, parallel)
        }
        applyDropout(g.encoded, count: n * c, site: 0)
        tokens.withUnsafeBufferPointer { ids in
            Encoder.backward(dwte: dp.wte, dwpe: dp.wpe, dout: g.encoded, tokens: ids.baseAddress!, b: b, t: t, c: c,
                             parallel)
        }
    }
}

#if canImport(Glibc)
import Glibc
private func _log(_ x: Double) -> Double { Glibc.log(x) }
private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#endif
