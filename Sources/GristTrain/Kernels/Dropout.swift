import GristCore

/// Inverted dropout with masks that are a hash of (seed, step, site, element), never stored: the
/// backward pass recomputes the same mask, and the result does not depend on the thread count.
///
/// Applied in place to the output of the embeddings and of each block's attention and MLP projections
/// (GPT-2's residual dropout). Attention-probability dropout is not implemented.
enum Dropout {
    /// x[i] = keep(i) ? x[i] / (1 − rate) : 0.
    static func apply(_ x: UnsafeMutablePointer<Float>, count: Int, rate: Float, key: UInt64,
                      _ parallel: Parallelism) {
        guard rate > 0 else { return }
        let p = SharedPointer(x)
        let threshold = UInt64(Double(rate) * 16_777_216), scale = 1 / (1 - rate)
        parallel.forChunks(count, grain: 1 << 14) { range in
            for i in range {
                let keep = (SplitMix64.mix(key ^ UInt64(i)) >> 40) >= threshold
                p.base[i] = keep ? p.base[i] * scale : 0
            }
        }
    }

    /// The mask key of one site in one forward pass.
    static func key(seed: UInt64, pass: UInt64, site: UInt64) -> UInt64 {
        SplitMix64.key(seed: seed, pass, site)
    }
}
