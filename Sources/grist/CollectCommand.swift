import ArgumentParser
import GristCore
import GristReport
import GristPipeline

extension Grist {
    struct CollectCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "collect",
            abstract: "Read files with one reader and print the documents as JSON lines {\"id\", \"text\", \"metadata\"}.",
            discussion: """
                Formats: text, jsonl, html, warc, wet, mediawiki, parquet, hf_dataset (compression from the file name: \
                .gz, .zst, .bz2). PATHs are files, folders (read whole) or globs (`**` for any depth); for hf_dataset, \
                Hugging Face dataset folders (the Parquet files of --hf-split). With --config and --source, \
                the format, its options and (without PATHs) the paths come from a pipeline source. \
                Skipped records are reported on stderr; a summary line ends the run.
                """)

        @Option(name: .shortAndLong, help: "Input format: text, jsonl, html, warc, wet, mediawiki, parquet, hf_dataset.")
        var format: SourceFormat?

        @Option(help: "A pipeline file to take the reader settings from (with --source).")
        var config: String?

        @Option(help: "The name of a source in --config.")
        var source: String?

        @Option(help: "jsonl: key of the text (dotted paths reach into objects); parquet, hf_dataset: its column.")
        var textField: String?

        @Option(help: "jsonl: key of the id; parquet, hf_dataset: its column.")
        var idField: String?

        @Option(help: "jsonl: a key to copy into the metadata; parquet, hf_dataset: a column (repeatable).")
        var metadataField: [String] = []

        @Option(help: "hf_dataset: a split to read (repeatable; default train).")
        var hfSplit: [String] = []

        @Option(help: "hf_dataset: the config (subset) of a dataset whose README lists several.")
        var hfConfig: String?

        @Option(help: "text: file, paragraphs or separator.")
        var split: TextReaderOptions.Split?

        @Option(help: "text: the separator of `--split separator` (\\n and \\t are understood).")
        var separator: String?

        @Option(help: "html, warc: main (main text) or all (all visible text).")
        var extract: HTMLExtraction?

        @Option(help: "mediawiki: a namespace number to read (repeatable; default 0).")
        var namespace: [Int] = []

        @Flag(help: "mediawiki: keep redirect pages.")
        var keepRedirects = false

        @Option(help: "What to do with bytes that are not UTF-8: reject or replace.")
        var invalidUTF8: InvalidUTF8Policy?

        @Option(help: "Largest allowed expansion of a compressed member (default 200).")
        var maxExpansionRatio: Double?

        @Option(help: "Stop after this many documents.")
        var limit: Int?

        @Flag(help: "Print only the summary (count documents and bytes).")
        var count = false

        @Option(help: "skip (report bad records and go on) or fail (stop at the first one, exit 1).")
        var onError: ErrorPolicy = .skip

        @Argument(help: "Files, folders or glob patterns.")
        var paths: [String] = []

        func validate() throws {
            if (config == nil) != (source == nil) { throw ValidationError("--config and --source go together.") }
            if config == nil, format == nil { throw ValidationError("Give --format (or --config and --source).") }
            if config == nil, paths.isEmpty { throw ValidationError("Give at least one PATH.") }
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
            if let maxExpansionRatio, !(maxExpansionRatio >= 1) {
                throw ValidationError("--max-expansion-ratio must be at least 1.")
            }
        }

        func run() throws {
            var (sourceConfig, patterns) = try baseSource()
            try applyFlags(to: &sourceConfig)
            let collect = try Collect(source: sourceConfig, patterns: paths.isEmpty ? patterns : paths)
            var warnings = 0
            let summary = try collect.run(limit: limit, stopOnError: onError == .fail, countOnly: count,
                                          warn: { error in
                                              warnings += 1
                                              if warnings <= 20 { Console.warning("skipped \(error)") }
                                          },
                                          write: { try FileDescriptor.standardOutput.writeAll($0) })
            if warnings > 20 { Console.warning("… and \(warnings - 20) more skipped records") }
            var line = "collected \(Format.count(summary.documents)) documents (\(Format.bytes(summary.bytes)) of text) "
                + "from \(Format.count(summary.files)) files; \(Format.count(summary.skipped.count)) records skipped"
            if !summary.filtered.isEmpty {
                line += "; passed over: " + summary.filtered.keys.sorted()
                    .map { "\($0) \(Format.count(summary.filtered[$0] ?? 0))" }.joined(separator: ", ")
            }
            if summary.stoppedAtLimit { line += " (stopped at --limit)" }
            if count { print(line) } else { Console.info(line) }
        }

        /// The source to start from: a pipeline's, or a fresh one of `--format`.
        private func baseSource() throws -> (SourceConfig, [String]) {
            if let config, let source {
                let loaded = try PipelineConfig.load(path: config)
                guard let found = loaded.config.sources.first(where: { $0.name == source }) else {
                    let names = loaded.config.sources.map(\.name).joined(separator: ", ")
                    throw GristError(.usage, "\(config) has no source \"\(source)\" (sources: \(names))")
                }
                if let format, format != found.format {
                    throw GristError(.usage, "--format \(format.rawValue) differs from source \"\(source)\"'s "
                                     + "format \(found.format.rawValue)")
                }
                return (found, found.paths.map(\.value))
            }
            return (SourceConfig(name: "collect", paths: paths, format: format ?? .text), paths)
        }

        private func applyFlags(to source: inout SourceConfig) throws {
            func only(_ flag: String, _ formats: [SourceFormat]) throws {
                guard formats.contains(source.format) else {
                    throw GristError(.usage, "\(flag) does not apply to format \(source.format.rawValue)")
                }
            }
            let columns: [SourceFormat] = [.jsonl, .parquet, .hfDataset]
            if let textField {
                try only("--text-field", columns)
                source.jsonl.textField = textField
                source.parquet.textColumn = textField
            }
            if let idField {
                try only("--id-field", columns)
                source.jsonl.idField = idField
                source.parquet.idColumn = idField
            }
            if !metadataField.isEmpty {
                try only("--metadata-field", columns)
                source.jsonl.metadataFields = metadataField
                source.parquet.metadataColumns = metadataField
            }
            if !hfSplit.isEmpty { try only("--hf-split", [.hfDataset]); source.hfDataset.splits = hfSplit }
            if let hfConfig { try only("--hf-config", [.hfDataset]); source.hfDataset.config = hfConfig }
            if let split { try only("--split", [.text]); source.text.split = split }
            if let separator {
                try only("--separator", [.text])
                source.text.separator = separator.replacingEscapes()
                if split == nil { source.text.split = .separator }
            }
            if source.format == .text, source.text.split == .separator, (source.text.separator ?? "").isEmpty {
                throw GristError(.usage, "--split separator needs --separator")
            }
            if let extract {
                try only("--extract", [.html, .warc])
                source.html.extract = extract
                source.warc.extract = extract
            }
            if !namespace.isEmpty { try only("--namespace", [.mediawiki]); source.mediawiki.namespaces = namespace }
            if keepRedirects { try only("--keep-redirects", [.mediawiki]); source.mediawiki.skipRedirects = false }
            if let invalidUTF8 { source.invalidUTF8 = invalidUTF8 }
            if let maxExpansionRatio { source.maxExpansionRatio = maxExpansionRatio }
        }
    }
}

extension SourceFormat: ExpressibleByArgument {}
extension TextReaderOptions.Split: ExpressibleByArgument {}
extension HTMLExtraction: ExpressibleByArgument {}
extension InvalidUTF8Policy: ExpressibleByArgument {}
extension ErrorPolicy: ExpressibleByArgument {}

extension String {
    /// `\n`, `\t`, `\r` and `\\` written on a command line, as the characters they name.
    func replacingEscapes() -> String {
        var out = ""
        var escaping = false
        for character in self {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        if escaping { out.append("\\") }
        return out
    }
}
