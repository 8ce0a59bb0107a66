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
