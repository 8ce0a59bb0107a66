import GristCore
import Testing
@testable import GristCollect

/// All bytes of a source, read through a buffer of `chunk` bytes, and its failure.
private func drain(_ source: any ByteSource, chunk: Int) throws -> (bytes: [UInt8], failure: StreamFailure?) {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { return (bytes, source.failure) }
        bytes += buffer.prefix(n)
    }
}

private func sample(_ count: Int, seed: UInt64) -> [UInt8] {
    var random = TestRandom(state: seed)
    // Text-like: compressible, but not trivially.
    return (0..<count).map { _ in UInt8(ascii: "a") + UInt8(random.below(20)) }
}

@Suite("GzipSource")
struct GzipSourceTests {
    @Test func roundTripWithTinyBuffers() throws {
        let data = sample(100_000, seed: 1)
        let folder = try TempFolder()
        let path = try folder.write("x.gz", Compress.gzip(data))
        for size in [1, 7, 4096] {
            let (bytes, failure) = try drain(Compression.openSource(path: path, bufferSize: size), chunk: size)
            #expect(bytes == data)
            #expect(failure == nil)
        }
    }

    @Test func multipleMembers() throws {
        let a = sample(5000, seed: 2), b = sample(3000, seed: 3)
        let folder = try TempFolder()
        let path = try folder.write("x.gz", Compress.gzip(a) + Compress.gzip([]) + Compress.gzip(b))
        let (bytes, failure) = try drain(Compression.openSource(path: path, bufferSize: 100), chunk: 333)
        #expect(bytes == a + b)
        #expect(failure == nil)
    }

    @Test func cutAnywhereIsTruncated() throws {
        let data = sample(20_000, seed: 4)
        let compressed = Compress.gzip(data)
        let folder = try TempFolder()
        for cut in [1, 5, 10, compressed.count / 3, compressed.count - 1] {
            let path = try folder.write("cut\(cut).gz", Array(compressed.prefix(cut)))
            let (bytes, failure) = try drain(Compression.openSource(path: path, bufferSize: 64), chunk: 64)
            #expect(failure?.kind == .skip(.truncated))
            #expect(failure?.message.contains("compressed byte \(cut)") == true)
            #expect(bytes == Array(data.prefix(bytes.count)))
        }
    }

    @Test func junkAfterMemberIsCorrupt() throws {
        let data = sample(1000, seed: 5)
        let folder = try TempFolder()
        let path = try folder.write("x.gz", Compress.gzip(data) + Array("junk!".utf8))
        let (bytes, failure) = try drain(Compression.openSource(path: path, bufferSize: 64), chunk: 64)
        #expect(bytes == data)
        #expect(failure?.kind == .skip(.corrupt))
    }
}

@Suite("ZstdSource")
struct ZstdSourceTests {
    @Test func roundTripWithTinyBuffers() throws {
        let data = sample(100_000, seed: 6)
        let folder = try TempFolder()
        let path = try folder.write("x.zst", Compress.zstd(data))
        for size in [1, 7, 4096] {
            let (bytes, failure) = try drain(Compression.openSource(path: path, bufferSize: size), chunk: size)
            #expect(bytes == data)
            #expect(failure == nil)
        }
    }

    @Test func multipleFrames() throws {
        let a = sample(5000, seed: 7), b = sample(3000, seed: 8)
        let folder = try TempFolder()
        let path = try folder.write("x.zst", Compress.zstd(a) + Compress.zstd([]) + Compress.zstd(b))
        let (bytes, failure) = try drain(Compression.openSource(path: path, bufferSize: 100), chunk: 333)
        #expect(bytes == a + b)
        #expect(failure == nil)
    }

    @Test func cutAnywhereIsTruncated() throws {
        let data = sample(20_000, seed: 9)
        let compressed = Compress.zstd(data)
        let folder = try TempFolder()
        for cut in [1, 3, 6, compressed.count / 3, compressed.count - 1] {
            let path = try folder.write("cut\(cut).zst", Array(compressed.prefix(cut)))
            let (bytes, failure) = try drain(Compression.openSource(path: path, bufferSize: 64), chunk: 64)
            #expect(failure?.kind == .skip(.truncated))
            #expect(bytes == Array(data.prefix(bytes.count)))
        }
    }

    @Test func garbageAfterFrameIsCorrupt() throws {
        let data = sample(1000, seed: 10)
        let folder = try TempFolder()
        let path = try folder.write("x.zst", Compress.zstd(data) + Array("junk!".utf8))
        let (bytes, failure) = try drain(Compression.openSource(path: path, bufferSize: 64), chunk: 64)
        #expect(bytes == data)
        #expect(failure?.kind == .skip(.corrupt))
    }
}
