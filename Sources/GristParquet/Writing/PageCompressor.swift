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

    /// Appends `input`, compressed, to `output`.
    func compress(_ input: UnsafeRawBufferPointer, appendingTo output: ChunkBuffer) throws {
        switch codec {
        case .snappy:
            var status = SNAPPY_OK
            output.appendInPlace(maxCount: snappy_max_compressed_length(input.count)) { room in
                var length = room.count
                status = snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                         room.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
                return status == SNAPPY_OK ? length : 0
            }
            guard status == SNAPPY_OK else {
                throw GristError(.io, "snappy could not compress a page of \(input.count) bytes (status \(status.rawValue))")
            }
        case .zstd:
            var result = 0
            output.appendInPlace(maxCount: ZSTD_compressBound(input.count)) { room in
                result = ZSTD_compressCCtx(zstdContext, room.baseAddress, room.count, input.baseAddress, input.count, zstdLevel)
                return ZSTD_isError(result) != 0 ? 0 : result
            }
            if ZSTD_isError(result) != 0 {
                throw GristError(.io, "zstd could not compress a page: \(String(cString: ZSTD_getErrorName(result)))")
            }
        default:
            output.append(input)
        }
    }
}
