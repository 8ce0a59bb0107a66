import ArgumentParser
import Foundation
import GristCore
import GristPipeline

extension Grist {
    struct FilterCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "filter",
            abstract: "Run a pipeline's clean: and filters: over a JSON Lines file; print one decision per document.",
            discussion: """
                Prints {"id": …, "keep": true} or {"id": …, "keep": false, "reason": "filter:rule"} for every \
                document, in input order (with --show-text, also "text": the text as the rules left it). Other \
                sections of the config are ignored.
                """)

        @Option(name: .long, help: "The pipeline YAML file whose clean: and filters: sections run.")
        var config: String

        @Argument(help: "JSON Lines input (plain, .gz or .zst) with id and text fields.")
        var input: String

        @Option(name: .long, help: "A field of the input to copy into the document's metadata (url, for url_blocklist); a dotted path (metadata.url, as grist collect writes it) is stored by its last name; repeatable.")
        var metadataField: [String] = []

        @Flag(name: .long, help: "Add each document's text as the rules left it: cleaned, rewritten (c4, pii, strip_lines), or as it was when a filter dropped it.")
        var showText = false

        @Flag(name: .long, help: "Print the number of documents, kept documents and the CPU seconds of the rules to stderr.")
        var summary = false

        func run() throws {
            let run = try FilterRun(configPath: config)
            guard FileManager.default.fileExists(atPath: input) else {
                throw GristError(.usage, "input file does not exist", at: InputPosition(path: input))
            }
            let output = BufferedFileWriter(standardOutputCapacity: 1 << 16)
            let result = try run.run(inputPath: input, jsonl: JSONLReaderOptions().with { $0.metadataFields = metadataField },
                                     showText: showText) { line in
                try line.withUnsafeBytes { try output.write($0) }
            }
            try output.flush()
            if summary {
                Console.info(String(format: "%d documents, %d kept, %d records skipped; rules: %.3f CPU-s",
                                    result.documents, result.kept, result.skippedRecords, result.ruleSeconds))
            }
        }
    }
}
