import GristCollect
import GristCore

/// The curated text as zstd-compressed JSON Lines (`format: jsonl.zst`): one object per document,
/// `{"id":"…","text":"…",…}`, its keys the fields in their configured order, no spaces; strings escaped
/// as RFC 8259 requires (`DocumentJSON.appendString`), integers in decimal, a missing value `null`.
/// The file is one zstd frame at a fixed level (`level`), compressed on the writing thread, so its
/// bytes depend only on the documents.
final class JSONLinesTextWriter: CuratedTextWriter {
    /// zstd's level for every curated text file (fixed: the manifest's checksums must not vary).
    static let level = 3

    private let file: CompressedFileWriter
    /// Per field, the bytes before its value: `{"id":` for the first, `,"text":` for the others.
    private let prefixes: [[UInt8]]
    private var line: [UInt8] = []

    init(path: String, fields: [CuratedTextField]) throws {
        file = try CompressedFileWriter(path: path, compression: .zstd, level: Self.level, hashing: true)
        prefixes = fields.enumerated().map { index, field in
            var prefix: [UInt8] = index == 0 ? [UInt8(ascii: "{")] : [UInt8(ascii: ",")]
            DocumentJSON.appendString(field.name.utf8, to: &prefix)
            prefix.append(UInt8(ascii: ":"))
            return prefix
        }
    }

    func append(_ values: [CuratedTextValue?]) throws {
        precondition(values.count == prefixes.count, "one value per field")
        line.removeAll(keepingCapacity: true)
        for (prefix, value) in zip(prefixes, values) {
            line.append(contentsOf: prefix)
            switch value {
            case .string(let bytes)?: DocumentJSON.appendString(bytes, to: &line)
            case .integer(let number)?: line.append(contentsOf: String(number).utf8)
            case nil: line.append(contentsOf: "null".utf8)
            }
        }
        line.append(contentsOf: "}\n".utf8)
        try file.write(line)
    }

    func finish() throws -> (sha256: String, byteCount: Int) {
        let (sha256, byteCount) = try file.finish()
        return (sha256 ?? "", byteCount)
    }
}
