import Foundation
import GristCore
@testable import GristParquet

/// The fixtures of scripts/reference/make_parquet_fixtures.py, read from the source tree.
enum Fixtures {
    static let folder: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures"

    static func path(_ name: String) -> String { folder + "/" + name + ".parquet" }

    /// Every good fixture's name (a `.parquet` with a `.json` of what pyarrow reads).
    static let goodNames: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".json") && $0 != "hostile.json" }.map { String($0.dropLast(5)) }.sorted()
    }()

    static func json(_ file: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw GristError(.badFormat, "\(file) is not a JSON object")
        }
        return object
    }

    /// The hostile fixtures and what each must give (hostile.json).
    static var hostile: [String: [String: Any]] {
        ((try? json("hostile.json")) as? [String: [String: Any]]) ?? [:]
    }

    static let hostileNames: [String] = hostile.keys.sorted()
}

/// A fresh folder for one test's files, removed when the value goes away.
final class TempFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "grist-parquet-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// The first 16 hex digits of the SHA-256 of `bytes` (how the fixtures record long values).
func shortSHA256(_ bytes: [UInt8]) -> String {
    String(SHA256.hex(of: bytes).prefix(16))
}

/// Builds bytes of the Thrift compact protocol by hand, for decoder tests.
struct CompactBytes {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    /// A field header with a delta (1...15) from the previous field.
    mutating func field(delta: UInt8, type: UInt8) { bytes.append(delta << 4 | type) }

    /// A field header with the id written out (delta 0).
    mutating func field(longID id: Int16, type: UInt8) {
        bytes.append(type)
        zigzag(Int64(id))
    }

    mutating func binary(_ text: String) {
        varint(UInt64(text.utf8.count))
        bytes += Array(text.utf8)
    }

    mutating func stop() { bytes.append(0) }
}
