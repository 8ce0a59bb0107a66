import Foundation
import GristCore
import GristDedup
import GristMix
import GristShards
import GristTokenize

/// The last stored stage of a build: mixing, shards, the manifest and the audit files, written into the
/// staging area for `PublishStage`, unless the published build already is this one.
///
/// Work: the published build itself; key (the build key, the manifest's `meta.buildKey`): the config
/// (its SHA-256: every section, `text:` included), every earlier stage's key, the vocabulary, the `mix:`
/// and `shards:` sections and the seed. A change of `text:` alone reruns this stage only, from the
/// stored scan (the curated text is decoded from the stored tokens).
struct ShardsStage: BuildStage {
    static let name = StageName.shards
    let context: BuildContext
    let scanPlan: ScanPlan
    let parts: ScannedParts
    /// The selection with its copies recorded (`MixStage`), the mixture that decided them, and the
    /// sampler that orders the shards.
    let selection: Selection
    let mixture: Mixture
    let sampler: DocumentSampler
    let vocabulary: BPEVocabulary
    /// What the manifest records as the vocabulary's file.
    let vocabularyPath: String
    let endOfText: UInt32
    /// What the build warns about (sources that kept nothing, filters over their `warn_above`).
    let warnings: [String]
    /// The reports of the stages before this one.
    let earlier: [StageReport]

    private var plan: BuildPlan { context.plan }
    private var workers: Int { context.workers }
    private var layout: WorkLayout { context.layout }

    var key: String {
        let sections = ConfigSections(yaml: plan.loaded.text)
        return ScanPlan.key(["build", plan.loaded.sha256, earlier.map(\.key).joined(separator: ","),
                             vocabulary.fileSHA256, "mix=" + sections.section("mix"),
                             "shards=" + sections.section("shards"), "seed=\(plan.config.seed)"])
    }

    func run() throws -> StageRun<BuildSummary> {
        let key = key
        if let summary = try upToDate(key: key) { return StageRun(output: summary, reused: 1, ran: 0) }
        var selection = selection
        let summary = try writeShards(selection: &selection, buildKey: key,
                                      stages: earlier + [StageReport(stage: Self.name, key: key, reused: 0, ran: 1)])
        return StageRun(output: summary, reused: 0, ran: 1)
    }

