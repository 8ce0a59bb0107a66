import ArgumentParser
import Foundation
import GristCore
import GristReport
import GristPipeline

extension Grist {
    struct DedupCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dedup",
            abstract: "Find exact and near-duplicate documents in JSON Lines files.",
            discussion: """
                Runs the `dedup:` section of the config over the inputs (plain, .gz or .zst JSON Lines with \
                `id` and `text` fields) and prints one JSON line per document of a duplicate cluster: \
                {"id": …, "cluster": N, "keep": true|false}, exactly one kept per cluster, in input order. \
                Documents without duplicates are not listed. Documents are in canonical order: the inputs \
                in the order given, records in file order; `keep: first` keeps the earliest, `keep: priority` \
                the one from the earliest input.

                With --write DIR it also writes the deduplicated corpus: for each input …/NAME, the file \
                DIR/NAME, compressed as the input is (.gz, .zst, .bz2 or plain), holding the input's records \
                except the duplicates dropped (so documents without duplicates and the kept one of each \
                cluster), each line exactly as in the input, in input order. Records the reader skipped (not \
                JSON, no text) are not written. Each file appears whole or not at all; two inputs with the \
                same file name are refused.
                """)

        @Option(name: .shortAndLong, help: "A pipeline config, or a file with just a `dedup:` section.")
        var config: String

        @Argument(help: "JSON Lines files (.jsonl, .jsonl.gz, .jsonl.zst).")
        var inputs: [String]

        @Option(name: .shortAndLong, help: "Write the cluster lines to this file (replaced whole) instead of stdout.")
        var output: String?

        @Option(help: ArgumentHelp("Also write each input …/NAME without its dropped duplicates to DIR/NAME, compressed as the input is.", valueName: "DIR"))
        var write: String?

        @Option(help: ArgumentHelp("Write the dedup audit (cluster sizes, sampled similarities and precision, largest clusters, the guard) to FILE as JSON.", valueName: "FILE"))
        var audit: String?

        @Option(name: .shortAndLong, help: "Worker threads (default: the number of cores).")
        var workers: Int?

        /// `--workers`, or one per core.
        private var workerCount: Int { workers ?? ProcessInfo.processInfo.activeProcessorCount }

        @Option(help: "Work folder for sketches and sort runs; an interrupted run resumes from it (default: OUTPUT.work, or a temporary folder).")
        var work: String?

        @Option(help: "Field holding the text (a dotted path reaches into objects).")
        var textField: String = "text"

        @Option(help: "Field holding the document id.")
        var idField: String = "id"

        func validate() throws {
            guard workerCount >= 1 else { throw ValidationError("--workers must be at least 1.") }
            guard !inputs.isEmpty else { throw ValidationError("Give at least one input file.") }
        }

        func run() throws {
            let dedup = try DedupConfig.load(path: config)
            for input in inputs where !FileSystem.exists(input) {
                throw GristError(.usage, "input file does not exist", at: InputPosition(path: input))
            }
            let folder = work ?? output.map { $0 + ".work" }
                ?? FileSystem.join(FileManager.default.temporaryDirectory.path, "grist-dedup-\(getpid())")
            let job = try DedupJob(config: dedup, inputs: inputs,
                                   jsonl: JSONLReaderOptions().with { $0.textField = textField; $0.idField = idField },
                                   workers: workerCount, workFolder: folder, writeFolder: write)
            let summary = try job.run(output: output, auditFirstLines: audit != nil)
            let d = summary.dedup
            Console.info("""
                deduplicated \(Format.count(summary.documents)) documents in \(summary.files) files \
                (\(Format.count(summary.recordsSkipped)) records skipped) in \(Format.decimal(summary.seconds, 1)) s: \
                \(Format.count(d.clusters)) clusters, \(Format.count(d.exactDuplicates)) identical after \
                normalization\(dedup.url == nil ? "" : ", \(Format.count(d.urlDuplicates)) with the same URL") and \
                \(Format.count(d.nearDuplicates)) near duplicates to drop; \(Format.count(d.candidatePairs)) candidate \
                pairs (\(Format.count(d.verifiedPairs)) verified, \(Format.count(d.rejectedPairs)) rejected)
                """)
            let a = d.audit
            if a.toKept.pairs > 0, let p = a.toKept.precision, let interval = a.toKept.interval {
                var line = "audit: \(Format.count(a.toKept.atOrAbove)) of \(Format.count(a.toKept.pairs)) sampled near "
                    + "duplicates at or above \(a.threshold) against the kept document, precision \(Format.decimal(p, 3)) "
                    + "(95% CI \(Format.decimal(interval.low, 3))–\(Format.decimal(interval.high, 3))); largest cluster "
                    + "\(Format.count(a.largest.first?.size ?? 0)) documents"
                if a.guardCounts.maxClusterSize > 0 {
                    line += "; guard: \(Format.count(a.guardCounts.clusters)) clusters verified, "
                        + "\(Format.count(a.guardCounts.splitOffDocuments)) documents split off"
                }
                Console.info(line)
            }
            if let audit {
                try AtomicFile.write(path: audit) { try $0.write(Array(summary.auditJSON.utf8)) }
            }
            if let write, let written = summary.documentsWritten {
                Console.info("wrote \(Format.count(written)) documents to \(write) (\(summary.files) files; "
                    + "\(Format.count(summary.duplicatesLeftOut ?? 0)) duplicates and "
                    + "\(Format.count(summary.recordsSkipped)) skipped records left out)")
            }
        }
    }
}
