import GristCore

/// Writes a headerless file of little-endian tokens (uint16 or int32), whole or not at all (as
/// `path.partial` until `finish`), computing its SHA-256 as it goes: nanoGPT's `train.bin`/`val.bin`
/// and the `.bin` half of a Megatron indexed dataset (docs/formats.md).
public final class RawTokenWriter {
    public let path: String
    /// Bytes per token: 2 (uint16) or 4 (int32).
    public let tokenBytes: Int
    private let temporary: String
    private let writer: BufferedFileWriter
    private let hasher = SHA256()
    private var scratch = [UInt8]()
    public private(set) var tokenCount = 0

    public init(path: String, tokenBytes: Int) throws {
        precondition(tokenBytes == 2 || tokenBytes == 4, "tokens are 2 or 4 bytes")
        self.path = path
        self.tokenBytes = tokenBytes
        temporary = path + ".partial"
        writer = try BufferedFileWriter(path: temporary, capacity: 4 << 20)
    }

    /// Appends tokens; each must fit the width (uint16: up to 65,535; int32: up to Int32.max).
    public func append(_ tokens: UnsafeBufferPointer<UInt32>) throws {
        scratch.removeAll(keepingCapacity: true)
        let limit = tokenBytes == 2 ? UInt32(UInt16.max) : UInt32(Int32.max)
        for token in tokens {
            guard token <= limit else {
                throw GristError(.mismatch, "token \(token) does not fit in a \(tokenBytes == 2 ? "uint16" : "int32") file",
                                 at: InputPosition(path: path))
            }
            for byte in 0..<tokenBytes { scratch.append(UInt8(truncatingIfNeeded: token >> (8 * byte))) }
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
