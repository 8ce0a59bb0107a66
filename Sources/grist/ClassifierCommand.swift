import ArgumentParser
import GristCollect
import GristCore
import GristFilter
import GristPipeline
import GristReport
#if canImport(Glibc)
import Glibc
#endif

extension Grist {
    /// `grist classifier …`: train a fastText document classifier and measure one.
    struct ClassifierCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "classifier",
            abstract: "Train a fastText document classifier (DCLM-style quality or any labels) and test one.",
            subcommands: [Train.self, Test.self])
    }
}

extension FastTextTrainingLoss: ExpressibleByArgument {}

extension Grist.ClassifierCommand {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train a supervised fastText model (.bin) that fastText itself loads and predicts with.",
            discussion: """
                Documents: --positive FILE… and --negative FILE… (labels __label__hq and __label__cc unless \
                --positive-label/--negative-label say otherwise), or --labeled FILE… with the label in \
                --label-field. JSON Lines (text in --text-field), Parquet, or text files (one document per \
                line unless --text-split says otherwise), plain or .gz/.zst/.bz2. Documents with no text are \
                left out.

                Each document becomes one line of fastText's input, its newlines made spaces (as datatrove's \
                text.replace("\\n", " ") before predicting, and as grist's fastText predictor reads a \
                document), after its label. The documents are shuffled with --seed first (--no-shuffle keeps \
                input order: fastText learns in file order, so unshuffled inputs of one label after the other \
                train a poor model). Training is fastText 0.9.3's train_supervised with one thread: the same \
                corpus (--write-corpus writes it) and settings give the model fastText gives, byte for byte, \
                and every run gives the same file.

                The settings are fastText's, with its defaults for supervised training. Without word \
                n-grams (--word-ngrams 1) and character n-grams (--maxn 0) the model has no buckets, as \
                in fastText.
                """)

        @OptionGroup var input: ClassifierInputOptions

        @Option(name: .shortAndLong, help: "The model file to write (fastText .bin, replaced whole).")
        var output: String

        @Option(help: "Passes over the documents (fastText -epoch).")
        var epoch = 5

        @Option(help: "Learning rate at the start, decaying linearly to 0 (fastText -lr).")
        var lr = 0.1

        @Option(help: "Size of the word vectors (fastText -dim).")
        var dim = 100

        @Option(help: "Longest word n-gram (fastText -wordNgrams; 1: words only).")
        var wordNgrams = 1

        @Option(help: "Shortest character n-gram (fastText -minn).")
        var minn = 0

        @Option(help: "Longest character n-gram (fastText -maxn; 0: none).")
        var maxn = 0

        @Option(help: "Words seen fewer times are left out (fastText -minCount).")
        var minCount = 1

        @Option(help: "Labels seen fewer times are left out (fastText -minCountLabel).")
        var minCountLabel = 0

        @Option(help: "Hash buckets of word and character n-grams (fastText -bucket).")
        var bucket = 2_000_000

        @Option(help: "softmax, hs (hierarchical softmax) or ova (one-vs-all) (fastText -loss).")
        var loss: FastTextTrainingLoss = .softmax

        @Option(help: "Seed of the initial weights and of the shuffle (fastText -seed).")
        var seed = 0

        @Option(help: "Tokens between learning-rate updates (fastText -lrUpdateRate).")
        var lrUpdateRate = 100

        @Option(help: "Prefix of label tokens (fastText -label).")
        var labelPrefix = "__label__"

        @Option(help: "Training threads: only 1 is implemented (fastText's several threads update the weights without locks, so their models differ from run to run).")
        var threads = 1

        @Flag(help: "Train in input order instead of a seeded shuffle.")
        var noShuffle = false

        @Option(help: ArgumentHelp("Also write the training lines (fastText's input format) to FILE, to train fastText itself on the same input.", valueName: "FILE"))
        var writeCorpus: String?

        func validate() throws {
            if input.isEmpty { throw ValidationError("Give --positive and --negative files, or --labeled files.") }
            if input.labeled.isEmpty && (input.positive.isEmpty || input.negative.isEmpty) {
                throw ValidationError("Give both --positive and --negative files (or --labeled files).")
            }
            if threads != 1 { throw ValidationError("--threads: only 1 training thread is implemented.") }
            do { try settings.validate() } catch let error as GristError { throw ValidationError(error.message + ".") }
        }

        var settings: FastTextTrainingSettings {
            var s = FastTextTrainingSettings()
            s.epoch = epoch
            s.learningRate = lr
            s.dim = dim
            s.wordNgrams = wordNgrams
            s.minn = minn
            s.maxn = maxn
            s.minCount = minCount
            s.minCountLabel = minCountLabel
            s.bucket = bucket
            s.loss = loss
            s.seed = seed
            s.lrUpdateRate = lrUpdateRate
            s.labelPrefix = labelPrefix
            return s
        }

        func run() throws {
            let started = ProcessClock.now()
            let (examples, corpus) = try ClassifierTraining.read(input.inputs, settings: settings, shuffle: !noShuffle)
            let perLabel = examples.documentsPerLabel
            if let writeCorpus {
                try AtomicFile.write(path: writeCorpus) { try $0.write(corpus.bytes) }
            }
            let read = ProcessClock.now()
            let model = try FastTextTrainer(settings: settings).train(corpus)
            let trained = ProcessClock.now()
            try FastTextModelWriter.write(model, to: output)
            let labels = zip(examples.labelNames, perLabel).map { "\($0): \(Format.count($1))" }.joined(separator: ", ")
            Console.info("read \(Format.count(examples.count)) documents (\(labels))"
                + (examples.emptyDocuments > 0 ? "; \(Format.count(examples.emptyDocuments)) without text left out" : "")
                + " in \(Format.decimal(read.wall - started.wall, 2)) s")
            Console.info("trained \(loss.rawValue), dim \(dim), \(epoch) epochs: \(Format.count(model.wordCount)) words, "
                + "\(model.labels.count) labels, \(Format.count(Int(model.tokenCount))) tokens per epoch; average loss "
                + "\(Format.decimal(model.averageLoss, 4)); \(Format.decimal(trained.cpu - read.cpu, 2)) CPU-s "
                + "(\(Format.decimal(trained.wall - read.wall, 2)) s)")
            Console.info("wrote \(output) (\(Format.bytes(FileSystem.size(output) ?? 0)))")
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Precision and recall at k of a fastText model on labeled documents, as fastText's test.",
            discussion: """
                Documents as for `grist classifier train` (--positive/--negative or --labeled; each read as \
                one line, newlines as spaces), or FILES in fastText's input format (labels then text, one \
                example per line, each line read up to its end as fastText's test reads it). Examples \
                without a label the model knows are left out. Prints N (examples), P@k and R@k, then each \
                label's precision, recall and counts.
                """)

        @Option(name: .shortAndLong, help: "The fastText model (.bin or .ftz).")
        var model: String

        @OptionGroup var input: ClassifierInputOptions

        @Argument(help: "Files in fastText's input format (__label__x text…), plain or .gz/.zst/.bz2.")
        var files: [String] = []

        @Option(name: .short, help: "Labels predicted per example.")
        var k = 1

        @Option(help: "Only predictions of at least this probability count.")
        var threshold: Float = 0

        @Option(help: "Prefix of label tokens (fastText -label).")
        var labelPrefix = "__label__"

        @Option(help: ArgumentHelp("Also write each tested example's predictions to FILE, one line each: label probability … (fastText's predict-prob).", valueName: "FILE"))
        var writePredictions: String?

        func validate() throws {
            if input.isEmpty && files.isEmpty { throw ValidationError("Give FILES, --positive/--negative files or --labeled files.") }
            if !files.isEmpty && !input.isEmpty { throw ValidationError("Give FILES or documents with labels, not both.") }
            if k < 1 { throw ValidationError("-k must be at least 1.") }
        }

        func run() throws {
            let classifier = try FastTextModel(path: model)
            var meter = FastTextMeter(labelCount: classifier.labels.count)
            let scratch = FastTextModel.Scratch()
            var skipped = 0
            var predictions: [UInt8] = []
            func evaluate(_ text: UnsafeRawBufferPointer, gold: [Int], reading: FastTextLineReading) {
                classifier.predict(text, k: k, threshold: threshold, reading: reading, scratch: scratch)
                if gold.isEmpty || scratch.inputRowCount == 0 {
                    skipped += 1
                    return
                }
                meter.log(gold: gold, predicted: scratch.results.map(\.label))
                if writePredictions != nil {
                    predictions += Array(scratch.results.map { "\(classifier.labels[$0.label]) \($0.probability)" }
                        .joined(separator: " ").utf8)
                    predictions.append(0x0A)
                }
            }
            if files.isEmpty {
                let examples = try ClassifierExamples.read(input.inputs, labelPrefix: labelPrefix)
                let gold = examples.labelNames.map { classifier.labelIndex(labelPrefix + $0) }
                for (name, index) in zip(examples.labelNames, gold) where index == nil {
                    Console.warning("the model has no label \(labelPrefix + name): its documents are left out")
                }
                for i in 0..<examples.count {
                    let g = gold[examples.labelOfDocument[i]].map { [$0] } ?? []
                    examples.texts[i].withUnsafeBytes { evaluate($0, gold: g, reading: .joined) }
                }
            } else {
                for path in files {
                    var reader = try Readers.open(path: path, source: SourceConfig(name: "test", paths: [path], format: .text).with {
                        $0.text.split = .separator
                        $0.text.separator = "\n"
                    })
                    while let event = try reader.next() {
                        switch event {
                        case .skipped(let error):
                            if case .skip(.emptyFile) = error.kind { continue }
                            throw error
                        case .document(let line):
                            let gold = Self.labels(of: line.text, prefix: Array(labelPrefix.utf8), model: classifier)
                            line.text.withUnsafeBytes { evaluate($0, gold: gold, reading: .firstLine) }
                        }
                    }
                }
            }
            if meter.examples == 0 {
                throw GristError(.nothingKept, "no examples with a label of the model to test (\(skipped) left out)")
            }
            if let writePredictions { try AtomicFile.write(path: writePredictions) { try $0.write(predictions) } }
            print(Self.report(meter, labels: classifier.labels, k: k, leftOut: skipped))
        }

        /// The label indices of the model among a line's tokens.
        static func labels(of line: [UInt8], prefix: [UInt8], model: FastTextModel) -> [Int] {
            var gold: [Int] = []
            for token in line.split(whereSeparator: ClassifierExamples.isSpace) where token.starts(with: prefix) {
                if let i = model.labelIndex(String(decoding: token, as: UTF8.self)), !gold.contains(i) { gold.append(i) }
            }
            return gold
        }

        /// fastText's `test` output (N, P@k, R@k with three decimals), then one line per label.
        static func report(_ meter: FastTextMeter, labels: [String], k: Int, leftOut: Int) -> String {
            func three(_ x: Double) -> String { x.isNaN ? "-nan" : Format.decimal(x, 3) }
            var lines = ["N\t\(meter.examples)", "P@\(k)\t\(three(meter.overall.precision))", "R@\(k)\t\(three(meter.overall.recall))"]
            if leftOut > 0 { lines.append("left out\t\(leftOut) (no label of the model, or no known token)") }
            let width = max(labels.map(\.count).max() ?? 0, 5)
            lines.append("")
            lines.append("label".padding(toLength: width, withPad: " ", startingAt: 0) + "  precision  recall     f1     gold  predicted")
            for (i, c) in meter.labels.enumerated() where c.gold > 0 || c.predicted > 0 {
                func col(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(w - s.count, 0)) + s }
                lines.append(labels[i].padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + col(three(c.precision), 9) + "  " + col(three(c.recall), 6) + "  " + col(three(c.f1), 5) + "  "
                    + col(String(c.gold), 7) + "  " + col(String(c.predicted), 9))
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// Wall and process CPU seconds now.
struct ProcessClock {
    let wall: Double
    let cpu: Double

    static func now() -> ProcessClock {
        var w = timespec(), c = timespec()
        clock_gettime(CLOCK_MONOTONIC, &w)
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c)
        return ProcessClock(wall: Double(w.tv_sec) + Double(w.tv_nsec) / 1e9, cpu: Double(c.tv_sec) + Double(c.tv_nsec) / 1e9)
    }
}
