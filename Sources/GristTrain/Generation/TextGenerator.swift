import GristCore

/// How the next token is drawn from the model's distribution.
public struct SamplingSettings: Sendable, Equatable {
    /// Divides the logits; 0 means greedy (always the most likely token).
    public var temperature: Double = 1
    /// Keep only the k most likely tokens (0: all).
    public var topK: Int = 0
    /// Keep the smallest set of most likely tokens whose probabilities add up to p (1: all).
    public var topP: Double = 1
    public var seed: UInt64 = 0

    public init(temperature: Double = 1, topK: Int = 0, topP: Double = 1, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
    }
}

/// Autoregressive sampling from a model: each new token is drawn from the model's distribution at the
/// last position of the context (at most the model's context length of the latest tokens).
public enum TextGenerator {
    /// Continues `prompt` by `count` tokens (the prompt must not be empty); returns only the new tokens.
    /// Same model, prompt and settings give the same tokens.
    public static func generate(model: GPT, prompt: [Int32], count: Int, settings: SamplingSettings,
                                stop: Int32? = nil) -> [Int32] {
        precondition(!prompt.isEmpty, "generation needs at least one prompt token")
        var rng = SplitMix64(seed: SplitMix64.key(seed: settings.seed, 0x5A3F1E))
        var context = prompt, generated: [Int32] = []
        for _ in 0..<count {
            let window = Array(context.suffix(model.config.maxContext))
            _ = window.withUnsafeBufferPointer { model.forward(tokens: $0, targets: nil, batchSize: 1, sequenceLength: window.count) }
            let next = sample(model.logits(position: window.count - 1), settings, &rng)
            generated.append(next)
            context.append(next)
            if next == stop { break }
        }
        return generated
    }

    /// Draws one token id from `logits` under `settings`.
    static func sample(_ logits: UnsafeBufferPointer<Float>, _ settings: SamplingSettings, _ rng: inout SplitMix64) -> Int32 {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        if settings.temperature <= 0 { return Int32(best) }
        // Candidates sorted by logit, highest first (ties by id, so the order is deterministic).
        let before: (Int, Int) -> Bool = { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        var order: [Int]
        if settings.topK > 0, settings.topK < logits.count {
            order = topIndices(logits, k: settings.topK, before: before)
        } else {
            order = Array(logits.indices)
            if settings.topP < 1 { order.sort(by: before) }
        }
        let top = Double(logits[best])
        var weights = order.map { _exp((Double(logits[$0]) - top) / settings.temperature) }
        if settings.topP < 1 {
            let total = weights.reduce(0, +)
            var cumulative = 0.0, keep = 0
            for w in weights {
                keep += 1
                cumulative += w / total
                if cumulative >= settings.topP { break }
            }
            weights = Array(weights.prefix(keep))
            order = Array(order.prefix(keep))
        }
        let total = weights.reduce(0, +)
        var target = Double(rng.next() >> 11) * 0x1.0p-53 * total
        for (index, w) in zip(order, weights) {
            target -= w
            if target < 0 { return Int32(index) }
        }
        return Int32(order.last ?? best)
    }
}

/// The k best indices in order, by insertion into a short sorted list (O(V·log k), no full sort).
private func topIndices(_ logits: UnsafeBufferPointer<Float>, k: Int, before: (Int, Int) -> Bool) -> [Int] {
    var top: [Int] = []
    top.reserveCapacity(k + 1)
    for i in logits.indices {
        if top.count == k, let last = top.last, !before(i, last) { continue }
        var low = 0, high = top.count
        while low < high {
            let mid = (low + high) / 2
            if before(top[mid], i) { low = mid + 1 } else { high = mid }
        }
        top.insert(i, at: low)
        if top.count > k { top.removeLast() }
    }
    return top
}

#if canImport(Glibc)
import Glibc
private func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#endif
