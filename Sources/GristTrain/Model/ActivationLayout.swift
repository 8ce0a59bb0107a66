/// Where each activation of one forward pass sits in its flat buffer, for a batch of B sequences of T
/// tokens (llm.c's `ActivationTensors`). The backward pass uses a second buffer of the same layout for
/// the gradients of the activations (without the logits, whose gradient replaces them in place).
struct ActivationLayout {
    enum Tensor: Int, CaseIterable {
        case encoded, ln1, ln1Mean, ln1Rstd, qkv, atty, att, attproj, residual2, ln2, ln2Mean, ln2Rstd, fch,
             fchGelu, fcproj, residual3, lnf, lnfMean, lnfRstd, logits, losses
    }

    let b: Int, t: Int
    let sizes: [Int]
    let offsets: [Int]
    let count: Int

    init(_ config: GPTConfig, b: Int, t: Int, includeLogits: Bool = true) {
        self.b = b
        self.t = t
        let n = b * t, c = config.channels, l = config.layers
        let sizes: [Int] = Tensor.allCases.map { tensor in
            switch tensor {
            case .encoded, .lnf: return n * c
            case .ln1, .atty, .attproj, .residual2, .ln2, .fcproj, .residual3: return l * n * c
            case .ln1Mean, .ln1Rstd, .ln2Mean, .ln2Rstd: return l * n
            case .qkv: return l * n * 3 * c
            case .att: return l * b * config.heads * t * t
            case .fch, .fchGelu: return l * n * 4 * c
            case .lnfMean, .lnfRstd, .losses: return n
            case .logits: return includeLogits ? n * config.paddedVocabularySize : 0
            }
        }
        var offsets: [Int] = [], total = 0
        for size in sizes {
            offsets.append(total)
            total += (size + 15) / 16 * 16  // keep every tensor 64-byte aligned
        }
        self.sizes = sizes
        self.offsets = offsets
        count = total
    }

    func pointer(_ tensor: Tensor, in base: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        base + offsets[tensor.rawValue]
    }
}

/// Pointers to the activations of one pass, with per-layer slices.
struct ActivationViews {
    let encoded, ln1, ln1Mean, ln1Rstd, qkv, atty, att, attproj, residual2, ln2, ln2Mean, ln2Rstd, fch, fchGelu,
        fcproj, residual3, lnf, lnfMean, lnfRstd, logits, losses: UnsafeMutablePointer<Float>

    init(_ base: UnsafeMutablePointer<Float>, _ layout: ActivationLayout) {
        func at(_ tensor: ActivationLayout.Tensor) -> UnsafeMutablePointer<Float> { layout.pointer(tensor, in: base) }
        encoded = at(.encoded); ln1 = at(.ln1); ln1Mean = at(.ln1Mean); ln1Rstd = at(.ln1Rstd); qkv = at(.qkv)
        atty = at(.atty); att = at(.att); attproj = at(.attproj); residual2 = at(.residual2); ln2 = at(.ln2)
        ln2Mean = at(.ln2Mean); ln2Rstd = at(.ln2Rstd); fch = at(.fch); fchGelu = at(.fchGelu); fcproj = at(.fcproj)
        residual3 = at(.residual3); lnf = at(.lnf); lnfMean = at(.lnfMean); lnfRstd = at(.lnfRstd)
        logits = at(.logits); losses = at(.losses)
    }
}
