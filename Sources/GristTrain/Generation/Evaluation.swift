import GristCore
import GristShards

/// Mean next-token cross-entropy of a model over a token file, as `grist eval` prints it.
public enum Evaluation {
    public struct Result: Sendable {
        public var loss: Double
        public var windows: Int
        public var predictions: Int
    }

    /// Tokens of an llm.c shard (recognized by its header) or of a raw little-endian uint16 file.
    public static func readTokens(path: String) throws -> [Int32] {
        let file = try MappedFile(path: path)
        let bytes = file.bytes
        if bytes.count >= ShardHeader.byteCount,
           Int32(littleEndian: bytes.loadUnaligned(as: Int32.self)) == ShardHeader.magic {
            let reader = try ShardReader(path: path)
            return (0..<reader.tokenCount).map { Int32(reader.token(at: $0)) }
        }
        guard bytes.count % 2 == 0 else {
            throw GristError(.badFormat, "\(bytes.count) bytes is not a whole number of uint16 tokens",
                             at: InputPosition(path: path), hint: "expected an llm.c .bin shard or raw little-endian uint16")
        }
        return (0..<(bytes.count / 2)).map { Int32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
    }

    /// Windows `tokens[k(T+1) ..< (k+1)(T+1)]` for k = 0, 1, … while whole; the first T tokens of each
    /// are the input, the last T the targets; returns the mean loss over every prediction.
    public static func meanLoss(model: GPT, tokens: [Int32], context t: Int, batchSize: Int = 4,
                                progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        guard t >= 1, t <= model.config.maxContext else {
            throw GristError(.usage, "the context must be in 1...\(model.config.maxContext), got \(t)")
        }
        let windows = tokens.count / (t + 1)
        guard windows > 0 else {
            throw GristError(.usage, "the token file has \(NumberText.grouped(tokens.count)) tokens, fewer than one window of \(t + 1)")
        }
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= model.config.vocabularySize }) {
            throw GristError(.mismatch, "token \(bad) is outside the model's vocabulary of \(model.config.vocabularySize)")
        }
        var total = 0.0, done = 0
        var inputs: [Int32] = [], targets: [Int32] = []
        while done < windows {
            let b = min(batchSize, windows - done)
            inputs.removeAll(keepingCapacity: true)
            targets.removeAll(keepingCapacity: true)
            for k in done..<(done + b) {
                let start = k * (t + 1)
                inputs += tokens[start..<(start + t)]
                targets += tokens[(start + 1)..<(start + t + 1)]
            }
            _ = inputs.withUnsafeBufferPointer { x in
                targets.withUnsafeBufferPointer { y in model.forward(tokens: x, targets: y, batchSize: b, sequenceLength: t) }
            }
            for loss in model.losses { total += Double(loss) }
            done += b
            progress?(done, windows)
        }
        return Result(loss: total / Double(windows * t), windows: windows, predictions: windows * t)
    }
}
