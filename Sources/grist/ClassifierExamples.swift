import ArgumentParser
import GristCollect
import GristCore

/// The labeled documents `grist classifier train` and `test` read: files of positive and negative
/// documents (each file's records get one label), or labeled JSON Lines / Parquet records (the label in
/// a field). Read with the readers of `grist build` (compression from the file name).
struct ClassifierInputOptions: ParsableArguments {
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Files (or folders, or globs) of positive documents.", valueName: "FILE"))
    var positive: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Files (or folders, or globs) of negative documents.", valueName: "FILE"))
    var negative: [String] = []

    @Option(help: "Label of the positive documents (written __label__hq: DCLM's name).")
    var positiveLabel = "hq"

    @Option(help: "Label of the negative documents (written __label__cc).")
    var negativeLabel = "cc"

    @Option(parsing: .upToNextOption, help: ArgumentHelp("JSON Lines or Parquet files whose records carry their label in --label-field.", valueName: "FILE"))
    var labeled: [String] = []

    @Option(help: "The field (JSON Lines) or column (Parquet) of a --labeled record's label; its value gets the label prefix unless it has it.")
    var labelField = "label"

    @Option(help: "The field (JSON Lines) or column (Parquet) of the text.")
    var textField = "text"

    @Option(help: "Input format: jsonl, text or parquet (default: from each file's name: .jsonl/.json/.ndjson, .parquet, else text; .gz/.zst/.bz2 after it).")
    var format: ClassifierFileFormat?

    @Option(help: "How a text file is cut into documents: lines (one document per line), paragraphs (blocks between blank lines) or file (the whole file).")
    var textSplit: ClassifierTextSplit = .lines

    var isEmpty: Bool { positive.isEmpty && negative.isEmpty && labeled.isEmpty }

    func validate() throws {
        if !labeled.isEmpty && !(positive.isEmpty && negative.isEmpty) {
            throw ValidationError("Give either --labeled files or --positive and --negative files, not both.")
        }
        for (name, label) in [("--positive-label", positiveLabel), ("--negative-label", negativeLabel)]
        where label.isEmpty || label.utf8.contains(where: ClassifierExamples.isSpace) {
            throw ValidationError("\(name) must be a nonempty word without spaces.")
        }
        if positiveLabel == negativeLabel { throw ValidationError("--positive-label and --negative-label must differ.") }
    }
}

enum ClassifierFileFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, text, parquet

    /// From the file name: `.jsonl`, `.json` or `.ndjson` is JSON Lines, `.parquet` Parquet, anything
    /// else text (a `.gz`, `.zst` or `.bz2` after the name is the compression).
    static func of(path: String) -> ClassifierFileFormat {
        var name = Substring(path.split(separator: "/").last ?? Substring(path))
        for suffix in [".gz", ".zst", ".bz2"] where name.hasSuffix(suffix) { name = name.dropLast(suffix.count) }
        if [".jsonl", ".json", ".ndjson"].contains(where: { name.hasSuffix($0) }) { return .jsonl }
        if name.hasSuffix(".parquet") { return .parquet }
        return .text
    }
}

enum ClassifierTextSplit: String, ExpressibleByArgument, CaseIterable {
    case lines, paragraphs, file
}

/// Documents with their label, in input order: the files in the order given (each path's files
/// sorted), records in file order.
struct ClassifierExamples {
    /// Label names without the prefix (`hq`, `en`), in order of first appearance.
    private(set) var labelNames: [String] = []
    /// Per document: the index of its label in `labelNames`.
    private(set) var labelOfDocument: [Int] = []
    private(set) var texts: [[UInt8]] = []
    /// Documents with no text but spaces, left out.
    private(set) var emptyDocuments = 0
    private var labelIndex: [String: Int] = [:]

    var count: Int { texts.count }

    static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x0B || c == 0x0C || c == 0
    }

    /// Reads every document of the inputs.
    /// - Throws: the first record a reader cannot read (named by file and line), a `--labeled` record
    ///   without a usable label, and paths that give no files.
    static func read(_ o: ClassifierInputOptions, labelPrefix: String) throws -> ClassifierExamples {
        var examples = ClassifierExamples()
        if !o.labeled.isEmpty {
            for path in try files(o.labeled, option: "--labeled") {
                try examples.read(path, options: o, fixedLabel: nil, labelPrefix: labelPrefix)
            }
        } else {
            for (paths, label, option) in [(o.positive, o.positiveLabel, "--positive"), (o.negative, o.negativeLabel, "--negative")] {
                _ = examples.index(of: label)
                for path in try files(paths, option: option) {
                    try examples.read(path, options: o, fixedLabel: label, labelPrefix: labelPrefix)
                }
            }
        }
        return examples
    }

    /// Documents per label, in the order of `labelNames`.
    var documentsPerLabel: [Int] {
        var counts = [Int](repeating: 0, count: labelNames.count)
        for l in labelOfDocument { counts[l] += 1 }
        return counts
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

    private mutating func read(_ path: String, options o: ClassifierInputOptions, fixedLabel: String?,
                               labelPrefix: String) throws {
        let format = o.format ?? ClassifierFileFormat.of(path: path)
        if fixedLabel == nil && format == .text {
            throw GristError(.usage, "--labeled reads JSON Lines or Parquet records (a text file has no label field)",
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
