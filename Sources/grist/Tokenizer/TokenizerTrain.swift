import ArgumentParser
import GristCore
import GristReport
import GristTokenize

extension Grist.TokenizerCommand {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a byte-level BPE vocabulary on text files (or stdin).",
            discussion: """
                Writes OUTPUT/NAME.tiktoken (tiktoken ranks) and OUTPUT/NAME.json (Hugging Face \
                tokenizer.json). Each input file is one document; standard input is read in chunks \
                cut at line ends. Ids: bytes 0-255, then merges, then the \
                special tokens (<|endoftext|> first). The same inputs in the same order give the same files.
                """)

        @Option(help: "Tokens in the vocabulary, special tokens included (at least 257).")
        var vocabSize: Int

        @Option(name: .shortAndLong, help: "Folder for the vocabulary files (created if missing).")
        var output: String

        @Option(help: "File name (without extension) of the vocabulary files.")
        var name: String = "tokenizer"

        @Option(help: "An extra special token after <|endoftext|> (repeatable).")
        var special: [String] = []

        @Option(help: "Pre-tokenizer pattern: gpt2, cl100k or o200k.")
        var pattern: PreTokenizerPattern = .gpt2

        @Option(help: "Stop reading input after this many bytes (0: read everything).")
        var sampleBytes: Int = 0

        @Argument(help: "Text files, each one document (default: standard input).")
        var files: [String] = []

        func validate() throws {
            guard sampleBytes >= 0 else { throw ValidationError("--sample-bytes must be 0 or more.") }
            guard !name.isEmpty, !name.contains("/") else { throw ValidationError("--name must be a plain file name.") }
        }

        func run() throws {
            let started = monotonicNanoseconds()
            var trainer = try BPETrainer(options: .init(vocabularySize: vocabSize, specialTokens: ["<|endoftext|>"] + special,
                                                               pattern: pattern))
            var remaining = sampleBytes > 0 ? sampleBytes : Int.max
            if files.isEmpty || files == ["-"] {
                // Standard input streams in chunks cut at line ends, so memory stays bounded.
                try CommandInput.forEachChunk(maxBytes: remaining) { chunk in
                    trainer.add(chunk)
                }
            }
            for file in files where file != "-" && remaining > 0 {
                try CommandInput.withBytes(file) { bytes, source in
                    CommandInput.warnIfNotUTF8(bytes, source: source)
                    let used = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, remaining)])
                    trainer.add(used)
                    remaining -= used.count
                }
            }
            let (vocabulary, report) = try trainer.train()
            try FileSystem.createDirectory(output)
            let paths = try vocabulary.save(in: output, name: name)
            let seconds = Double(monotonicNanoseconds() - started) / 1e9
            print("""
                trained \(Format.count(vocabulary.count)) tokens (\(Format.count(report.merges)) merges, \
                \(vocabulary.specialTokens.count) special) on \(Format.bytes(report.bytesSeen)), \
                \(Format.count(report.distinctPieces)) distinct pieces, in \(Format.decimal(seconds, 2)) s
                wrote \(paths.tiktoken) and \(paths.tokenizerJSON) (sha256 \(vocabulary.fileSHA256))
                """)
            if vocabulary.count < vocabSize {
                Console.warning("the text ran out of pairs to merge: \(NumberText.grouped(vocabulary.count)) tokens, not \(NumberText.grouped(vocabSize))")
            }
        }
    }
}
