import ArgumentParser
import GristCore
import GristFilter
import GristPipeline

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

    /// The options as the inputs `ClassifierExamples` reads.
    var inputs: ClassifierInputs {
        var inputs = ClassifierInputs()
        inputs.positive = positive
        inputs.negative = negative
        inputs.positiveLabel = positiveLabel
        inputs.negativeLabel = negativeLabel
        inputs.labeled = labeled
        inputs.labelField = labelField
        inputs.textField = textField
        inputs.format = format
        inputs.textSplit = textSplit
        return inputs
    }

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

extension ClassifierFileFormat: ExpressibleByArgument {}
extension ClassifierTextSplit: ExpressibleByArgument {}
