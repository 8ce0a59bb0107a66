import GristCore

/// How training windows are chosen from the token stream.
public enum BatchSampling: Sendable, Equatable {
    /// Windows at 0, stride, 2·stride, … in order, wrapping around at the end (the sliding window of
    /// "LLMs from scratch": `max_length` = T, `stride`). stride = T gives non-overlapping windows.
    case sequential(stride: Int)
    /// Windows at positions drawn uniformly from the stream, a function of the seed and the window's
    /// number only.
    case random
}

/// Cuts batches of B windows of T + 1 tokens from a ``TokenStream``: inputs are a window's first T
/// tokens, targets its last T.
///
/// The whole state is ``windowsConsumed``: window k's position depends only on k (and the seed), so a
/// checkpoint that saves this one number resumes on exactly the batches an uninterrupted run would see.
public final class BatchLoader {
    public let stream: TokenStream
    public let batchSize: Int
    public let sequenceLength: Int
    public let sampling: BatchSampling
    public let seed: UInt64
    public let vocabularySize: Int
    /// Windows handed out so far.
    public var windowsConsumed = 0
    private var window: [Int32]

    public init(stream: TokenStream, batchSize: Int, sequenceLength: Int, sampling: BatchSampling, seed: UInt64,
                vocabularySize: Int, name: String) throws {
        guard stream.count >= sequenceLength + 1 else {
            throw GristError(.usage, "the \(name) split has \(NumberText.grouped(stream.count)) tokens, fewer than one window of \(sequenceLength + 1)",
                             hint: "use a shorter sequence length or more data")
        }
        if case .sequential(let stride) = sampling, stride < 1 {
            throw GristError(.usage, "the window stride must be at least 1, got \(stride)")
        }
        self.stream = stream
        self.batchSize = batchSize
        self.sequenceLength = sequenceLength
        self.sampling = sampling
        self.seed = seed
        self.vocabularySize = vocabularySize
        window = [Int32](repeating: 0, count: sequenceLength + 1)
    }

    /// Distinct windows in one pass over the stream (sequential sampling).
    public var windowsPerEpoch: Int {
        switch sampling {
        case .sequential(let stride): return (stream.count - sequenceLength - 1) / stride + 1
        case .random: return max(1, (stream.count - sequenceLength - 1) / sequenceLength + 1)
        }
    }

    /// Where window `k` starts.
    public func start(ofWindow k: Int) -> Int {
        switch sampling {
        case .sequential(let stride):
            return (k % windowsPerEpoch) * stride
        case .random:
            return Int(SplitMix64.key(seed: seed, 0xDA7A, UInt64(k)) % UInt64(stream.count - sequenceLength))
        }
    }

    /// Fills `inputs` and `targets` (B·T each) with the next batch.
    public func next(inputs: inout [Int32], targets: inout [Int32]) throws {
        let t = sequenceLength
        if inputs.count != batchSize * t { inputs = [Int32](repeating: 0, count: batchSize * t) }
        if targets.count != batchSize * t { targets = [Int32](repeating: 0, count: batchSize * t) }
        for row in 0..<batchSize {
            let start = start(ofWindow: windowsConsumed)
            try window.withUnsafeMutableBufferPointer { w in
                try stream.copy(from: start, length: t + 1, into: w.baseAddress!, vocabularySize: vocabularySize)
            }
            for i in 0..<t {
                inputs[row * t + i] = window[i]
                targets[row * t + i] = window[i + 1]
            }
            windowsConsumed += 1
        }
    }
}
