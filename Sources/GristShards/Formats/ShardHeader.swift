import GristCore

/// The header of an llm.c / nanoGPT token shard: 256 little-endian int32, of which the first three are
/// used: magic 20240520, version 1, token count. uint16 tokens follow (docs/formats.md).
///
/// This is `dev/data/data_common.py`'s `gpt-2` layout in llm.c, so its `train_gpt2` reads our shards as they are.
public struct ShardHeader: Sendable, Equatable {
    public static let magic: Int32 = 20240520
    public static let version: Int32 = 1
    /// Header size in bytes (256 int32).
    public static let byteCount = 1024
    /// Bytes per token in version 1.
    public static let tokenByteCount = 2

    public var tokenCount: Int

    public init(tokenCount: Int) { self.tokenCount = tokenCount }

    /// The 1024 header bytes.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        for (index, word) in [Self.magic, Self.version, Int32(tokenCount)].enumerated() {
            let bits = UInt32(bitPattern: word)
            for byte in 0..<4 { out[4 * index + byte] = UInt8(truncatingIfNeeded: bits >> (8 * byte)) }
        }
        return out
    }

    /// Reads and checks a header; `fileSize` (when known) must match the token count.
    public init(parsing bytes: UnsafeRawBufferPointer, path: String, fileSize: Int? = nil) throws {
        let position = InputPosition(path: path, byteOffset: 0)
        guard bytes.count >= Self.byteCount else {
            throw GristError(.badFormat, "file is \(bytes.count) bytes, shorter than the 1024-byte shard header",
                             at: position, hint: "is this an llm.c token shard (.bin)?")
        }
        func word(_ i: Int) -> Int32 { Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) }
        guard word(0) == Self.magic else {
            throw GristError(.badFormat, "bad magic number \(word(0)), expected \(Self.magic)", at: position,
                             hint: "is this an llm.c token shard (.bin)?")
        }
        guard word(1) == Self.version else {
            throw GristError(.badFormat, "unsupported shard version \(word(1)), expected \(Self.version) (uint16 tokens)",
                             at: position)
        }
        let count = Int(word(2))
        guard count >= 0 else { throw GristError(.badFormat, "negative token count \(count)", at: position) }
        if let fileSize, fileSize != Self.byteCount + Self.tokenByteCount * count {
            throw GristError(.badFormat,
                             "header says \(count) tokens (\(Self.byteCount + 2 * count) bytes) but the file has \(fileSize) bytes",
                             at: position, hint: "the shard is truncated or was not written completely")
        }
        tokenCount = count
    }
}
