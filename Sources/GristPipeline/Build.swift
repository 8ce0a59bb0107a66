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

/// What one stage of a build did.
public struct StageReport: Sendable, Equatable {
    public var stage: String
    /// The stage's key: a hash of everything its output depends on.
    public var key: String
    /// Units of work found stored (reused) and done by this run.
    public var reused: Int
    public var ran: Int

    public var description: String {
        if ran == 0 { return "\(stage): reused" + (reused > 1 ? " (\(reused))" : "") }
        if reused == 0 { return "\(stage): ran" + (ran > 1 ? " (\(ran))" : "") }
        return "\(stage): reused \(reused), ran \(ran)"
    }
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

    private func execute(output: OutputFolder) throws -> BuildSummary {
        let config = plan.config
        let layout = try BuildLayout(plan: plan)
        let (dedupSettings, scanPlan) = (layout.dedupSettings, layout.scanPlan)
        InputChanges.report(scanPlan, stateFile: FileSystem.join(output.work, "inputs.txt"))
        try layout.recordUnits(output)
        var stages: [StageReport] = []

        // Phase 1: scan every unit (parallel), storing each part's results.
        let scanned = try scanAll(scanPlan, dedup: layout.dedupSpilling(output), output: output)
        stages.append(StageReport(stage: "scan", key: ScanPlan.key(scanPlan.units.map(\.key)),
                                  reused: scanPlan.units.count - scanned, ran: scanned))
        var (jobs, scans) = try loadParts(scanPlan, output: output)
        // Parts by their place in the work area (not the output's path, so a moved output keeps its work).
        let partIds = jobs.map { output.partId($0.location) }

        // Phase 2: deduplicate (tasks in parallel, then clustering), in a folder keyed by its inputs.
        var duplicates: [DuplicateMember] = []
        var dedupKey: String?
        if let dedupSettings {
            let key = layout.dedupKey(partIds: partIds)
            dedupKey = key
            let stage = DedupStage(settings: dedupSettings,
                                   folder: DedupWorkFolder(path: FileSystem.join(output.dedup, key)), workers: workers)
            let reused = stage.isFinished
            duplicates = try stage.run(parts: jobs.map(\.location), documentCounts: scans.map(\.sketched))
            stages.append(StageReport(stage: "dedup", key: key, reused: reused ? 1 : 0, ran: reused ? 0 : 1))
        }
        if let failure = scans.lazy.compactMap(\.sketchFailure).first { throw failure }
        if config.onError == .fail, let failure = scans.lazy.compactMap(\.failure).first { throw failure }
        var selection = Selection(plan: plan, jobs: jobs, scans: scans, duplicates: duplicates)

        // Phase 2b (tokenizer.train): train on the deduplicated train split, then tokenize (parallel).
        let vocabulary: BPEVocabulary
        let vocabularyPath: String
        var vocabKey: String?
        if let given = plan.vocabulary {
            vocabulary = given
            vocabularyPath = config.tokenizer.vocab?.value ?? config.tokenizer.ranks?.value ?? "bundled:gpt2.tiktoken"
        } else if let training = config.tokenizer.train {
            let key = ScanPlan.key(["vocab", ConfigSections(yaml: plan.loaded.text).section("tokenizer"),
                                    "seed=\(config.seed)", "val=\(config.mix.valFraction)", dedupKey ?? "no-dedup"]
                + partIds)
            vocabKey = key
            let folder = FileSystem.join(output.vocab, key)
            let (trained, report) = try TrainedVocabulary(folder: folder, options: training, seed: config.seed)
                .load(orTrainOn: selection, jobs: jobs)
            for index in jobs.indices { jobs[index].tokenFile = FileSystem.join(folder, "tokens-\(zeroPadded(index, 6)).u32") }
            let tokenized = try TokenizePhase(vocabulary: trained, workers: workers, folder: folder)
                .run(selection: &selection, jobs: jobs)
            try trained.save(in: output.staging, name: OutputFolder.vocabularyName)
            stages.append(StageReport(stage: "tokenizer", key: key, reused: report ? 1 : 0, ran: report ? 0 : 1))
            stages.append(StageReport(stage: "tokenize", key: key, reused: jobs.count - tokenized, ran: tokenized))
            vocabulary = trained
            vocabularyPath = OutputFolder.vocabularyName + ".tiktoken"
        } else {
            preconditionFailure("a plan without a vocabulary trains one")
        }
        guard let endOfText = vocabulary.endOfText else {
            throw GristError(.badFormat, "the tokenizer has no <|endoftext|> token to separate documents")
        }

        // Phases 3 and 4: mix and shards, unless the published build already is this one.
        let buildKey = ScanPlan.key(["build", plan.loaded.sha256, stages.map(\.key).joined(separator: ","),
                                     vocabulary.fileSHA256, "mix=" + ConfigSections(yaml: plan.loaded.text).section("mix"),
                                     "shards=" + ConfigSections(yaml: plan.loaded.text).section("shards"),
                                     "seed=\(config.seed)"])
        let keep: (parts: Set<String>, dedup: String?, vocab: String?) = (Set(scanPlan.units.map(\.key)), dedupKey, vocabKey)
        if let summary = try upToDate(output: output, key: buildKey, stages: stages, jobs: jobs, scans: scans,
                                      selection: selection) {
            try FileSystem.remove(output.staging)
            output.collectGarbage(parts: keep.parts, dedup: keep.dedup, vocab: keep.vocab)
            InputChanges.store(scanPlan, stateFile: FileSystem.join(output.work, "inputs.txt"))
            return summary
        }
        stages.append(StageReport(stage: "shards", key: buildKey, reused: 0, ran: 1))
        let summary = try writeShards(output: output, scanPlan: scanPlan, jobs: jobs, scans: scans, selection: &selection,
                                      vocabulary: vocabulary, vocabularyPath: vocabularyPath, endOfText: endOfText,
                                      buildKey: buildKey, stages: stages)
        try output.publish()
        output.collectGarbage(parts: keep.parts, dedup: keep.dedup, vocab: keep.vocab)
        InputChanges.store(scanPlan, stateFile: FileSystem.join(output.work, "inputs.txt"))
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
        try? manifest.database.makeSelfContained()
    }

}

/// The current time as ISO 8601 in UTC.
func timestamp() -> String { Date().ISO8601Format() }
