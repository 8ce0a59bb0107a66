import Foundation
import GristCore
import GristDedup
import GristMix
import GristShards
import GristTokenize

/// What a finished build reports.
public struct BuildSummary: Sendable {
    public var outputDirectory: String
    public var filesRead: Int
    public var documentsRead: Int
    public var recordsSkipped: Int
    public var documentsKept: Int
    public var tokens: [DataSplit: Int]
    public var shards: [DataSplit: Int]
    public var seconds: Double
    /// What each stage did: reused stored work, or ran.
    public var stages: [StageReport]
    /// Nothing changed since the published build: it was kept as it is.
    public var upToDate = false
}

/// Runs a ``BuildPlan`` in stages, each keyed by a hash of its inputs and settings and stored in the
/// output's work area (`OutputFolder`): scan (per part of every input file, in parallel), dedup,
/// tokenizer training (when configured), then mix and shards. A rerun after a crash, or after a config
/// change, reuses every stage whose key is unchanged; the same config and seed give the same shard
/// bytes for any number of workers, and whether or not the build was interrupted.
public struct Build {
    public let plan: BuildPlan
    public let workers: Int
    public let showProgress: Bool
    /// Replace the output of another pipeline.
    public let force: Bool

    public init(plan: BuildPlan, workers: Int, showProgress: Bool = Console.stderrIsTerminal, force: Bool = false) {
        precondition(workers >= 1, "at least one worker")
        self.plan = plan
        self.workers = workers
        self.showProgress = showProgress
        self.force = force
    }

    public func run() throws -> BuildSummary {
        let started = monotonicNanoseconds()
        let output = try OutputFolder.prepare(plan.outputDirectory, pipeline: plan.config.name, force: force)
        var summary: BuildSummary
        do {
            summary = try execute(output: output)
        } catch {
            output.discard()
            recordFailure(error, output: output)
            throw error
        }
        summary.seconds = Double(monotonicNanoseconds() - started) / 1e9
        return summary
    }

    /// The context every stage of this build sees.
    func context(_ layout: WorkLayout) -> BuildContext {
        BuildContext(plan: plan, workers: workers, showProgress: showProgress, layout: layout)
    }

    /// The stages, in order: [paragraphs,] scan, dedup, [tokenizer, tokenize,] mix, shards, publish. Each is one value
    /// (`Stages/`) with its key and its work in the layout; the log records and reports them.
    private func execute(output: OutputFolder) throws -> BuildSummary {
        let config = plan.config
        let layout = output.layout
        let stages = try BuildStages(context(layout))
        var log = StageLog(layout: layout)
        InputChanges.report(stages.scanPlan, stateFile: layout.inputList)

        let parts = try log.run(stages.scan(removing: try stages.paragraphs.map { try log.run($0) }))
        let dedup = stages.dedup(parts: parts.jobs.map(\.location), partIds: parts.partIds,
                                 documentCounts: parts.scans.map(\.sketched))
        let deduplicated = try dedup.map { try log.run($0) }
        if let failure = parts.scans.lazy.compactMap(\.sketchFailure).first { throw failure }
        if config.onError == .fail, let failure = parts.scans.lazy.compactMap(\.failure).first { throw failure }
        var selection = try Selection(plan: plan, jobs: parts.jobs, scans: parts.scans,
                                      duplicates: deduplicated?.members ?? [], audit: deduplicated?.audit,
                                  sampler: stages.sampler)

        var tokenized = parts
        let vocabulary: BPEVocabulary
        let vocabularyPath: String
        var vocabularyKey: String?
        if let given = plan.vocabulary {
            vocabulary = given
            vocabularyPath = config.tokenizer.vocab?.value ?? config.tokenizer.ranks?.value ?? "bundled:gpt2.tiktoken"
        } else if let training = config.tokenizer.train {
            let trainer = VocabularyStage(context: context(layout), options: training, selection: selection, parts: parts,
                                          dedupKey: dedup?.key)
            vocabulary = try log.run(trainer)
            vocabularyKey = trainer.key
            let tokens = try log.run(TokenizeStage(context: context(layout), vocabulary: vocabulary, key: trainer.key,
                                                   scans: selection.scans, jobs: parts.jobs))
            for index in tokenized.jobs.indices {
                tokenized.jobs[index].tokenFile = tokens.files[index]
                selection.setTokens(job: index, tokens.locations[index])
            }
            vocabularyPath = WorkLayout.vocabularyManifestPath
        } else {
            preconditionFailure("a plan without a vocabulary trains one")
        }
        guard let endOfText = vocabulary.endOfText else {
            throw GristError(.badFormat, "the tokenizer has no <|endoftext|> token to separate documents")
        }

        let mixed = try log.run(MixStage(plan: plan, selection: selection, sampler: stages.sampler))
        try mixed.selection.requireSkippedRecordsWithinLimits()
        // Printed at the end of the build and recorded in the manifest, so `grist stats` shows them too.
        let warnings = try mixed.selection.requireDocumentsFromEverySource() + mixed.selection.heavyFilterWarnings()
        for warning in warnings { Console.warning(warning) }
        let summary = try log.run(ShardsStage(
            context: context(layout), scanPlan: stages.scanPlan, parts: tokenized, selection: mixed.selection,
            mixture: mixed.mixture, sampler: stages.sampler, vocabulary: vocabulary, vocabularyPath: vocabularyPath, endOfText: endOfText,
            warnings: warnings, earlier: log.reports))
        try log.run(PublishStage(output: output, units: Set(stages.scanPlan.units.map(\.key)), dedupKey: dedup?.key,
                                 vocabularyKey: vocabularyKey, scanPlan: stages.scanPlan, upToDate: summary.upToDate))
        return summary
    }

    /// Leaves the failed run on record in `.grist/staging/manifest.sqlite` (when it failed before its
    /// manifest was begun): the earlier published build stays as it was.
    func recordFailure(_ error: any Error, output: OutputFolder) {
        guard !FileSystem.exists(output.stagingManifest) else { return }
        try? FileSystem.createDirectory(output.staging)
        guard let manifest = try? Manifest.create(path: output.stagingManifest),
              let runId = try? manifest.beginRun(RunRecord(
                  startedAt: timestamp(), toolVersion: GristVersion.current, configPath: plan.loaded.path,
                  configText: plan.loaded.text, configSha256: plan.loaded.sha256, seed: plan.config.seed,
                  workers: workers, outputDir: plan.outputDirectory)) else { return }
        try? manifest.setMeta("pipeline", plan.config.name)
        try? manifest.finishRun(runId, succeeded: false, finishedAt: timestamp(), error: "\(error)")
        try? manifest.makeSelfContained()
    }

}

/// The current time as ISO 8601 in UTC.
func timestamp() -> String { Date().ISO8601Format() }
