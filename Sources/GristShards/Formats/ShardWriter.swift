import GristCore

/// Writes one llm.c token shard (uint16 or uint32 tokens) whole or not at all, computing its SHA-256 as it goes.
///
/// The token count is given up front (the pipeline plans shard boundaries before writing), so the
/// header is final from the first byte and the checksum streams; the tokens go through a
/// ``RawTokenWriter``, which checks each fits the shard's width.
public final class ShardWriter {
    public var path: String { tokens.path }
    private let tokens: RawTokenWriter
    private let expectedTokens: Int

    /// Starts `path` (written as `path.partial` until `finish`) for `tokenCount` tokens of `tokenWidth`.
    public init(path: String, tokenCount: Int, tokenWidth: ShardHeader.TokenWidth = .uint16) throws {
        precondition(tokenCount >= 0 && tokenCount <= Int(Int32.max), "token count out of range")
        expectedTokens = tokenCount
        tokens = try RawTokenWriter(path: path, tokenBytes: tokenWidth == .uint16 ? 2 : 4, signed: false,
                                    header: ShardHeader(tokenCount: tokenCount, tokenWidth: tokenWidth).bytes)
    }

    /// Appends tokens; in a uint16 shard each must fit in 16 bits.
    public func append(_ tokens: UnsafeBufferPointer<UInt32>) throws {
        guard self.tokens.tokenCount + tokens.count <= expectedTokens else {
            throw GristError(.mismatch, "more tokens than the \(expectedTokens) planned", at: InputPosition(path: path))
        }
        try self.tokens.append(tokens)
    }

    public func append(_ token: UInt32) throws {
        try withUnsafePointer(to: token) { try append(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Syncs and renames the shard into place; returns its SHA-256 (hex) and size in bytes.
    public func finish() throws -> (sha256: String, byteCount: Int) {
        guard tokens.tokenCount == expectedTokens else {
            throw GristError(.mismatch, "wrote \(tokens.tokenCount) tokens, planned \(expectedTokens)",
                             at: InputPosition(path: path))
        }
        return try tokens.finish()
    }
}
