import Foundation
import GristCore
import GristDedup
import GristFilter
import GristTokenize

/// The first stage of a build: scanning the units not stored yet (read → clean → filter → fingerprint →
/// sketch → tokenize, per part, in parallel), and reading back every stored part in canonical order.
///
/// Work: `parts/UNIT/` per unit of the scan plan (`WorkLayout`); key: the hash of the units' keys.
struct ScanStage: BuildStage {
    static let name = StageName.scan
    let context: BuildContext
    let scanPlan: ScanPlan
    /// Nil when the build does not deduplicate.
    let dedup: DedupSpilling?
    /// Under `dedup.paragraphs`: the repeated units the scan removes.
    var paragraphs: ParagraphRemoval? = nil

    private var plan: BuildPlan { context.plan }
    private var workers: Int { context.workers }
    private var showProgress: Bool { context.showProgress }
    private var layout: WorkLayout { context.layout }

    var key: String { ScanPlan.key(scanPlan.units.map(\.key)) }
    var workItems: [String] { scanPlan.units.map(\.key) }

    func run() throws -> StageRun<ScannedParts> {
        let scanned = try scan()
        return StageRun(output: try load(), reused: scanPlan.units.count - scanned, ran: scanned)
    }

    static func progress(of record: StageRecord, in layout: WorkLayout) -> StageProgress? {
        let stored = record.items.filter { UnitScanner.storedParts(in: layout.unit($0)) != nil }.count
        return StageProgress(stage: name, stored: stored, planned: record.items.count,
                             finished: stored == record.items.count)
    }

    /// The units not stored yet (of those `selected`, when given).
    func pending(selected: Set<Int>? = nil) -> [Int] {
        scanPlan.units.indices.filter {
            (selected?.contains($0) ?? true) && UnitScanner.storedParts(in: layout.unit(scanPlan.units[$0].key)) == nil
        }
    }

    /// Scans every unit whose results are not stored yet (of those `selected`, when given); returns how
    /// many it scanned.
    func scan(selected: Set<Int>? = nil) throws -> Int {
        let scanner = UnitScanner(rules: plan.rules, ruleStages: plan.ruleStages, policy: plan.config.onError,
                                  cancellation: Cancellation(), dedup: dedup, partBytes: scanPlan.partBytes,
                                  rejectingRules: plan.rejectingRules, sourceNames: plan.sources.map(\.config.name),
                                  recordedMetadata: plan.recordedMetadata, decontamination: plan.decontamination,
                                  decontaminationPosition: plan.decontaminationPosition, paragraphs: paragraphs)
        let settings = dedup?.settings ?? DedupSettings(exact: false, minhash: nil)
        let units = scanPlan.units, files = scanPlan.files, sources = plan.sources
        let pending = pending(selected: selected)
        guard !pending.isEmpty else { return 0 }
        let progress = BuildProgress(filesTotal: pending.count, enabled: showProgress)
        defer { progress.finish() }
        // Largest units first, so the last one to finish is a small one.
        func size(_ index: Int) -> Int {
            units[index].range?.count ?? files[units[index].file].input.byteSize
        }
        let order = pending.indices.sorted { (size(pending[$0]), $1) > (size(pending[$1]), $0) }
        let vocabulary = plan.vocabulary, decontamination = plan.decontamination
        let layout = layout
        let outcomes = Parallel.map(items: pending.count, workers: workers, order: order,
                                    makeState: { ScanState(encoder: vocabulary.map { BPEEncoder(vocabulary: $0) },
                                                           sketcher: settings.makeSketcher(),
                                                           matcher: decontamination.map {
                                                               ContaminationMatcher(index: $0.index) }) }) { index, state in
            let unit = units[pending[index]]
            let file = files[unit.file]
            var outcome = scanner.scan(unit, path: file.input.path, source: sources[unit.source].config,
                                       folder: layout.unit(unit.key), state: &state, progress: progress)
            if case .done = outcome, let changed = InputChanges.changedWhileRead(file) {
                // The file changed under the scan: its stored results would not match it.
                try? FileSystem.remove(layout.unit(unit.key))
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
    func load() throws -> ScannedParts {
        var jobs: [ScanJob] = []
        var scans: [FileScan] = []
        var lineBase = 0, recordBase = 0, previousFile = -1
        for unit in scanPlan.units {
            let folder = layout.unit(unit.key)
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
        // Parts by their place in the work area (not the output's path, so a moved output keeps its work).
        return ScannedParts(jobs: jobs, scans: scans, partIds: jobs.map { layout.partId($0.location) })
    }

    /// Every stored part in canonical order, or nil while a unit is not scanned yet.
    func storedParts() -> [PartLocation]? {
        var parts: [PartLocation] = []
        for unit in scanPlan.units {
            let folder = layout.unit(unit.key)
            guard let count = UnitScanner.storedParts(in: folder) else { return nil }
            parts += (0..<count).map { PartLocation(unitFolder: folder, index: $0) }
        }
        return parts
    }
}

/// The scan's results: every stored part in canonical order, and what it holds.
struct ScannedParts {
    var jobs: [ScanJob]
    var scans: [FileScan]
    /// Each part's identity in the work area (the dedup and vocabulary keys hash them).
    var partIds: [String]
}
