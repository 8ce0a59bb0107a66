import GristCore

/// The header of an llm.c / nanoGPT token shard: 256 little-endian int32, of which the first three are
/// used: magic, version, token count. The tokens follow (docs/formats.md).
///
/// Two layouts, both from llm.c's `dev/data/data_common.py` (`HEADERS_INFO`), so llm.c reads our shards
/// as they are:
/// - `gpt-2`: magic 20240520, version 1, uint16 tokens (vocabularies of up to 65,536 ids);
/// - `llama-3`: magic 20240801, version 7, uint32 tokens (larger vocabularies).
public struct ShardHeader: Sendable, Equatable {
    /// How wide each token is, and the magic and version that say so.
    public enum TokenWidth: Int, Sendable, Equatable {
        case uint16 = 2
        case uint32 = 4

        public var magic: Int32 { self == .uint16 ? 20240520 : 20240801 }
        public var version: Int32 { self == .uint16 ? 1 : 7 }
        /// Bytes per token.
        public var byteCount: Int { rawValue }

        /// The narrowest width that holds every id of a vocabulary of `vocabularySize` ids.
        public static func forVocabulary(size vocabularySize: Int) -> TokenWidth {
            vocabularySize > 65_536 ? .uint32 : .uint16
        }
    }

    /// The uint16 layout's magic and version (kept for readers that only know GPT-2 shards).
    public static let magic: Int32 = TokenWidth.uint16.magic
    public static let version: Int32 = TokenWidth.uint16.version
    /// Header size in bytes (256 int32).
    public static let byteCount = 1024

    public var tokenCount: Int
    public var tokenWidth: TokenWidth

    public init(tokenCount: Int, tokenWidth: TokenWidth = .uint16) {
        self.tokenCount = tokenCount
        self.tokenWidth = tokenWidth
    }

    /// The 1024 header bytes.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        for (index, word) in [tokenWidth.magic, tokenWidth.version, Int32(tokenCount)].enumerated() {
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
        guard let width = [TokenWidth.uint16, .uint32].first(where: { $0.magic == word(0) }) else {
            throw GristError(.badFormat, "bad magic number \(word(0)), expected \(TokenWidth.uint16.magic) (uint16 "
                                + "tokens) or \(TokenWidth.uint32.magic) (uint32 tokens)",
                             at: position, hint: "is this an llm.c token shard (.bin)?")
        }
        guard word(1) == width.version else {
            throw GristError(.badFormat, "unsupported shard version \(word(1)) for magic \(width.magic), expected "
                                + "\(width.version) (\(width == .uint16 ? "uint16" : "uint32") tokens)",
                             at: position)
        }
        let count = Int(word(2))
        guard count >= 0 else { throw GristError(.badFormat, "negative token count \(count)", at: position) }
        let expected = Self.byteCount + width.byteCount * count
        if let fileSize, fileSize != expected {
            throw GristError(.badFormat, "header says \(count) tokens (\(expected) bytes) but the file has \(fileSize) bytes",
                             at: position, hint: "the shard is truncated or was not written completely")
        }
        tokenCount = count
        tokenWidth = width
    }
}
