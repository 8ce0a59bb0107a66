import GristCore

/// Writes one llm.c token shard whole or not at all, computing its SHA-256 as it goes.
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
    private var scratch = [UInt16]()

    public init(path: String, tokenCount: Int) throws {
        precondition(tokenCount >= 0 && tokenCount <= Int(Int32.max), "token count out of range")
        self.path = path
        temporary = path + ".partial"
        expectedTokens = tokenCount
        writer = try BufferedFileWriter(path: temporary, capacity: 4 << 20)
        let header = ShardHeader(tokenCount: tokenCount).bytes
        try header.withUnsafeBytes { raw in
            hasher.update(raw)
            try writer.write(raw)
        }
    }

    /// Appends tokens; each must fit in 16 bits (the GPT-2 vocabulary does).
    public func append(_ tokens: UnsafeBufferPointer<UInt32>) throws {
        guard written + tokens.count <= expectedTokens else {
            throw GristError(.mismatch, "more tokens than the \(expectedTokens) planned", at: InputPosition(path: path))
        }
        scratch.removeAll(keepingCapacity: true)
        for token in tokens {
            guard token <= UInt32(UInt16.max) else {
                throw GristError(.mismatch, "token \(token) does not fit in a uint16 shard", at: InputPosition(path: path))
            }
            scratch.append(UInt16(token).littleEndian)
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
