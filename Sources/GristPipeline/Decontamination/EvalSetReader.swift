import Foundation
import GristCollect
import GristCore
import GristFilter

/// One eval set given as files (a `decontaminate: {sets: [...]}` entry).
public struct EvalSetSource: Sendable {
    public typealias Format = EvalSetConfig.Format
    public var name: String
    public var paths: [String]
    public var format: Format
    /// The fields (JSONL keys, dotted paths allowed; Parquet columns) whose texts, joined by a newline,
    /// make an item; ignored for `text`. The first is required in every record; a later one that a
    /// record lacks is left out of its item.
    public var fields: [String]

    /// The set a config entry names.
    public init(_ config: EvalSetConfig) {
        self.init(name: config.name, paths: config.paths.map(\.value), format: config.format, fields: config.fields)
    }

    public init(name: String, paths: [String], format: Format, fields: [String] = ["text"]) {
        self.name = name
        self.paths = paths
        self.format = format
        self.fields = fields
    }
}

/// Reads eval-set files into an ``EvalSetIndex``: JSON Lines and Parquet through GristCollect's readers
/// (compression from the file name), plain text one item per line (blank lines skipped). An item's id
/// is `FILE:LINE` (`FILE:ROW` for Parquet). A record the reader cannot use is an error naming its file and line.
public enum EvalSetReader {
    /// Adds every item of `source` to `index`; returns how many.
    @discardableResult
    public static func add(_ source: EvalSetSource, to index: inout EvalSetIndex) throws -> Int {
        var added = 0
        try forEachItem(source) { id, text in
            index.add(set: source.name, id: id, text: text)
            added += 1
        }
        return added
    }

    /// Calls `body` with every item of `source`, in file order: its id and its text.
    public static func forEachItem(_ source: EvalSetSource, _ body: (String, [UInt8]) throws -> Void) throws {
        for path in source.paths {
            switch source.format {
            case .text:
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                var line = 0
                for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                    line += 1
                    var bytes = Array(raw)
                    if bytes.last == 0x0D { bytes.removeLast() }
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    guard String(validating: bytes, as: UTF8.self) != nil else {
                        throw GristError(.skip(.invalidUTF8), "eval set \(source.name): not UTF-8",
                                         at: InputPosition(path: path, line: line))
                    }
                    try body("\(path):\(line)", bytes)
                }
            case .jsonl, .parquet:
                guard let first = source.fields.first else {
                    throw GristError(.usage, "eval set \(source.name): no fields to read")
                }
                let rest = Array(source.fields.dropFirst())
                var reader: any DocumentReader
                if source.format == .jsonl {
                    var options = JSONLReaderOptions()
                    options.textField = first
                    options.metadataFields = rest
                    reader = try JSONLReader(path: path, options: options)
                } else {
                    var options = ParquetReaderOptions()
                    options.textColumn = first
                    options.metadataColumns = rest
                    reader = try ParquetReader(path: path, options: options)
                }
                while let event = try reader.next() {
                    switch event {
                    case .document(let document):
                        var text = document.text
                        for field in rest {
                            if let value = document.metadata[MetadataFields.storedName(field)] {
                                text.append(0x0A)
                                text.append(contentsOf: value.utf8)
                            }
                        }
                        try body("\(path):\(document.line)", text)
                    case .skipped(let error):
                        throw GristError(error.kind, "eval set \(source.name): \(error.message)",
                                         at: error.position ?? InputPosition(path: path), hint: error.hint)
                    }
                }
            }
        }
    }
}
