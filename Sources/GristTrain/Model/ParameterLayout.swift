/// Where each parameter tensor sits in the one flat allocation that holds them all (llm.c's
/// `ParameterTensors`): AdamW is then one loop, and a checkpoint is one write.
///
/// Weights are stored (out, in): row o holds what output o reads, so a layer is inp · Wᵀ.
/// Per-layer tensors are stacked with the layer first: qkvw is (L, 3C, C).
public struct ParameterLayout: Sendable {
    public enum Tensor: Int, CaseIterable, Sendable {
        case wte, wpe, ln1w, ln1b, qkvw, qkvb, attprojw, attprojb, ln2w, ln2b, fcw, fcb, fcprojw, fcprojb, lnfw, lnfb

        /// The name used in checkpoints.
        public var name: String { String(describing: self) }

        /// Whether AdamW decays it by default: matrices of the blocks, not biases, LayerNorms or embeddings.
        public var isBlockMatrix: Bool { [.qkvw, .attprojw, .fcw, .fcprojw].contains(self) }

        public var isEmbedding: Bool { self == .wte || self == .wpe }
    }

    public let config: GPTConfig
    public let shapes: [[Int]]
    public let offsets: [Int]
    public let count: Int

    public init(_ config: GPTConfig) {
        self.config = config
        let l = config.layers, c = config.channels
        let shapes: [[Int]] = Tensor.allCases.map { tensor in
            switch tensor {
            case .wte: return [config.paddedVocabularySize, c]
            case .wpe: return [config.maxContext, c]
            case .ln1w, .ln1b, .ln2w, .ln2b, .attprojb, .fcprojb: return [l, c]
            case .qkvw: return [l, 3 * c, c]
            case .qkvb: return config.qkvBias ? [l, 3 * c] : [l, 0]
            case .attprojw: return [l, c, c]
            case .fcw: return [l, 4 * c, c]
            case .fcb: return [l, 4 * c]
            case .fcprojw: return [l, c, 4 * c]
            case .lnfw, .lnfb: return [c]
            }
        }
        var offsets: [Int] = [], total = 0
        for shape in shapes {
            offsets.append(total)
            total += shape.reduce(1, *)
        }
        self.shapes = shapes
        self.offsets = offsets
        count = total
    }

    public func range(_ tensor: Tensor) -> Range<Int> {
        offsets[tensor.rawValue]..<(offsets[tensor.rawValue] + shapes[tensor.rawValue].reduce(1, *))
    }

    public func shape(_ tensor: Tensor) -> [Int] { shapes[tensor.rawValue] }
}

/// Pointers to each tensor of one flat buffer laid out by ``ParameterLayout`` (parameters, gradients or
/// optimizer moments alike). Valid while the buffer lives.
struct ParameterViews {
    let wte, wpe, ln1w, ln1b, qkvw, qkvb, attprojw, attprojb, ln2w, ln2b, fcw, fcb, fcprojw, fcprojb, lnfw, lnfb:
        UnsafeMutablePointer<Float>
    let qkvBias: Bool

    init(_ base: UnsafeMutablePointer<Float>, _ layout: ParameterLayout) {
        func at(_ tensor: ParameterLayout.Tensor) -> UnsafeMutablePointer<Float> { base + layout.range(tensor).lowerBound }
        wte = at(.wte); wpe = at(.wpe); ln1w = at(.ln1w); ln1b = at(.ln1b); qkvw = at(.qkvw); qkvb = at(.qkvb)
        attprojw = at(.attprojw); attprojb = at(.attprojb); ln2w = at(.ln2w); ln2b = at(.ln2b); fcw = at(.fcw)
        fcb = at(.fcb); fcprojw = at(.fcprojw); fcprojb = at(.fcprojb); lnfw = at(.lnfw); lnfb = at(.lnfb)
        qkvBias = layout.config.qkvBias
    }
}
