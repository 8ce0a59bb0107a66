import GristCore

/// Inverted dropout with masks that are a hash of (seed, step, site, element), never stored: the
/// backward pass recomputes the same mask, and the result does not depend on the thread count.
///
/// Applied in place to the output of the embeddings and of each block's attention and MLP projections
/// (GPT-2's residual dropout), and to the attention probabilities (`Attention`, with a `Mask`).
enum Dropout {
    /// x[i] = keep(i) ? x[i] / (1 − rate) : 0.
    static func apply(_ x: UnsafeMutablePointer<Float>, count: Int, rate: Float, key: UInt64,
                      _ parallel: Parallelism) {
        guard rate > 0 else { return }
        let p = SharedPointer(x)
        let mask = Mask(rate: rate, key: key)
        parallel.forChunks(count, grain: 1 << 14) { range in
            for i in range { p.base[i] = mask.keeps(i) ? p.base[i] * mask.scale : 0 }
        }
    }

    /// One dropout mask: element i is kept when a hash of (key, i) clears the rate; kept values are
    /// scaled by 1 / (1 − rate).
    struct Mask: Sendable {
        let key: UInt64
        let threshold: UInt64
        let scale: Float

        init(rate: Float, key: UInt64) {
            self.key = key
            threshold = UInt64(Double(rate) * 16_777_216)
            scale = 1 / (1 - rate)
        }

        @inline(__always)
        func keeps(_ i: Int) -> Bool { (SplitMix64.mix(key ^ UInt64(i)) >> 40) >= threshold }
    }

    /// The mask key of one site in one forward pass.
    static func key(seed: UInt64, pass: UInt64, site: UInt64) -> UInt64 {
        SplitMix64.key(seed: seed, pass, site)
    }
}
