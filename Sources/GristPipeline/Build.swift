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
}

/// Runs a ``BuildPlan``: scan files in parallel, deduplicate in canonical order, mix, write shards,
/// and record all of it in the manifest. Same plan and seed, same shard bytes, for any worker count.
public struct Build {
    public let plan: BuildPlan
    public let workers: Int
    public let showProgress: Bool

    public init(plan: BuildPlan, workers: Int, showProgress: Bool = Console.stderrIsTerminal) {
        precondition(workers >= 1, "at least one worker")
        self.plan = plan
        self.workers = workers
        self.showProgress = showProgress
    }

    public func run() throws -> BuildSummary {
        let started = monotonicNanoseconds()
        let output = try OutputFolder.prepare(plan.outputDirectory)
        var summary: BuildSummary
        do {
            let manifest = try Manifest.create(path: output.stagingManifest)
            let runId = try manifest.beginRun(RunRecord(
                startedAt: timestamp(), toolVersion: GristVersion.current, configPath: plan.loaded.path,
                configText: plan.loaded.text, configSha256: plan.loaded.sha256, seed: plan.config.seed,
                workers: workers, outputDir: plan.outputDirectory))
            do {
                summary = try execute(manifest: manifest, runId: runId, output: output)
                try manifest.finishRun(runId, succeeded: true, finishedAt: timestamp())
                try manifest.database.makeSelfContained()
            } catch {
                try? manifest.finishRun(runId, succeeded: false, finishedAt: timestamp(), error: "\(error)")
                try? manifest.database.makeSelfContained()
                throw error
            }
        } catch {
            output.discard()
            throw error
        }
        try output.publish()
        summary.seconds = Double(monotonicNanoseconds() - started) / 1e9
        return summary
    }

