import GristCore

/// Reads an llm.c token shard (uint16 or uint32 tokens) through a memory map, checking its header
/// against its size.
public final class ShardReader: @unchecked Sendable {
    public let path: String
    public let header: ShardHeader
    private let file: MappedFile

    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        header = try ShardHeader(parsing: file.bytes, path: path, fileSize: file.count)
    }

    public var tokenCount: Int { header.tokenCount }

    /// The token at `index` (0-based, after the header).
    @inline(__always)
    public func token(at index: Int) -> UInt32 {
        precondition(index >= 0 && index < tokenCount, "token index out of range")
        let raw = file.bytes
        switch header.tokenWidth {
        case .uint16:
            return UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: ShardHeader.byteCount + 2 * index,
                                                                 as: UInt16.self)))
        case .uint32:
            return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: ShardHeader.byteCount + 4 * index,
                                                          as: UInt32.self))
        }
    }

    /// Tokens `range` as 32-bit ids.
    public func tokens(_ range: Range<Int>) -> [UInt32] {
        precondition(range.lowerBound >= 0 && range.upperBound <= tokenCount, "token range out of bounds")
        return range.map { token(at: $0) }
    }

    /// Document spans: each starts at a separator token and runs to the next one (or the end).
    /// Tokens before the first separator, if any, form a span of their own.
    public func documentRanges(separator: UInt32) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for index in 0..<tokenCount where token(at: index) == separator && index > start {
            ranges.append(start..<index)
            start = index
        }
        if start < tokenCount { ranges.append(start..<tokenCount) }
        return ranges
    }

    /// SHA-256 of the whole file, hex.
    public func sha256() -> String { hexString(SHA256.digest(file.bytes)) }

    public var byteCount: Int { file.count }
}
