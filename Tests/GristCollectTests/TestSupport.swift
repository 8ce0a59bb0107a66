import CZlib
import CZstd
import Foundation
import GristCore
import Testing
@testable import GristCollect

/// A fresh folder for one test's input files, removed when the value goes away.
final class TempFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "grist-collect-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` in the folder and returns the file's path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// Compressed test data, made through the C libraries.
enum Compress {
    /// One gzip member.
    static func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        precondition(czlib_deflate_init2(&stream, level, 15 + 16) == Z_OK)
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                let rc = deflate(&stream, Z_FINISH)
                precondition(rc == Z_STREAM_END)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    /// One zstd frame.
    static func zstd(_ bytes: [UInt8], level: Int32 = 3) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let size = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { src in
                ZSTD_compress(out.baseAddress, out.count, src.baseAddress, src.count, level)
            }
        }
        precondition(ZSTD_isError(size) == 0)
        return Array(output.prefix(size))
    }

    /// The encoding for a file extension: identity, gzip or zstd.
    static func encode(_ bytes: [UInt8], as ext: String) -> [UInt8] {
        switch ext {
        case "gz": gzip(bytes)
        case "zst": zstd(bytes)
        default: bytes
        }
    }
}

/// Deterministic pseudo-random numbers for test data.
struct TestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Everything a reader yields, until its end.
func readAll(_ reader: any DocumentReader) throws -> [ReaderEvent] {
    var reader = reader
    var events: [ReaderEvent] = []
    while let event = try reader.next() {
        events.append(event)
        if events.count > 1_000_000 { Issue.record("reader does not end"); break }
    }
    return events
}

extension ReaderEvent {
    var document: Document? {
        if case .document(let document) = self { return document }
        return nil
    }

    var skipped: GristError? {
        if case .skipped(let error) = self { return error }
        return nil
    }
}

extension Array where Element == ReaderEvent {
    var documents: [Document] { compactMap(\.document) }
    var skips: [GristError] { compactMap(\.skipped) }
}

extension Document {
    var string: String { String(decoding: text, as: UTF8.self) }
}
