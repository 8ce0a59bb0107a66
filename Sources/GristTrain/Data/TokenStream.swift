import GristCore
import GristShards

/// The shards of one split read as one stream of tokens, in shard order (whole documents per shard,
/// so a window may span two shards).
public final class TokenStream: @unchecked Sendable {
    public let shards: [ShardReader]
    /// Token index where each shard starts.
    private let starts: [Int]
    public let count: Int

    public init(paths: [String]) throws {
        shards = try paths.map(ShardReader.init(path:))
        var starts: [Int] = [], total = 0
        for shard in shards {
            starts.append(total)
            total += shard.tokenCount
        }
        self.starts = starts
        count = total
    }

    /// Copies tokens `start ..< start + length` into `out`, checking each is below `vocabularySize`.
    /// - Throws: `GristError(.mismatch)` naming the shard and the token's index in it.
    public func copy(from start: Int, length: Int, into out: UnsafeMutablePointer<Int32>, vocabularySize: Int) throws {
        precondition(start >= 0 && start + length <= count, "window outside the stream")
        var shardIndex = shardContaining(start), position = start, written = 0
        while written < length {
            let shard = shards[shardIndex], local = position - starts[shardIndex]
            let take = min(length - written, shard.tokenCount - local)
            for i in 0..<take {
                let token = shard.token(at: local + i)
                if Int(token) >= vocabularySize {
                    throw GristError(.mismatch, "token \(token) at index \(local + i) is outside the model's vocabulary of \(vocabularySize)",
                                     at: InputPosition(path: shard.path, byteOffset: ShardHeader.byteCount + 2 * (local + i)),
                                     hint: "the shards were made with a different tokenizer than the model expects")
                }
                out[written + i] = Int32(token)
            }
            written += take
            position += take
            shardIndex += 1
        }
    }

    private func shardContaining(_ position: Int) -> Int {
        var low = 0, high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= position { low = mid } else { high = mid - 1 }
        }
        // Skip empty shards that start at the same index.
        while low + 1 < starts.count, starts[low + 1] <= position { low += 1 }
        return low
    }

    /// Largest token id in the stream (a full scan).
    public func maxToken() -> Int {
        var best = 0
        for shard in shards {
            for i in 0..<shard.tokenCount { best = max(best, Int(shard.token(at: i))) }
        }
        return best
    }

    /// Unigram entropy of the stream in nats: the loss of a model that knows only token frequencies,
    /// the baseline a trained model must beat.
    public func unigramEntropy(vocabularySize: Int) -> Double {
        var counts = [Int](repeating: 0, count: max(vocabularySize, maxTokenBound))
        for shard in shards {
            for i in 0..<shard.tokenCount { counts[Int(shard.token(at: i))] += 1 }
        }
        let total = Double(count)
        guard total > 0 else { return 0 }
        var entropy = 0.0
        for n in counts where n > 0 {
            let p = Double(n) / total
            entropy -= p * _log(p)
        }
        return entropy
    }

    private var maxTokenBound: Int { 1 << 16 }
}

#if canImport(Glibc)
import Glibc
private func _log(_ x: Double) -> Double { Glibc.log(x) }
#endif