    /// Mixes, writes the shards and the manifest into the staging area.
    private func writeShards(selection: inout Selection, buildKey: String, stages: [StageReport]) throws -> BuildSummary {
        let (jobs, scans) = (parts.jobs, parts.scans)
        let config = plan.config
        let manifest = try Manifest.create(path: layout.stagingManifest)
        let runId = try manifest.beginRun(RunRecord(
            startedAt: timestamp(), toolVersion: GristVersion.current, configPath: plan.loaded.path,
            configText: plan.loaded.text, configSha256: plan.loaded.sha256, seed: config.seed,
            workers: workers, outputDir: plan.outputDirectory))
        do {
            try manifest.setMeta("pipeline", config.name)
            try manifest.setMeta("buildKey", buildKey)
            try manifest.addWarnings(runId: runId, warnings)
            do {
                try manifest.carryTrainingHistory(from: layout.manifest)
            } catch {
                Console.warning("the training history of the build this one replaces could not be carried over: \(error)")
            }
            for stage in stages {
                try manifest.addBuildStage(runId: runId, stage: stage.stage.rawValue, key: stage.key, reused: stage.reused,
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

            let spills = try jobs.map { try MappedFile(path: $0.tokenFile) }
            let shardLayout = ShardLayout(mixture: mixture, sampler: sampler, sourceCount: plan.sources.count,
                                          tokensPerShard: config.shards.tokensPerShard,
                                          minimumTokens: config.shards.minimumTokens(splitTokens:))
            let assembler = ShardAssembler(layout: shardLayout, documents: selection.tokenLocations, spills: spills,
                                             endOfText: endOfText,
                                             vocabularySize: vocabulary.count, stagingDirectory: layout.staging,
                                             workers: workers)
            let written = try assembler.writeAll()
            let formatFiles = try assembler.writeFormats(config.shards.extraFormats, firstId: Int64(written.count + 1))
            let textFiles = try writeCuratedText(selection: selection, layout: shardLayout, spills: spills,
                                                 firstId: Int64(written.count + formatFiles.count + 1))

            for (stage, rule) in plan.classifiers {
                let decision = rule.decision
                try manifest.addClassifier(runId: runId, ClassifierRecord(
                    stage: stage, model: rule.modelPath, modelSha256: try SHA256.hexDigest(ofFile: rule.modelPath),
                    label: decision?.label, threshold: decision?.threshold,
                    action: decision.map { !$0.drops ? "label_only" : $0.keepsAtOrAbove ? "keep" : "remove" },
                    granularity: rule.granularity))
            }
            var evalItems: [String: [String: Int64]] = [:]
            if let decontamination = plan.decontamination {
                var matched: [String: Set<String>] = [:]
                for scan in selection.scans {
                    for document in scan.documents {
                        for match in document.contamination?.matches ?? [] {
                            matched[match.evalSet, default: []].insert(match.itemId)
                        }
                    }
                }
                evalItems = try manifest.addEvalSets(decontamination.evalSetRecords(matched: matched))
            }
            try manifest.addDocuments(selection.documentRecords(scored: plan.scoredMetadata),
                                      clusters: selection.clusterRecords(runId: runId), evalItems: evalItems)
            if let audit = try selection.auditRecord(firstLine: { try firstLine(of: $0, in: selection, spills: spills) }) {
                try manifest.addDedupAudit(runId: runId, audit)
            }
            try manifest.addEarlierBuilds(runId: runId, plan.earlierBuilds.map {
                EarlierBuildRecord(path: $0.path, pipeline: $0.index.description.pipeline,
                                   buildKey: $0.index.description.buildKey, indexSha256: $0.index.sha256,
                                   documents: $0.index.description.documents)
            }, duplicates: selection.earlierDuplicateRecords)
            try writeDedupIndex(selection: selection, buildKey: buildKey)
            for (position, sourceId) in sourceIds.enumerated() {
                try manifest.setStageCounts(sourceId: sourceId, selection.tallies[position].rows)
                try manifest.setDuplicateSources(sourceId: sourceId, selection.duplicateSources(of: position).map {
                    DuplicateSourceCount(keptSourceId: sourceIds[$0.source], exactDuplicates: $0.exact,
                                         nearDuplicates: $0.near, urlDuplicates: $0.url)
                })
                try manifest.setOutcome(sourceId: sourceId, SourceOutcome(
                    multiplier: mixture.plan.multipliers[position], targetShare: mixture.plan.targetShares[position],
                    achievedShare: shardLayout.achievedShares[position], keptDocuments: selection.keptCount(source: position),
                    keptBytes: selection.keptBytes(source: position), keptTokens: selection.keptTokens(source: position),
                    trainTokens: shardLayout.tokensBySource[.train]?[position] ?? 0,
                    valTokens: shardLayout.tokensBySource[.val]?[position] ?? 0))
            }
            for shard in written { try manifest.addShard(runId: runId, shard.record, placements: shard.placements) }
            for file in formatFiles + textFiles { try manifest.addShard(runId: runId, file, placements: []) }
            try stageRejects(jobs: jobs)
            try recordProfile(selection: selection, sourceIds: sourceIds, written: written, manifest: manifest,
                              runId: runId)
            try manifest.finishRun(runId, succeeded: true, finishedAt: timestamp())
            try manifest.makeSelfContained()
            Fault.point("manifest")
            return BuildSummary(
                outputDirectory: plan.outputDirectory, filesRead: scanPlan.files.count,
                documentsRead: scans.reduce(0) { $0 + $1.documentsRead },
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
            try? manifest.makeSelfContained()
            throw error
        }
    }

    /// The first line of a document's cleaned text (`FirstLine`: leading blank lines skipped; at most
    /// 120 bytes, cut at a character), decoded from its stored tokens: the scan stores the tokens of
    /// every document that passed the rules, duplicates included. For the dedup audit's largest clusters.
    private func firstLine(of entry: Selection.Entry, in selection: Selection, spills: [MappedFile]) throws -> String {
        let document = selection.document(entry)
        let bytes = spills[entry.job].bytes
        let start = document.tokenOffset * 4, end = start + document.tokenCount * 4
        guard end <= bytes.count else {
            throw GristError(.mismatch, "token spill is shorter than recorded", at: InputPosition(path: spills[entry.job].path))
        }
        var text: [UInt8] = []
        try UnsafeRawBufferPointer(rebasing: bytes[start..<end]).withMemoryRebound(to: UInt32.self) { tokens in
            for token in tokens {
                guard vocabulary.append(token, to: &text) else {
                    throw GristError(.mismatch, "token \(token) of document \(entry.id) is not in the vocabulary",
                                     at: InputPosition(path: spills[entry.job].path))
                }
                if FirstLine.isComplete(text) { return }
            }
        }
        return FirstLine.of(text)
    }

    /// Writes the curated text (`text:`) into the staging area; its files' `shard` rows, numbered from
    /// `firstId` (none without a `text:` section).
    private func writeCuratedText(selection: Selection, layout: ShardLayout, spills: [MappedFile],
                                  firstId: Int64) throws -> [ShardRecord] {
        guard let text = plan.config.text else { return [] }
        let names = plan.sources.map(\.config.name)
        let output = CuratedTextOutput(
            plan: CuratedTextPlan(config: text, selection: selection, layout: layout, sourceNames: names),
            config: text, fields: plan.textFields, sourceNames: names, spills: spills, vocabulary: vocabulary,
            stagingDirectory: self.layout.staging, workers: workers)
        return try output.write(firstId: firstId)
    }

    /// Writes the sketches of the documents this build kept through deduplication (`dedup-index/`, for
    /// later builds' `dedup.against`) into the staging area, in canonical order: every document that passed
    /// the rules and was no duplicate, whether or not the mix then sampled it.
    private func writeDedupIndex(selection: Selection, buildKey: String) throws {
        guard plan.config.dedup.isEnabled else { return }
        let writer = try DedupIndexWriter(path: layout.stagingDedupIndex, settings: DedupSettings(plan.config.dedup))
        var kept = Array(repeating: [(local: Int, identity: DedupIndex.Identity)](), count: selection.jobs.count)
        for entry in selection.entries where entry.stage != .dedup {
            let document = selection.document(entry)
            guard let local = document.dedupIndex else { continue }
            kept[entry.job].append((local, DedupIndex.Identity(
                document: entry.id, source: plan.sources[entry.source].config.name, id: document.externalId)))
        }
        for (job, documents) in kept.enumerated() {
            try writer.add(from: selection.jobs[job].location.dedup, kept: documents)
        }
        try writer.finish(pipeline: plan.config.name, buildKey: buildKey)
    }

    /// Joins the parts' rejects frames of each filter with `rejects: true` into one file per filter in
    /// `.grist/staging/rejects/`, in canonical order.
    private func stageRejects(jobs: [ScanJob]) throws {
        var stages = plan.rejectingRules.sorted().map { plan.ruleStages[$0] }
        if plan.decontamination?.config.rejects == true { stages.append(Decontaminator.stage) }
        for stage in stages {
            let folder = layout.stagingRejects
            try FileSystem.createDirectory(folder)
            try AtomicFile.write(path: FileSystem.join(folder, WorkLayout.rejectsFileName(stage: stage))) { writer in
                var wrote = false
                for job in jobs {
                    guard let frame = try? MappedFile(path: job.location.rejects(stage: stage))
                    else { continue }
                    try writer.write(frame.bytes)
                    wrote = wrote || frame.bytes.count > 0
                }
                // No rejects: one empty frame, so the file is still a zstd file (zstdcat prints nothing).
                if !wrote { try writer.write(RejectsFile.compress([])) }
            }
        }
    }

    /// The summary of the published build when it is exactly this one (same key, every shard present).
    private func upToDate(key: String) throws -> BuildSummary? {
        let (jobs, scans) = (parts.jobs, parts.scans)
        guard let manifest = try? Manifest.open(path: layout.manifest),
              try manifest.meta("buildKey") == key,
              let run = try manifest.latestRun(), run.status == .succeeded
        else { return nil }
        // Every file the build wrote (llm.c shards and the other formats) must still be there, whole.
        for file in try manifest.allShardFiles(runId: run.id)
        where FileSystem.size(FileSystem.join(layout.output, file.path)) != file.byteSize {
            return nil
        }
        // So must the dedup index of a build that deduplicates.
        if plan.config.dedup.isEnabled, !FileSystem.exists(layout.dedupIndexDescription) { return nil }
        let shards = try manifest.shards(runId: run.id)
        var tokens: [DataSplit: Int] = [:], counts: [DataSplit: Int] = [:]
        for shard in shards {
            tokens[shard.split, default: 0] += shard.tokenCount
            counts[shard.split, default: 0] += 1
        }
        let kept = try manifest.documentCount(fate: .kept)
        return BuildSummary(
            outputDirectory: plan.outputDirectory,
            filesRead: Set(jobs.map(\.file)).count,
            documentsRead: scans.reduce(0) { $0 + $1.documentsRead },
            recordsSkipped: scans.reduce(0) { $0 + $1.skipped.count + ($1.failure == nil ? 0 : 1) },
            documentsKept: kept, tokens: tokens, shards: counts, seconds: 0,
            stages: earlier + [StageReport(stage: Self.name, key: key, reused: 1, ran: 0)], upToDate: true)
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
            totals[job.file].documents += scan.documentsRead
            totals[job.file].skipped += scan.skipped.count + (scan.failure == nil ? 0 : 1)
            if totals[job.file].error == nil { totals[job.file].error = scan.failure?.description }
            for error in scan.skipped + (scan.failure.map { [$0] } ?? []) {
                skipped.append(SkippedRecord(inputFileId: job.fileId, line: error.position?.line,
                                             byteOffset: error.position?.byteOffset, reason: error.kind.code,
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
