import GristCollect
import GristCore
import GristFilter

/// Documents with their label, in input order: the files in the order given (each path's files
/// sorted), records in file order.
public struct ClassifierExamples: Sendable {
    /// Label names without the prefix (`hq`, `en`), in order of first appearance.
    public private(set) var labelNames: [String] = []
    /// Per document: the index of its label in `labelNames`.
    public private(set) var labelOfDocument: [Int] = []
    public private(set) var texts: [[UInt8]] = []
    /// Documents with no text but spaces, left out.
    public private(set) var emptyDocuments = 0
    private var labelIndex: [String: Int] = [:]

    public var count: Int { texts.count }

    public static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x0B || c == 0x0C || c == 0
    }

    /// Reads every document of the inputs.
    /// - Throws: the first record a reader cannot read (named by file and line), a labeled record
    ///   without a usable label, and paths that give no files.
    public static func read(_ o: ClassifierInputs, labelPrefix: String) throws -> ClassifierExamples {
        var examples = ClassifierExamples()
        if !o.labeled.isEmpty {
            for path in try files(o.labeled, option: "labeled") {
                try examples.read(path, options: o, fixedLabel: nil, labelPrefix: labelPrefix)
            }
        } else {
            for (paths, label, option) in [(o.positive, o.positiveLabel, "positive"), (o.negative, o.negativeLabel, "negative")] {
                _ = examples.index(of: label)
                for path in try files(paths, option: option) {
                    try examples.read(path, options: o, fixedLabel: label, labelPrefix: labelPrefix)
                }
            }
        }
        return examples
    }

    /// Documents per label, in the order of `labelNames`.
    public var documentsPerLabel: [Int] {
        var counts = [Int](repeating: 0, count: labelNames.count)
        for l in labelOfDocument { counts[l] += 1 }
        return counts
    }

    /// Every file the inputs name (globs and folders expanded), in reading order.
    public static func files(of o: ClassifierInputs) throws -> [String] {
        o.labeled.isEmpty
            ? try files(o.positive, option: "positive") + files(o.negative, option: "negative")
            : try files(o.labeled, option: "labeled")
    }

    private static func files(_ paths: [String], option: String) throws -> [String] {
        var files: [String] = []
        for path in paths {
            do {
                files += try InputPaths.expand(path, source: SourceConfig(name: "classifier", paths: [path], format: .text))
            } catch let error as GristError {
                throw GristError(error.kind, "\(option): \(error.message)")
            }
        }
        return files
    }

    private mutating func index(of label: String) -> Int {
        if let i = labelIndex[label] { return i }
        labelIndex[label] = labelNames.count
        labelNames.append(label)
        return labelNames.count - 1
    }

    private mutating func read(_ path: String, options o: ClassifierInputs, fixedLabel: String?,
                               labelPrefix: String) throws {
        let format = o.format ?? ClassifierFileFormat.of(path: path)
        if fixedLabel == nil && format == .text {
            throw GristError(.usage, "labeled documents are JSON Lines or Parquet records (a text file has no label field)",
                             at: InputPosition(path: path))
        }
        let source: SourceConfig
        switch format {
        case .jsonl:
            source = SourceConfig(name: "classifier", paths: [path], format: .jsonl).with {
                $0.jsonl.textField = o.textField
                if fixedLabel == nil { $0.jsonl.metadataFields = [o.labelField] }
            }
        case .parquet:
            source = SourceConfig(name: "classifier", paths: [path], format: .parquet).with {
                $0.parquet.textColumn = o.textField
                if fixedLabel == nil { $0.parquet.metadataColumns = [o.labelField] }
            }
        case .text:
            source = SourceConfig(name: "classifier", paths: [path], format: .text).with {
                switch o.textSplit {
                case .lines:
                    $0.text.split = .separator
                    $0.text.separator = "\n"
                case .paragraphs: $0.text.split = .paragraphs
                case .file: $0.text.split = .file
                }
            }
        }
        var reader = try Readers.open(path: path, source: source)
        let storedName = MetadataFields.storedName(o.labelField)
        while let event = try reader.next() {
            switch event {
            case .skipped(let error):
                if case .skip(.emptyFile) = error.kind { continue }
                throw error
            case .document(let document):
                if !document.text.contains(where: { !Self.isSpace($0) }) {
                    emptyDocuments += 1
                    continue
                }
                let label: String
                if let fixedLabel {
                    label = fixedLabel
                } else {
                    let at = InputPosition(path: path, line: document.line)
                    guard var value = document.metadata[storedName], value != "null", !value.isEmpty else {
                        throw GristError(.usage, "record without a \"\(o.labelField)\" label", at: at)
                    }
                    if value.hasPrefix(labelPrefix) { value.removeFirst(labelPrefix.count) }
                    if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                    guard !value.isEmpty, !value.utf8.contains(where: Self.isSpace) else {
                        throw GristError(.usage, "label \(value.debugDescription) in \"\(o.labelField)\" is not one word "
                                         + "(fastText labels cannot hold spaces)", at: at)
                    }
                    label = value
                }
                labelOfDocument.append(index(of: label))
                texts.append(document.text)
            }
        }
    }
}
