import GristCore

/// Writes one llm.c token shard (uint16 or uint32 tokens) whole or not at all, computing its SHA-256 as it goes.
///
/// The token count is given up front (the pipeline plans shard boundaries before writing), so the
/// header is final from the first byte and the checksum streams.
public final class ShardWriter {
    public let path: String
    private let temporary: String
    private let writer: BufferedFileWriter
    private let hasher = SHA256()
    private let expectedTokens: Int
    private var written = 0
    private let tokenWidth: ShardHeader.TokenWidth
    private var scratch = [UInt8]()

    /// Starts `path` (written as `path.partial` until `finish`) for `tokenCount` tokens of `tokenWidth`.
    public init(path: String, tokenCount: Int, tokenWidth: ShardHeader.TokenWidth = .uint16) throws {
        precondition(tokenCount >= 0 && tokenCount <= Int(Int32.max), "token count out of range")
        self.path = path
        temporary = path + ".partial"
        expectedTokens = tokenCount
        self.tokenWidth = tokenWidth
        writer = try BufferedFileWriter(path: temporary, capacity: 4 << 20)
        let header = ShardHeader(tokenCount: tokenCount, tokenWidth: tokenWidth).bytes
        try header.withUnsafeBytes { raw in
            hasher.update(raw)
            try writer.write(raw)
        }
    }

    /// Appends tokens; in a uint16 shard each must fit in 16 bits.
    public func append(_ tokens: UnsafeBufferPointer<UInt32>) throws {
        guard written + tokens.count <= expectedTokens else {
            throw GristError(.mismatch, "more tokens than the \(expectedTokens) planned", at: InputPosition(path: path))
        }
        scratch.removeAll(keepingCapacity: true)
        switch tokenWidth {
        case .uint16:
            for token in tokens {
                guard token <= UInt32(UInt16.max) else {
                    throw GristError(.mismatch, "token \(token) does not fit in a uint16 shard", at: InputPosition(path: path))
                }
                scratch.append(UInt8(truncatingIfNeeded: token))
                scratch.append(UInt8(truncatingIfNeeded: token >> 8))
            }
        case .uint32:
            for token in tokens {
                withUnsafeBytes(of: token.littleEndian) { scratch.append(contentsOf: $0) }
            }
        }
        try scratch.withUnsafeBytes { raw in
            hasher.update(raw)
            try writer.write(raw)
        }
        written += tokens.count
    }

    public func append(_ token: UInt32) throws {
        try withUnsafePointer(to: token) { try append(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Syncs and renames the shard into place; returns its SHA-256 (hex) and size in bytes.
    public func finish() throws -> (sha256: String, byteCount: Int) {
        guard written == expectedTokens else {
            throw GristError(.mismatch, "wrote \(written) tokens, planned \(expectedTokens)", at: InputPosition(path: path))
        }
        try writer.sync()
        try writer.close()
        try AtomicFile.commit(temporary: temporary, to: path)
        let digest = hasher.finalize()
        return (hexString(digest), writer.bytesWritten)
    }
}
