import GristCore

/// Writes a file of little-endian tokens (uint16, int32 or uint32) after an optional fixed header, whole
/// or not at all (as `path.partial` until `finish`), computing its SHA-256 as it goes: nanoGPT's
/// `train.bin`/`val.bin`, the `.bin` half of a Megatron indexed dataset, and (with its 1,024-byte
/// header) an llm.c shard through ``ShardWriter`` (docs/formats.md).
public final class RawTokenWriter {
    public let path: String
    /// Bytes per token: 2 or 4.
    public let tokenBytes: Int
    /// The largest token the file's type holds.
    private let maxToken: UInt32
    /// Named in errors: "uint16", "int32", "uint32".
    private let typeName: String
    private let temporary: String
    private let writer: BufferedFileWriter
    private let hasher = SHA256()
    private var scratch = [UInt8]()
    public private(set) var tokenCount = 0

    /// - Parameters:
    ///   - tokenBytes: 2 (uint16) or 4 (int32, or uint32 with `signed: false`).
    ///   - header: bytes written before the tokens (and hashed with them).
    public init(path: String, tokenBytes: Int, signed: Bool = true, header: [UInt8] = []) throws {
        precondition(tokenBytes == 2 || tokenBytes == 4, "tokens are 2 or 4 bytes")
        self.path = path
        self.tokenBytes = tokenBytes
        (maxToken, typeName) = tokenBytes == 2 ? (UInt32(UInt16.max), "uint16")
            : signed ? (UInt32(Int32.max), "int32") : (UInt32.max, "uint32")
        temporary = path + ".partial"
        writer = try BufferedFileWriter(path: temporary, capacity: 4 << 20)
        try header.withUnsafeBytes { raw in
            hasher.update(raw)
            try writer.write(raw)
        }
    }

    /// Appends tokens; each must fit the file's type.
    public func append(_ tokens: UnsafeBufferPointer<UInt32>) throws {
        scratch.removeAll(keepingCapacity: true)
        // The largest token decides whether all fit; then one plain loop per width (the shard writer's path).
        if let largest = tokens.max(), largest > maxToken {
            throw GristError(.mismatch, "token \(largest) does not fit in a \(typeName) file", at: InputPosition(path: path))
        }
        if tokenBytes == 2 {
            for token in tokens {
                scratch.append(UInt8(truncatingIfNeeded: token))
                scratch.append(UInt8(truncatingIfNeeded: token >> 8))
            }
        } else {
            for token in tokens { withUnsafeBytes(of: token.littleEndian) { scratch.append(contentsOf: $0) } }
        }
        try scratch.withUnsafeBytes { raw in
            hasher.update(raw)
            try writer.write(raw)
        }
        tokenCount += tokens.count
    }

    public func append(_ token: UInt32) throws {
        try withUnsafePointer(to: token) { try append(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Syncs and renames the file into place; returns its SHA-256 (hex) and size in bytes.
    public func finish() throws -> (sha256: String, byteCount: Int) {
        try writer.sync()
        try writer.close()
        try AtomicFile.commit(temporary: temporary, to: path)
        return (hexString(hasher.finalize()), writer.bytesWritten)
    }
}
