import GristCore
import GristTokenize

/// Trains the build's vocabulary (`tokenizer.train`) on the corpus as deduplication left it: the
/// unique kept documents of the train split (the validation split stays unseen), read back from the
/// scan's text spills in canonical order.
///
/// When they hold more than `sample_bytes`, each document is taken with probability
/// `sample_bytes / total` by a seeded hash of its fingerprint (order-free, so the sample does not depend
/// on thread timing), up to `sample_bytes` (the document that reaches it contributes its beginning). Training itself is sequential and deterministic, so the
/// vocabulary is the same bytes for the same config and seed on any number of workers.
struct VocabularyTraining {
    let options: TokenizerTrainConfig
    let seed: UInt64

    /// What the sample held.
    struct Sample {
        var documents = 0
        var bytes = 0
    }

    func run(selection: Selection, textSpills: [MappedFile]) throws -> (BPEVocabulary, Sample, BPETrainer.Report) {
        let candidates = selection.entries.filter { $0.stage == nil && $0.split == .train }
        let total = candidates.reduce(0) { $0 + selection.document($1).byteCount }
        guard total > 0 else {
            throw GristError(.usage, "no training-split documents are left to train the tokenizer on",
                             hint: "check the sources and filters, or use the bundled gpt2 vocabulary")
        }
        let share = min(1.0, Double(options.sampleBytes) / Double(total))
        let pattern = PreTokenizerPattern(rawValue: options.pattern.rawValue) ?? .gpt2
        var trainer = try BPETrainer(options: .init(vocabularySize: options.vocabSize,
                                                    specialTokens: ["<|endoftext|>"] + options.specialTokens,
                                                    pattern: pattern))
        var sample = Sample()
        for entry in candidates {
            let document = selection.document(entry)
            guard let fingerprint = document.fingerprint else { continue }
            if share < 1, SplitMix64.unitInterval(seed: seed, 0x746F_6B65_6E69_7A65, fingerprint.high, fingerprint.low) >= share {
                continue
            }
            // The document that reaches `sample_bytes` contributes its beginning, then the sample is full.
            let take = min(document.byteCount, options.sampleBytes - sample.bytes)
            if take <= 0 { break }
            let bytes = textSpills[entry.job].bytes
            let range = document.textOffset..<(document.textOffset + take)
            guard range.upperBound <= bytes.count else {
                throw GristError(.mismatch, "text spill is shorter than recorded", at: InputPosition(path: textSpills[entry.job].path))
            }
            trainer.add(UnsafeRawBufferPointer(rebasing: bytes[range]))
            sample.documents += 1
            sample.bytes += take
        }
        let (vocabulary, report) = try trainer.train()
        return (vocabulary, sample, report)
    }
}

/// A vocabulary trained by a build, stored in its work folder (`VocabularyFolder.ranks`), so a
/// rerun with the same key loads it instead of training again. Both paths hand out the vocabulary as
/// read back from the stored file, so they give the same tokens.
struct TrainedVocabulary {
    let folder: VocabularyFolder
    let options: TokenizerTrainConfig
    let seed: UInt64

    private var stored: String { folder.ranks }

    /// The trained vocabulary's special tokens: `<|endoftext|>`, then the configured ones, after the ranks.
    private func specialTokens(after ranks: Int) -> [String: UInt32] {
        Dictionary(uniqueKeysWithValues: (["<|endoftext|>"] + options.specialTokens).enumerated().map {
            ($0.element, UInt32(ranks + $0.offset))
        })
    }

    /// The stored vocabulary, or one trained on `selection` now; and whether it was stored already.
    /// Both are the same vocabulary: the stored ranks with the same special tokens, pattern and name.
    func load(orTrainOn selection: Selection, jobs: [ScanJob]) throws -> (BPEVocabulary, reused: Bool) {
        let pattern = PreTokenizerPattern(rawValue: options.pattern.rawValue) ?? .gpt2
        if let file = try? MappedFile(path: stored) {
            let ranks = String(decoding: file.bytes, as: UTF8.self).split(separator: "\n").count
            if let vocabulary = try? BPEVocabulary(tiktokenContents: file.bytes, source: stored, pattern: pattern,
                                                   specialTokens: specialTokens(after: ranks), name: "trained") {
                return (vocabulary, true)
            }
        }
        let started = monotonicNanoseconds()
        try FileSystem.createDirectory(folder.path)
        let texts = try jobs.map { try MappedFile(path: $0.textFile) }
        let (trained, sample, report) = try VocabularyTraining(options: options, seed: seed)
            .run(selection: selection, textSpills: texts)
        try trained.save(in: folder.path, name: VocabularyFolder.vocabularyName)
        Console.info("trained a \(NumberText.grouped(trained.count))-token vocabulary on \(NumberText.grouped(sample.documents)) documents ("
            + "\(NumberText.grouped(sample.bytes)) bytes, \(NumberText.grouped(report.distinctPieces)) distinct pieces) in "
            + "\(Double((monotonicNanoseconds() - started) / 1_000_000) / 1000) s")
        Fault.point("tokenizer-trained")
        return (trained, false)
    }
}
