import CSnappy
import CZstd
import GristCore

/// Compresses page bodies with a file's codec: UNCOMPRESSED, SNAPPY (raw snappy blocks, no framing,
/// as Parquet stores them) or ZSTD (one frame a page, at a fixed level, single-threaded so that the
/// bytes depend only on the input). One compressor serves every column of a writer.
final class PageCompressor {
    let codec: ParquetCompression
    private let zstdLevel: Int32
    private var zstdContext: OpaquePointer?
    /// Where a page is compressed to before it is appended to its chunk.
    private var scratch: [UInt8] = []

    /// The codecs a writer accepts.
    static let supported: [ParquetCompression] = [.uncompressed, .snappy, .zstd]

    init(codec: ParquetCompression, zstdLevel: Int32 = 3) throws {
        guard Self.supported.contains(codec) else {
            throw GristError(.usage, "cannot write Parquet pages with \(codec)",
                             hint: "use .snappy, .zstd or .uncompressed")
        }
        self.codec = codec
        self.zstdLevel = zstdLevel
        if codec == .zstd {
            guard let context = ZSTD_createCCtx() else { throw GristError(.io, "cannot allocate a zstd context") }
            zstdContext = context
        }
    }

    deinit {
        if let zstdContext { ZSTD_freeCCtx(zstdContext) }
    }

    /// Calls `body` with `input` compressed (the bytes are valid during the call only) and returns its result.
    func withCompressed<Result>(_ input: UnsafeRawBufferPointer,
                                _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        switch codec {
        case .snappy:
            let bound = snappy_max_compressed_length(input.count)
            var length = bound
            let status = withScratch(bound) { buffer in
                snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                buffer.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
            }
            guard status == SNAPPY_OK else {
                throw GristError(.io, "snappy could not compress a page of \(input.count) bytes (status \(status.rawValue))")
            }
            return try scratch.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
        case .zstd:
            let bound = ZSTD_compressBound(input.count)
            let length = withScratch(bound) { buffer in
                ZSTD_compressCCtx(zstdContext, buffer.baseAddress, bound, input.baseAddress, input.count, zstdLevel)
            }
            if ZSTD_isError(length) != 0 {
                throw GristError(.io, "zstd could not compress a page: \(String(cString: ZSTD_getErrorName(length)))")
            }
            return try scratch.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
        default:
            return try body(input)
        }
    }

    private func withScratch<Result>(_ capacity: Int, _ body: (UnsafeMutableRawBufferPointer) -> Result) -> Result {
        if scratch.count < max(capacity, 1) { scratch = [UInt8](repeating: 0, count: max(capacity, 1)) }
        return scratch.withUnsafeMutableBytes(body)
    }
}
