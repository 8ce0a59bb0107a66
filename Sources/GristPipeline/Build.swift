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
    private func recordFailure(_ error: any Error, output: OutputFolder) {
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

    /// Mixes, writes the shards and the manifest into the staging area.
    private func writeShards(output: OutputFolder, scanPlan: ScanPlan, jobs: [ScanJob], scans: [FileScan],
                             selection: inout Selection, vocabulary: BPEVocabulary, vocabularyPath: String,
                             endOfText: UInt32, buildKey: String, stages: [StageReport]) throws -> BuildSummary {
        let config = plan.config
        let manifest = try Manifest.create(path: output.stagingManifest)
        let runId = try manifest.beginRun(RunRecord(
            startedAt: timestamp(), toolVersion: GristVersion.current, configPath: plan.loaded.path,
            configText: plan.loaded.text, configSha256: plan.loaded.sha256, seed: config.seed,
            workers: workers, outputDir: plan.outputDirectory))
        do {
            try manifest.setMeta("pipeline", config.name)
            try manifest.setMeta("buildKey", buildKey)
            for stage in stages {
                try manifest.addBuildStage(runId: runId, stage: stage.stage, key: stage.key, reused: stage.reused,
                                           ran: stage.ran)
            }
            try manifest.addTokenizer(runId: runId, TokenizerRecord(
                name: vocabulary.name, vocabularySize: vocabulary.count, endOfTextToken: Int(endOfText),
                filePath: vocabularyPath, fileSha256: vocabulary.fileSHA256))
            var sourceIds: [Int64] = []
            for (position, source) in plan.sources.enumerated() {
                sourceIds.append(try manifest.addSource(runId: runId, position: position, name: source.config.name,
                                                        format: source.config.format.rawValue,
                                                        weight: source.config.weight))
            }
            var fileIds: [Int64] = []
            for file in scanPlan.files {
                fileIds.append(try manifest.addInputFile(sourceId: sourceIds[file.source], path: file.input.path,
                                                         byteSize: file.input.byteSize))
            }
            var jobs = jobs
            for index in jobs.indices { jobs[index].fileId = fileIds[jobs[index].file] }
            selection.setFileIds(jobs.map(\.fileId))
            try record(scans, of: jobs, files: fileIds, in: manifest)

            let mix = selection.mix()
            let spills = try jobs.map { try MappedFile(path: $0.tokenFile) }
            let layout = ShardLayout(selection: selection, tokensPerShard: config.shards.tokensPerShard)
            let written = try ShardAssembler(layout: layout, spills: spills, endOfText: endOfText,
                                             vocabularySize: vocabulary.count, stagingDirectory: output.staging,
                                             workers: workers).writeAll()

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
            try stageRejects(jobs: jobs, output: output)
            try recordProfile(selection: selection, sourceIds: sourceIds, written: written, manifest: manifest,
                              runId: runId)
            try manifest.finishRun(runId, succeeded: true, finishedAt: timestamp())
            try manifest.database.makeSelfContained()
            Fault.point("manifest")
            return BuildSummary(
                outputDirectory: plan.outputDirectory, filesRead: scanPlan.files.count,
                documentsRead: scans.reduce(0) { $0 + $1.documents.count },
                recordsSkipped: scans.reduce(0) { $0 + $1.skipped.count + ($1.failure == nil ? 0 : 1) },
                documentsKept: selection.keptCount,
                tokens: Dictionary(uniqueKeysWithValues: DataSplit.allCases.map { split in
                    (split, written.filter { $0.record.split == split }.reduce(0) { $0 + $1.record.tokenCount })
                }),
                shards: Dictionary(uniqueKeysWithValues: DataSplit.allCases.map { split in
                    (split, written.filter { $0.record.split == split }.count)
                }),
                seconds: 0, stages: stages)
        } catch {
            try? manifest.finishRun(runId, succeeded: false, finishedAt: timestamp(), error: "\(error)")
            try? manifest.database.makeSelfContained()
            throw error
        }
    }

    /// Joins the parts' rejects frames of each filter with `rejects: true` into one file per filter in
    /// `.grist/staging/rejects/`, in canonical order.
    private func stageRejects(jobs: [ScanJob], output: OutputFolder) throws {
        let stages = plan.ruleStages
        for rule in plan.rejectingRules.sorted() {
            let folder = FileSystem.join(output.staging, RejectsFile.folderName)
            try FileSystem.createDirectory(folder)
            try AtomicFile.write(path: FileSystem.join(folder, RejectsFile.publishedName(stage: stages[rule]))) { writer in
                for job in jobs {
                    guard let frame = try? MappedFile(path: RejectsFile.partFile(in: job.location.folder, stage: stages[rule]))
                    else { continue }
                    try writer.write(frame.bytes)
                }
            }
        }
    }

    /// The summary of the published build when it is exactly this one (same key, every shard present).
    private func upToDate(output: OutputFolder, key: String, stages: [StageReport], jobs: [ScanJob],
                          scans: [FileScan], selection: Selection) throws -> BuildSummary? {
        guard let manifest = try? Manifest.open(path: output.manifest),
              try manifest.database.scalar("SELECT value FROM meta WHERE key = 'buildKey'")?.string == key,
              try manifest.database.scalar("SELECT status FROM run ORDER BY id DESC LIMIT 1")?.string == "succeeded"
        else { return nil }
        let shards = try manifest.database.prepare("SELECT path, split, tokenCount, byteSize FROM shard").rows()
        for shard in shards where FileSystem.size(FileSystem.join(output.path, shard[0].string ?? "")) != shard[3].int {
            return nil
        }
        var tokens: [DataSplit: Int] = [:], counts: [DataSplit: Int] = [:]
        for shard in shards {
            guard let split = shard[1].string.flatMap(DataSplit.init) else { continue }
            tokens[split, default: 0] += shard[2].int ?? 0
            counts[split, default: 0] += 1
        }
        let kept = try manifest.database.scalar("SELECT COUNT(*) FROM document WHERE fate = 'kept'")?.int ?? 0
        return BuildSummary(
            outputDirectory: plan.outputDirectory,
            filesRead: Set(jobs.map(\.file)).count,
            documentsRead: scans.reduce(0) { $0 + $1.documents.count },
            recordsSkipped: scans.reduce(0) { $0 + $1.skipped.count + ($1.failure == nil ? 0 : 1) },
            documentsKept: kept, tokens: tokens, shards: counts, seconds: 0,
            stages: stages + [StageReport(stage: "shards", key: key, reused: 1, ran: 0)], upToDate: true)
    }

    /// Scans every unit whose results are not stored yet (of those `selected`, when given); returns how
    /// many it scanned.
    func scanAll(_ scanPlan: ScanPlan, dedup: DedupSpilling?, output: OutputFolder,
                 selected: Set<Int>? = nil) throws -> Int {
        let scanner = UnitScanner(rules: plan.rules, ruleStages: plan.ruleStages, policy: plan.config.onError,
                                  cancellation: Cancellation(), dedup: dedup, partBytes: scanPlan.partBytes,
                                  rejectingRules: plan.rejectingRules, sourceNames: plan.sources.map(\.config.name))
        let settings = dedup?.settings ?? DedupSettings(exact: false, minhash: nil)
        let units = scanPlan.units, files = scanPlan.files, sources = plan.sources
        let pending = units.indices.filter {
            (selected?.contains($0) ?? true) && UnitScanner.storedParts(in: FileSystem.join(output.parts, units[$0].key)) == nil
        }
        guard !pending.isEmpty else { return 0 }
        let progress = BuildProgress(filesTotal: pending.count, enabled: showProgress)
        defer { progress.finish() }
        // Largest units first, so the last one to finish is a small one.
        func size(_ index: Int) -> Int {
            units[index].range?.count ?? files[units[index].file].input.byteSize
        }
        let order = pending.indices.sorted { (size(pending[$0]), $1) > (size(pending[$1]), $0) }
        let vocabulary = plan.vocabulary
        let parts = output.parts
        let outcomes = Parallel.map(items: pending.count, workers: workers, order: order,
                                    makeState: { ScanState(encoder: vocabulary.map { BPEEncoder(vocabulary: $0) },
                                                           sketcher: settings.makeSketcher()) }) { index, state in
            let unit = units[pending[index]]
            let file = files[unit.file]
            var outcome = scanner.scan(unit, path: file.input.path, source: sources[unit.source].config,
                                       folder: FileSystem.join(parts, unit.key), state: &state, progress: progress)
            if case .done = outcome, let changed = InputChanges.changedWhileRead(file) {
                // The file changed under the scan: its stored results would not match it.
                try? FileSystem.remove(FileSystem.join(parts, unit.key))
                outcome = .failed(changed)
            }
            progress.fileDone()
            return outcome
        }
        for outcome in outcomes {
            switch outcome {
            case .done, .stopped: continue
            case .failed(let error): throw error
            }
        }
        return pending.count
    }

    /// Reads every stored part, in canonical order, and numbers the lines and records of files read in
    /// byte ranges from the start of the file.
    private func loadParts(_ scanPlan: ScanPlan, output: OutputFolder) throws -> ([ScanJob], [FileScan]) {
        var jobs: [ScanJob] = []
        var scans: [FileScan] = []
        var lineBase = 0, recordBase = 0, previousFile = -1
        for unit in scanPlan.units {
            let folder = FileSystem.join(output.parts, unit.key)
            guard let count = UnitScanner.storedParts(in: folder) else {
                // Only a build stopped by a failure under `on_error: fail` leaves units unscanned.
                continue
            }
            if unit.file != previousFile {
                lineBase = 0
                recordBase = 0
                previousFile = unit.file
            }
            let path = scanPlan.files[unit.file].input.path
            for index in 0..<count {
                let location = PartLocation(unitFolder: folder, index: index)
                let spill = plan.vocabulary == nil ? location.text : location.tokens
                let data = try MappedFile(path: location.result)
                var scan = try PartResultFile.decode(data.bytes, path: location.result, tokenFile: spill)
                if unit.range != nil {
                    scan.renumber(lineBase: lineBase, recordBase: recordBase, path: path)
                    lineBase += scan.linesRead
                    recordBase += scan.recordsRead
                }
                jobs.append(ScanJob(source: unit.source, file: unit.file, fileId: 0, location: location,
                                    tokenFile: spill, textFile: location.text))
                scans.append(scan)
            }
        }
        return (jobs, scans)
    }

    /// Length distributions of the documents in the shards (per source and in all) and the most
    /// frequent tokens: what `grist stats` and `grist report` show without scanning every document.
    private func recordProfile(selection: Selection, sourceIds: [Int64], written: [ShardAssembler.Written],
                               manifest: Manifest, runId: Int64) throws {
        var chars = Array(repeating: [Int](), count: sourceIds.count)
        var tokens = chars
        var languages = Array(repeating: [String: (documents: Int, bytes: Int)](), count: sourceIds.count)
        for entry in selection.entries where entry.copies > 0 {
            let document = selection.document(entry)
            chars[entry.source].append(document.charCount)
            tokens[entry.source].append(document.tokenCount)
            if let language = document.language {
                languages[entry.source][language, default: (0, 0)].documents += 1
                languages[entry.source][language, default: (0, 0)].bytes += document.byteCount
            }
        }
        for (position, sourceId) in sourceIds.enumerated() where !languages[position].isEmpty {
            let counts = languages[position].keys.sorted().map { language in
                (language, languages[position][language]?.documents ?? 0, languages[position][language]?.bytes ?? 0)
            }
            try manifest.addLanguageCounts(runId: runId, sourceId: sourceId, counts)
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

    /// Records each file's outcome (summed over its parts) and every skipped record; warns about the
    /// first few on stderr.
    private func record(_ scans: [FileScan], of jobs: [ScanJob], files: [Int64], in manifest: Manifest) throws {
        var skipped: [SkippedRecord] = []
        var totals = Array(repeating: (documents: 0, skipped: 0, error: String?.none, seen: false), count: files.count)
        for (job, scan) in zip(jobs, scans) {
            totals[job.file].seen = true
            totals[job.file].documents += scan.documents.count
            totals[job.file].skipped += scan.skipped.count + (scan.failure == nil ? 0 : 1)
            if totals[job.file].error == nil { totals[job.file].error = scan.failure?.description }
            for error in scan.skipped + (scan.failure.map { [$0] } ?? []) {
                skipped.append(SkippedRecord(inputFileId: job.fileId, line: error.position?.line,
                                             byteOffset: error.position?.byteOffset, reason: error.kind.rawValue,
                                             message: error.description))
            }
        }
        for (index, fileId) in files.enumerated() where totals[index].seen {
            try manifest.finishInputFile(fileId, failed: totals[index].error != nil,
                                         documentsRead: totals[index].documents,
                                         recordsSkipped: totals[index].skipped, error: totals[index].error)
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

/// What every executor of a build (this machine, or Slurm tasks) computes alike from the plan: the dedup
/// settings and priorities, the scan units and their keys, and the dedup stage's key.
struct BuildLayout: Sendable {
    let plan: BuildPlan
    let dedupSettings: DedupSettings?
    let priorities: [Int]
    let scanPlan: ScanPlan

    init(plan: BuildPlan) throws {
        self.plan = plan
        let config = plan.config
        dedupSettings = config.dedup.isEnabled ? DedupSettings(config.dedup) : nil
        // Each source's dedup priority under `keep: priority`: listed sources first, in list order.
        let names = plan.sources.map(\.config.name)
        let listed = config.dedup.minhash?.priority ?? []
        let order = listed + names.filter { !listed.contains($0) }
        priorities = names.map { name in order.firstIndex(of: name) ?? order.count }
        let tokenizer = plan.vocabulary.map { "vocab:\($0.fileSHA256):\($0.name)" } ?? "text"
        scanPlan = try ScanPlan(plan: plan, tokenizer: tokenizer, dedup: dedupSettings, priorities: priorities,
                                partBytes: config.work.partBytes)
    }

    /// Lists the scan units' keys in `.grist/plan.txt`, for `grist status`.
    func recordUnits(_ output: OutputFolder) throws {
        let text = scanPlan.units.map { $0.key + "\n" }.joined()
        try AtomicFile.write(path: FileSystem.join(output.work, "plan.txt")) { try $0.write(Array(text.utf8)) }
    }

    func dedupSpilling(_ output: OutputFolder) -> DedupSpilling? {
        dedupSettings.map { DedupSpilling(settings: $0, folder: DedupWorkFolder(path: output.dedup), sourcePriority: priorities) }
    }

    /// The dedup stage's key: its settings and the parts it reads (by their place in the work area).
    func dedupKey(partIds: [String]) -> String {
        ScanPlan.key(["dedup", ConfigSections(yaml: plan.loaded.text).section("dedup")] + partIds)
    }

    /// Every stored part in canonical order, or nil while a unit is not scanned yet.
    func storedParts(_ output: OutputFolder) -> [PartLocation]? {
        var parts: [PartLocation] = []
        for unit in scanPlan.units {
            let folder = FileSystem.join(output.parts, unit.key)
            guard let count = UnitScanner.storedParts(in: folder) else { return nil }
            parts += (0..<count).map { PartLocation(unitFolder: folder, index: $0) }
        }
        return parts
    }
}

/// One stored part of an input file's scan, in canonical order, and where its tokens are.
struct ScanJob: Sendable {
    var source: Int
    /// Index in the scan plan's files.
    var file: Int
    /// The file's manifest id (set when the manifest is written).
    var fileId: Int64
    var location: PartLocation
    /// Where the part's tokens are: its own spill, or those made with a vocabulary trained after the scan.
    var tokenFile: String
    /// Its cleaned text, when the build trains its vocabulary.
    var textFile: String
}

extension FileScan {
    /// Turns the line numbers and ordinals of a part read by byte range into those of the whole file.
    mutating func renumber(lineBase: Int, recordBase: Int, path: String) {
        for index in documents.indices {
            documents[index].line += lineBase
            documents[index].ordinal += recordBase
            if documents[index].externalId.isEmpty { documents[index].externalId = "\(path):\(documents[index].line)" }
        }
        func shift(_ error: GristError) -> GristError {
            var error = error
            if let line = error.position?.line { error.position?.line = line + lineBase }
            return error
        }
        skipped = skipped.map(shift)
        failure = failure.map(shift)
    }
}

/// The current time as ISO 8601 in UTC.
func timestamp() -> String { Date().ISO8601Format() }
