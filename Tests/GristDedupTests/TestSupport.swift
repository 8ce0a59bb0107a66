import Foundation
import GristCore

/// Fixtures made by datatrove (`scripts/golden/make_dedup_golden.py`), read from the source tree.
enum Fixtures {
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Fixtures").path
    }()

    static func lines(_ name: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw GristError(.badFormat, "fixture line is not an object")
            }
            return object
        }
    }

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
    }
}

/// JSON numbers above 2^53 arrive as NSNumber; read them back exactly.
func uint64(_ value: Any?) -> UInt64? {
    if let number = value as? NSNumber { return number.uint64Value }
    return nil
}

/// A new empty folder under the system's temporary folder.
func temporaryFolder(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("grist-\(name)-\(UUID().uuidString)").path
    try FileSystem.createDirectory(path)
    return path
}
