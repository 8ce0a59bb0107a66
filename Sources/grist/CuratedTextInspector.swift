import Foundation
import GristCollect
import GristCore
import GristParquet
import GristReport
import GristShards

/// A JSON Lines file (plain, `.gz` or `.zst`) or a Parquet file of documents, such as a file of a build's
/// curated text (`OUTPUT/text/…jsonl.zst`, `….parquet`): its documents and fields, its checksum against
/// the build's manifest, the first documents with their fields.
struct CuratedTextInspector {
    let path: String

    /// Whether `path` names a JSON Lines or Parquet file (by its name).
    static func handles(_ path: String) -> Bool {
        [".jsonl", ".jsonl.gz", ".jsonl.zst", ".parquet"].contains { path.hasSuffix($0) } && !FileSystem.isDirectory(path)
    }

    func summary(documents count: Int, maxChars: Int) throws -> String {
        if path.hasSuffix(".parquet") { return try parquetSummary(documents: count, maxChars: maxChars) }
        var reader = try JSONLReader(path: path, options: JSONLReaderOptions().with { $0.textField = "text" })
        var records = 0, tokens = 0, hasTokens = false
        var shown: [(object: [String: Any], keys: [String])] = []
        while let event = try reader.next() {
            if case .skipped(let error) = event, error.kind.code != GristError.Kind.skip(.missingField).code {
                throw GristError(.badFormat, "not a JSON Lines file of documents: \(error)", at: InputPosition(path: path))
            }
            records += 1
            let line = reader.withCurrentLine { Data($0) }
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { continue }
            if let value = object["tokens"] as? Int {
                tokens += value
                hasTokens = true
            }
            if shown.count < count || shown.isEmpty { shown.append((object, Self.keys(of: object, in: line))) }
        }
        let mapped = try MappedFile(path: path)
        let sha256 = hexString(SHA256.digest(mapped.bytes))
        var lines = [
            path,
            "  format     JSON Lines" + (path.hasSuffix(".zst") ? ", zstd" : path.hasSuffix(".gz") ? ", gzip" : "")
                + (location != nil ? " (the curated text of a build, text:)" : ""),
            "  documents  \(Format.count(records))" + (shown.first.map { ", fields " + $0.keys.joined(separator: ", ") } ?? ""),
        ]
        if hasTokens { lines.append("  tokens     \(Format.count(tokens)) (its documents' tokens fields)") }
        lines.append("  file       \(Format.bytes(mapped.count)), sha256 \(sha256)")
        if let note = checksumNote(sha256: sha256) { lines.append("  manifest   \(note)") }
        for (index, document) in shown.prefix(count).enumerated() {
            let described = document.keys.filter { $0 != "id" && $0 != "text" }.map { key in
                "\(key) \(Self.shown(document.object[key]))"
            }
            let (text, note) = excerpt(Array(((document.object["text"] as? String) ?? "").utf8), maxChars: maxChars)
            lines.append("")
            lines.append("--- document \(index + 1): \(Self.shown(document.object["id"]))"
                + (described.isEmpty ? "" : " (" + described.joined(separator: ", ") + ")") + "\(note) ---")
            if document.object["text"] != nil { lines.append(text) }
        }
        return lines.joined(separator: "\n")
    }

    /// A Parquet file: rows, row groups and columns; the first rows with their fields (the `text` column
    /// as the text).
    private func parquetSummary(documents count: Int, maxChars: Int) throws -> String {
        let file = try ParquetFile(path: path)
        let names = file.columns.map(\.name)
        var tokens: Int?
        if let column = file.columnIndex(named: "tokens") {
            tokens = 0
            for group in file.rowGroups.indices {
                if case .int64s(let counts) = try file.readColumn(rowGroup: group, column: column) {
                    tokens! += counts.values.reduce(0) { $0 + Int($1) }
                }
            }
        }
        let mapped = try MappedFile(path: path)
        let sha256 = hexString(SHA256.digest(mapped.bytes))
        var lines = [
            path,
            "  format     Parquet, \(Format.count(file.rowGroups.count)) row group\(file.rowGroups.count == 1 ? "" : "s")"
                + (location != nil ? " (the curated text of a build, text:)" : ""),
            "  documents  \(Format.count(file.rowCount)), fields " + names.joined(separator: ", "),
        ]
        if let tokens { lines.append("  tokens     \(Format.count(tokens)) (its documents' tokens fields)") }
        lines.append("  file       \(Format.bytes(mapped.count)), sha256 \(sha256)")
        if let note = checksumNote(sha256: sha256) { lines.append("  manifest   \(note)") }
        var shown = 0
        for group in file.rowGroups.indices where shown < count {
            let values = try file.columns.indices.map { try file.readColumn(rowGroup: group, column: $0) }
            for row in 0..<file.rowGroups[group].rowCount where shown < count {
                shown += 1
                let described = names.indices.filter { names[$0] != "id" && names[$0] != "text" }.map {
                    "\(names[$0]) \(values[$0].string(ofRow: row) ?? "null")"
                }
                let id = file.columnIndex(named: "id").flatMap { values[$0].string(ofRow: row) } ?? "null"
                let text = file.columnIndex(named: "text").flatMap { values[$0].text(ofRow: row) }
                let (excerpted, note) = excerpt(text ?? [], maxChars: maxChars)
                lines.append("")
                lines.append("--- document \(shown): \(id)"
                    + (described.isEmpty ? "" : " (" + described.joined(separator: ", ") + ")") + "\(note) ---")
                if text != nil { lines.append(excerpted) }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The build folder the file is in and its path there, when it lies in a `text/` folder beside a manifest.
    private var location: (folder: String, relative: String)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let index = parts.lastIndex(of: "text") else { return nil }
        let folder = parts[..<index].joined(separator: "/")
        let base = folder.isEmpty ? "." : folder
        guard FileSystem.exists(FileSystem.join(base, Manifest.fileName)) else { return nil }
        return (base, parts[index...].joined(separator: "/"))
    }

    private func checksumNote(sha256: String) -> String? {
        guard let location, let manifest = try? Manifest.open(path: FileSystem.join(location.folder, Manifest.fileName)),
              let recorded = try? manifest.recordedSHA256(ofShard: location.relative) else { return nil }
        return recorded == sha256 ? "checksum matches \(manifest.path)"
            : "CHECKSUM DIFFERS from \(manifest.path) (\(recorded.prefix(12)))"
    }

    /// The keys of `object` in the order the line writes them: a key `K` is found by `{"K":` or `,"K":`,
    /// which cannot occur inside a JSON string (a bare quote ends one).
    private static func keys(of object: [String: Any], in line: Data) -> [String] {
        let text = String(decoding: line, as: UTF8.self)
        return object.keys.map { key -> (String, String.Index) in
            let position = text.hasPrefix("{\"\(key)\":") ? text.startIndex
                : text.range(of: ",\"\(key)\":")?.lowerBound ?? text.endIndex
            return (key, position)
        }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// A field's value as shown in a document's heading.
    private static func shown(_ value: Any?) -> String {
        switch value {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        case nil, is NSNull: "null"
        default: "…"
        }
    }
}