    private func execute(manifest: Manifest, runId: Int64, output: OutputFolder) throws -> BuildSummary {
        let config = plan.config

        // Sources and files, in canonical order.
        var jobs: [ScanJob] = []
        var sourceIds: [Int64] = []
        for (position, source) in plan.sources.enumerated() {
            let sourceId = try manifest.addSource(runId: runId, position: position, name: source.config.name,
                                                  format: source.config.format.rawValue, weight: source.config.weight)
            sourceIds.append(sourceId)
            for file in source.files {
                let fileId = try manifest.addInputFile(sourceId: sourceId, path: file.path, byteSize: file.byteSize)
                jobs.append(ScanJob(source: position, file: file, fileId: fileId,
                                    tokenFile: FileSystem.join(output.work, "file-\(jobs.count).tokens"),
                                    textFile: FileSystem.join(output.work, "file-\(jobs.count).text")))
            }
        }

        // Phase 1: scan every file (parallel), leaving dedup sketches in the work folder. A vocabulary
        // trained by this build does not exist yet: then the scan spills cleaned text instead of tokens.
        let dedup = try dedupSpilling(work: output.work)
        let scans = scanAll(jobs, vocabulary: plan.vocabulary, dedup: dedup)
        try record(scans, of: jobs, in: manifest)
        if let failure = scans.lazy.compactMap(\.sketchFailure).first { throw failure }
        if config.onError == .fail, let failure = scans.lazy.compactMap(\.failure).first {
            throw failure
        }

        // Phase 2: deduplicate (tasks in parallel, then clustering).
        var duplicates: [DuplicateMember] = []
        if let dedup {
            let dedupPlan = try DedupPlan(settings: dedup.settings, folder: dedup.folder,
                                          documentCounts: scans.map(\.sketched))
            try DedupTasks.run(dedupPlan, workers: workers)
            _ = try dedupPlan.cluster { duplicates.append($0) }
        }
        var selection = Selection(plan: plan, jobs: jobs, scans: scans, duplicates: duplicates)

        // Phase 2b (tokenizer.train): train on the deduplicated train split, then tokenize (parallel).
        let vocabulary: BPEVocabulary
        let vocabularyPath: String
        if let given = plan.vocabulary {
            vocabulary = given
            vocabularyPath = config.tokenizer.vocab?.value ?? config.tokenizer.ranks?.value ?? "bundled:gpt2.tiktoken"
        } else if let training = config.tokenizer.train {
            let started = monotonicNanoseconds()
            let texts = try jobs.map { try MappedFile(path: $0.textFile) }
            let (trained, sample, report) = try VocabularyTraining(options: training, seed: config.seed)
                .run(selection: selection, textSpills: texts)
            try trained.save(in: output.staging, name: OutputFolder.vocabularyName)
            Console.info("trained a \(trained.count)-token vocabulary on \(sample.documents) documents ("
                + "\(sample.bytes) bytes, \(report.distinctPieces) distinct pieces) in "
                + "\(Double((monotonicNanoseconds() - started) / 1_000_000) / 1000) s")
            try TokenizePhase(vocabulary: trained, workers: workers).run(selection: &selection, jobs: jobs)
            vocabulary = trained
            vocabularyPath = OutputFolder.vocabularyName + ".tiktoken"
        } else {
            preconditionFailure("a plan without a vocabulary trains one")
        }
        guard let endOfText = vocabulary.endOfText else {
            throw GristError(.badFormat, "the tokenizer has no <|endoftext|> token to separate documents")
        }
        try manifest.addTokenizer(runId: runId, TokenizerRecord(
            name: vocabulary.name, vocabularySize: vocabulary.count, endOfTextToken: Int(endOfText),
            filePath: vocabularyPath, fileSha256: vocabulary.fileSHA256))

        // Phase 3: split and mix.
        let mix = selection.mix()

        // Phase 4: shards.
        let spills = try jobs.map { try MappedFile(path: $0.tokenFile) }
        let layout = ShardLayout(selection: selection, tokensPerShard: config.shards.tokensPerShard)
        let written = try ShardAssembler(layout: layout, spills: spills, endOfText: endOfText,
                                         vocabularySize: vocabulary.count, stagingDirectory: output.staging,
                                         workers: workers).writeAll()

        // Phase 5: the manifest.
        try manifest.addDocuments(selection.documentRecords(), clusters: selection.clusterRecords(runId: runId))
        for (position, sourceId) in sourceIds.enumerated() {
            try manifest.setStageCounts(sourceId: sourceId, selection.tallies[position].rows)
            try manifest.setDuplicateSources(sourceId: sourceId, selection.duplicateSources(of: position).map {
                DuplicateSourceCount(keptSourceId: sourceIds[$0.source], exactDuplicates: $0.exact,
                                     nearDuplicates: $0.near)
            })
            try manifest.setOutcome(sourceId: sourceId, SourceOutcome(
                multiplier: mix.multipliers[position], targetShare: mix.targetShares[position],
                achievedShare: layout.achievedShares[position], keptDocuments: selection.keptCount(source: position),
                keptBytes: selection.keptBytes(source: position), keptTokens: selection.keptTokens(source: position),
                trainTokens: layout.tokensBySource[.train]?[position] ?? 0,
                valTokens: layout.tokensBySource[.val]?[position] ?? 0))
        }
        for shard in written { try manifest.addShard(runId: runId, shard.record, placements: shard.placements) }
        try recordProfile(selection: selection, sourceIds: sourceIds, written: written, manifest: manifest, runId: runId)

        return BuildSummary(
            outputDirectory: plan.outputDirectory, filesRead: jobs.count,
            documentsRead: scans.reduce(0) { $0 + $1.documents.count },
            recordsSkipped: scans.reduce(0) { $0 + $1.skipped.count + ($1.failure == nil ? 0 : 1) },
            documentsKept: selection.keptCount,
            tokens: Dictionary(uniqueKeysWithValues: DataSplit.allCases.map { split in
                (split, written.filter { $0.record.split == split }.reduce(0) { $0 + $1.record.tokenCount })
            }),
            shards: Dictionary(uniqueKeysWithValues: DataSplit.allCases.map { split in
                (split, written.filter { $0.record.split == split }.count)
            }),
            seconds: 0)
    }

    /// Where and how phase 1 writes dedup sketches; nil when the config turns deduplication off.
    private func dedupSpilling(work: String) throws -> DedupSpilling? {
        let config = plan.config.dedup
        guard config.isEnabled else { return nil }
        let folder = DedupWorkFolder(path: FileSystem.join(work, "dedup"))
        try folder.create()
        // Listed sources first (in list order), then the others in config order.
        let names = plan.sources.map(\.config.name)
        let listed = config.minhash?.priority ?? []
        let order = listed + names.filter { !listed.contains($0) }
        let priority = names.map { name in order.firstIndex(of: name) ?? order.count }
        return DedupSpilling(settings: DedupSettings(config), folder: folder, sourcePriority: priority)
    }

