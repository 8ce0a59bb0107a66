import Foundation
import GristCollect
import GristCore

/// The documents of the datatrove agreement fixture: the shipped corpora cut exactly as
/// scripts/reference/corpus.py's `filter_documents()` cuts them (so the fixture holds no text).
enum FilterFixtureDocuments {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures"

    /// corpus.py's `SIZES`.
    static let sizes = [60, 120, 240, 480, 960, 1920]

    struct Piece {
        var id: String
        var text: [UInt8]
    }

    /// Every document of `filter_documents()`, in order (cut once per test run).
    static func all() throws -> [Piece] { try cached.get() }

    private static let cached = Result { try cut() }

    private static func cut() throws -> [Piece] {
        var out: [Piece] = []
        var k = 0
        for (id, text) in try shipped() {
            let scalars = Array(String(decoding: text, as: UTF8.self).unicodeScalars)
            // text.split("\n\n")
            var parts: [ArraySlice<Unicode.Scalar>] = []
            var start = 0, i = 0
            while i < scalars.count {
                if scalars[i] == "\n", i + 1 < scalars.count, scalars[i + 1] == "\n" {
                    parts.append(scalars[start..<i])
                    i += 2
                    start = i
                } else {
                    i += 1
                }
            }
            parts.append(scalars[start..<scalars.count])
            var piece: [ArraySlice<Unicode.Scalar>] = []
            var size = 0, index = 0
            func emit() {
                var s = String.UnicodeScalarView()
                for (n, part) in piece.enumerated() {
                    if n > 0 { s.append(contentsOf: "\n\n".unicodeScalars) }
                    s.append(contentsOf: part)
                }
                out.append(Piece(id: "\(id)#\(index)", text: Array(String(s).utf8)))
                index += 1
                k += 1
                piece = []
                size = 0
            }
            for part in parts {
                piece.append(part)
                size += part.count + 2
                if size >= sizes[k % sizes.count] { emit() }
            }
            if !piece.isEmpty { emit() }
        }
        return out
    }

    /// corpus.py's `shipped_documents()`: (id, text) in order.
    static func shipped() throws -> [(String, [UInt8])] {
        var docs: [(String, [UInt8])] = []
        let fm = FileManager.default
        for (folder, pattern) in [("shakespeare", ".txt"), ("python-docs", ".jsonl."), ("multilingual", ".jsonl")] {
            let dir = root + "/corpora/" + folder
            let names = try fm.contentsOfDirectory(atPath: dir).filter { $0.contains(pattern) }.sorted()
            for name in names {
                let path = dir + "/" + name
                if folder == "shakespeare" {
                    docs.append(("shakespeare/" + name, Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
                    continue
                }
                var reader = try Readers.open(path: path, format: .jsonl, text: .init(), jsonl: .init())
                while let event = try reader.next() {
                    if case .document(let d) = event { docs.append((folder + "/" + d.id, d.text)) }
                }
            }
        }
        return docs
    }
}
