import GristCore
import GristDedup

/// The pieces of a build that run as separate processes when it is spread over machines (Slurm array
/// tasks). They run pieces of the same stage values as `Build.execute` (`BuildStages`) and share
/// nothing but the output's file system: each writes only its own stored parts or dedup pairs, each
/// whole or not at all, and the final `grist build` (the reduction) finds them and does the rest,
/// writing the manifest alone.
extension Build {
    /// The stage values of this build over the output's work area, opened for a task (no lock).
    private func taskStages() throws -> (BuildStages, StageLog) {
        let output = try OutputFolder.openForTask(plan.outputDirectory)
        return (try BuildStages(context(output.layout)), StageLog(layout: output.layout, keepingRecorded: true))
    }

    /// Scan units of the plan, and which are not stored yet.
    public func scanUnits() throws -> (count: Int, pending: [Int]) {
        let (stages, recorded) = try taskStages()
        var log = recorded
        let scan = stages.scan
        try log.plan(scan)
        return (stages.scanPlan.units.count, scan.pending())
    }

    /// The number of dedup tasks (0 when the build does not deduplicate).
    public var dedupTaskCount: Int {
        plan.config.dedup.isEnabled ? DedupSettings(plan.config.dedup).tasks.count : 0
    }

    /// Whether the build has a paragraph stage whose table is not stored yet (a Slurm job makes it
    /// before the scan tasks).
    public func paragraphsPending() throws -> Bool {
        let (stages, _) = try taskStages()
        return stages.paragraphs.map { !$0.isStored } ?? false
    }

    /// Makes the table of repeated paragraphs (`dedup.paragraphs`), with this process's workers; nothing
    /// when it is stored or the build has none.
    public func runParagraphsTask() throws {
        let (stages, recorded) = try taskStages()
        var log = recorded
        guard let paragraphs = stages.paragraphs else { return }
        try log.plan(paragraphs)
        _ = try paragraphs.run()
    }

    /// Scans the units of task `index` of `count` (unit u belongs to task u mod count); returns how many
    /// it scanned (units stored by an earlier attempt are skipped). Under `dedup.paragraphs` the table
    /// must be stored first (`runParagraphsTask`).
    public func runScanTask(index: Int, of count: Int) throws -> Int {
        precondition(count > 0 && index >= 0 && index < count, "task index out of range")
        let (stages, _) = try taskStages()
        var table: RepeatedParagraphTable? = nil
        if let paragraphs = stages.paragraphs {
            guard paragraphs.isStored else {
                throw GristError(.usage, "the table of repeated paragraphs is not made yet: run the paragraphs task first",
                                 at: InputPosition(path: stages.layout.work))
            }
            table = try paragraphs.run().output
        }
        let selected = Set(stages.scanPlan.units.indices.filter { $0 % count == index })
        return try stages.scan(removing: table).scan(selected: selected)
    }

    /// Runs dedup task `index` (after every unit is scanned).
    public func runDedupTask(index: Int) throws {
        let (stages, recorded) = try taskStages()
        var log = recorded
        guard stages.dedupSettings != nil else { return }
        guard let parts = stages.scan.storedParts() else {
            throw GristError(.usage, "not every input is scanned yet: run the scan tasks first",
                             at: InputPosition(path: stages.layout.parts))
        }
        let counts = try parts.map { part -> Int in
            guard let count = part.dedup.finishedDocumentCount(0) else {
                throw GristError(.badFormat, "the part's dedup sketches are incomplete", at: InputPosition(path: part.folder))
            }
            return count
        }
        guard let dedup = stages.dedup(parts: parts, partIds: parts.map(stages.layout.partId), documentCounts: counts)
        else { return }
        try log.plan(dedup)
        try dedup.runTask(index)
    }
}
