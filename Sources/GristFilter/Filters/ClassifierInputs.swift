/// Where a classifier's labeled training (or test) documents come from: files of positive and negative
/// documents (each file's records get one label), or labeled JSON Lines / Parquet records (the label in
/// a field). `grist classifier train` takes them as flags, a `fasttext_classifier`'s `train:` as keys.
public struct ClassifierInputs: Sendable, Equatable {
    public var positive: [String] = []
    public var negative: [String] = []
    /// Labels of the positive and negative documents, without the label prefix (DCLM's names).
    public var positiveLabel = "hq"
    public var negativeLabel = "cc"
    public var labeled: [String] = []
    /// The field (JSON Lines) or column (Parquet) of a labeled record's label.
    public var labelField = "label"
    /// The field (JSON Lines) or column (Parquet) of the text.
    public var textField = "text"
    /// nil: from each file's name.
    public var format: ClassifierFileFormat?
    public var textSplit: ClassifierTextSplit = .lines

    public init() {}

    public var isEmpty: Bool { positive.isEmpty && negative.isEmpty && labeled.isEmpty }
}

/// How a classifier's input file is read.
public enum ClassifierFileFormat: String, Sendable, CaseIterable {
    case jsonl, text, parquet

    /// From the file name: `.jsonl`, `.json` or `.ndjson` is JSON Lines, `.parquet` Parquet, anything
    /// else text (a `.gz`, `.zst` or `.bz2` after the name is the compression).
    public static func of(path: String) -> ClassifierFileFormat {
        var name = Substring(path.split(separator: "/").last ?? Substring(path))
        for suffix in [".gz", ".zst", ".bz2"] where name.hasSuffix(suffix) { name = name.dropLast(suffix.count) }
        if [".jsonl", ".json", ".ndjson"].contains(where: { name.hasSuffix($0) }) { return .jsonl }
        if name.hasSuffix(".parquet") { return .parquet }
        return .text
    }
}

/// How a text file is cut into documents: a line each, blocks between blank lines, or the whole file.
public enum ClassifierTextSplit: String, Sendable, CaseIterable {
    case lines, paragraphs, file
}
