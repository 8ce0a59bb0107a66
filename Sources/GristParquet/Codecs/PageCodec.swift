import CZlib
import CZstd

/// Decompresses pages: one value per column chunk, holding each library's state (a zstd context, a
/// zlib stream, a brotli decoder) from page to page.
///
/// Every page must decompress to exactly the size its header declares (the caller sizes `output` so):
/// more output or less is an error, never a larger buffer.
final class PageCodec {
    /// The codecs read here.
    enum Kind: Sendable {
        case uncompressed, snappy, gzip, zstd, lz4Raw, brotli
    }

    let kind: Kind
    var zstdContext: OpaquePointer?
    var zlibStream: UnsafeMutablePointer<z_stream>?

    /// The codec for a column chunk's raw `CompressionCodec`, or a `.badFormat` failure naming it.
    init(rawCodec: Int32) throws(DecodeFailure) {
        switch ParquetCompression(rawValue: rawCodec) {
        case .uncompressed: kind = .uncompressed
        case .snappy: kind = .snappy
        case .gzip: kind = .gzip
        case .zstd: kind = .zstd
        case .lz4Raw: kind = .lz4Raw
        case .brotli: kind = .brotli
        case .lz4: throw .unsupported("unsupported codec LZ4 (the deprecated Hadoop framing; LZ4_RAW is read)")
        case .lzo: throw .unsupported("unsupported codec LZO")
        case nil: throw .unsupported("unsupported codec \(rawCodec) (not in parquet.thrift)")
        }
    }

    deinit {
        if let zstdContext { ZSTD_freeDCtx(zstdContext) }
        if let zlibStream {
            inflateEnd(zlibStream)
            zlibStream.deallocate()
        }
    }

    /// Decompresses `input` into all of `output`.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(DecodeFailure) {
        switch kind {
        case .uncompressed:
            guard input.count == output.count else {
                throw .corrupt("uncompressed page stores \(input.count) bytes but declares \(output.count)")
            }
            if input.count > 0 { output.baseAddress!.copyMemory(from: input.baseAddress!, byteCount: input.count) }
        case .snappy: try decompressSnappy(input, output)
        case .gzip: try decompressGzip(input, output)
        case .zstd: try decompressZstd(input, output)
        case .lz4Raw: try decompressLZ4Raw(input, output)
        case .brotli: try decompressBrotli(input, output)
        }
    }

    static func sizeLie(_ codec: String, produced: String, declared: Int) -> DecodeFailure {
        .corrupt("\(codec) page decompresses to \(produced) bytes, its header declares \(declared)")
    }
}
