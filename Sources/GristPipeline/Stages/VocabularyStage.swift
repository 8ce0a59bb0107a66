import GristCore
import GristTokenize

/// `tokenizer.train`: trains the build's vocabulary on the deduplicated train split (or loads the one
/// stored under its key), and stages it for publishing as `OUTPUT/tokenizer.{tiktoken,json}`.
///
/// Work: `vocab/KEY/` (`WorkLayout`); key: the `tokenizer:` section, the seed and validation share
/// (they decide the train split), the dedup stage's key and the parts' identities.
struct VocabularyStage: BuildStage {
    static let name = StageName.tokenizer
    let context: BuildContext
    let options: TokenizerTrainConfig
    let selection: Selection
    let parts: ScannedParts
    let dedupKey: String?

    var key: String {
        let config = context.plan.config
        return ScanPlan.key(["vocab", ConfigSections(yaml: context.plan.loaded.text).section("tokenizer"),
                             "seed=\(config.seed)", "val=\(config.mix.valFraction)", dedupKey ?? "no-dedup"]
            + parts.partIds)
    }
    var folder: VocabularyFolder { context.layout.vocabulary(key) }

    func run() throws -> StageRun<BPEVocabulary> {
        let (trained, reused) = try TrainedVocabulary(folder: folder, options: options, seed: context.plan.config.seed)
            .load(orTrainOn: selection, jobs: parts.jobs)
        try trained.save(in: context.layout.staging, name: WorkLayout.vocabularyName)
        return StageRun(output: trained, reused: reused ? 1 : 0, ran: reused ? 0 : 1)
    }

    static func progress(of record: StageRecord, in layout: WorkLayout) -> StageProgress? {
        let trained = FileSystem.exists(layout.vocabulary(record.key).ranks)
        return StageProgress(stage: name, stored: trained ? 1 : 0, planned: 1, finished: trained)
    }
}