    private func scanAll(_ jobs: [ScanJob], vocabulary: BPEVocabulary?, dedup: DedupSpilling?) -> [FileScan] {
        var stages: [String] = []
        for rule in plan.rules {
            var name = rule.name
            var suffix = 2
            while stages.contains(name) {
                name = "\(rule.name)#\(suffix)"
                suffix += 1
            }
            stages.append(name)
        }
        let scanner = FileScanner(rules: plan.rules, ruleStages: stages, policy: plan.config.onError,
                                  cancellation: Cancellation(), dedup: dedup)
        let settings = dedup?.settings ?? DedupSettings(exact: false, minhash: nil)
        let progress = BuildProgress(filesTotal: jobs.count, enabled: showProgress)
        defer { progress.finish() }
        let sources = plan.sources
        // Largest files first, so the last file to finish is a small one.
        let order = jobs.indices.sorted { (jobs[$0].file.byteSize, $1) > (jobs[$1].file.byteSize, $0) }
        return Parallel.map(items: jobs.count, workers: workers, order: order,
                            makeState: { ScanState(encoder: vocabulary.map { BPEEncoder(vocabulary: $0) },
                                                   sketcher: settings.makeSketcher()) }) { index, state in
            let job = jobs[index]
            let scan = scanner.scan(job.file, number: index, sourceIndex: job.source, source: sources[job.source].config,
                                    tokenFile: vocabulary == nil ? job.textFile : job.tokenFile, state: &state,
                                    progress: progress)
            progress.fileDone()
            return scan
        }
    }

    /// Length distributions of the documents in the shards (per source and in all) and the most
    /// frequent tokens: what `grist stats` and `grist report` show without scanning every document.
    private func recordProfile(selection: Selection, sourceIds: [Int64], written: [ShardAssembler.Written],
                               manifest: Manifest, runId: Int64) throws {
        var chars = Array(repeating: [Int](), count: sourceIds.count)
        var tokens = chars
        for entry in selection.entries where entry.copies > 0 {
            let document = selection.document(entry)
            chars[entry.source].append(document.charCount)
            tokens[entry.source].append(document.tokenCount)
        }
        for (metric, lengths) in [(LengthDistribution.Metric.chars, chars), (.tokens, tokens)] {
            for (position, sourceId) in sourceIds.enumerated() {
                try manifest.addLengthDistribution(runId: runId, LengthProfile.distribution(
                    of: lengths[position], sourceId: sourceId, metric: metric))
            }
            try manifest.addLengthDistribution(runId: runId, LengthProfile.distribution(
                of: lengths.flatMap { $0 }, sourceId: nil, metric: metric))
        }
        var totals = [Int](repeating: 0, count: written.map(\.tokenCounts.count).max() ?? 0)
        for shard in written {
            for (token, count) in shard.tokenCounts.enumerated() { totals[token] += count }
        }
        let top = totals.enumerated().filter { $0.element > 0 }
            .sorted { ($0.element, $1.offset) > ($1.element, $0.offset) }
            .prefix(100).map { (token: $0.offset, count: $0.element) }
        try manifest.addTokenFrequencies(runId: runId, Array(top))
    }

    /// Records each file's outcome and every skipped record; warns about the first few on stderr.
    private func record(_ scans: [FileScan], of jobs: [ScanJob], in manifest: Manifest) throws {
        var skipped: [SkippedRecord] = []
        for (job, scan) in zip(jobs, scans) {
            if !scan.finished { continue }  // stopped by another worker's failure: stays `pending`
            try manifest.finishInputFile(job.fileId, failed: scan.failure != nil, documentsRead: scan.documents.count,
                                         recordsSkipped: scan.skipped.count + (scan.failure == nil ? 0 : 1),
                                         error: scan.failure?.description)
            for error in scan.skipped + (scan.failure.map { [$0] } ?? []) {
                skipped.append(SkippedRecord(inputFileId: job.fileId, line: error.position?.line,
                                             byteOffset: error.position?.byteOffset, reason: error.kind.rawValue,
                                             message: error.description))
            }
        }
        try manifest.addSkippedRecords(skipped)
        guard plan.config.onError == .skip, !skipped.isEmpty else { return }
        let shown = 10
        for record in skipped.prefix(shown) { Console.warning("skipped \(record.message)") }
        if skipped.count > shown {
            Console.warning("… and \(skipped.count - shown) more skipped records (table skippedRecord in the manifest)")
        }
    }
}

/// One input file to scan, and where its tokens go.
struct ScanJob: Sendable {
    var source: Int
    var file: InputFile
    var fileId: Int64
    var tokenFile: String
    /// Cleaned text of the kept documents, when the vocabulary is trained after the scan.
    var textFile: String
}

/// The current time as ISO 8601 in UTC.
func timestamp() -> String { Date().ISO8601Format() }
