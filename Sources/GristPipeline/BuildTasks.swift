import GristCore
import GristDedup

/// The pieces of a build that run as separate processes when it is spread over machines (Slurm array
/// tasks). They share nothing but the output's file system: each writes only its own stored parts or
/// dedup pairs, each whole or not at all, and the final `grist build` (the reduction) finds them and
/// does the rest, writing the manifest alone.
extension Build {
    /// Scan units of the plan, and which are not stored yet.
    public func scanUnits() throws -> (count: Int, pending: [Int]) {
        let layout = try BuildLayout(plan: plan)
        let output = try OutputFolder.openForTask(plan.outputDirectory)
        try layout.recordUnits(output)
        let units = layout.scanPlan.units
        let pending = units.indices.filter {
            UnitScanner.storedParts(in: FileSystem.join(output.parts, units[$0].key)) == nil
        }
        return (units.count, pending)
    }

    /// The number of dedup tasks (0 when the build does not deduplicate).
    public var dedupTaskCount: Int {
        plan.config.dedup.isEnabled ? DedupStage.taskCount(DedupSettings(plan.config.dedup)) : 0
    }

    /// Scans the units of task `index` of `count` (unit u belongs to task u mod count); returns how many
    /// it scanned (units stored by an earlier attempt are skipped).
    public func runScanTask(index: Int, of count: Int) throws -> Int {
        precondition(count > 0 && index >= 0 && index < count, "task index out of range")
        let layout = try BuildLayout(plan: plan)
        let output = try OutputFolder.openForTask(plan.outputDirectory)
        let selected = Set(layout.scanPlan.units.indices.filter { $0 % count == index })
        return try scanAll(layout.scanPlan, dedup: layout.dedupSpilling(output), output: output, selected: selected)
    }

    /// Runs dedup task `index` (after every unit is scanned).
    public func runDedupTask(index: Int) throws {
        let layout = try BuildLayout(plan: plan)
        guard let settings = layout.dedupSettings else { return }
        let output = try OutputFolder.openForTask(plan.outputDirectory)
        guard let parts = layout.storedParts(output) else {
            throw GristError(.usage, "not every input is scanned yet: run the scan tasks first",
                             at: InputPosition(path: output.parts))
        }
        let counts = try parts.map { part -> Int in
            guard let count = part.dedup.finishedDocumentCount(0) else {
                throw GristError(.badFormat, "the part's dedup sketches are incomplete", at: InputPosition(path: part.folder))
            }
            return count
        }
        let folder = DedupWorkFolder(path: FileSystem.join(output.dedup, layout.dedupKey(partIds: parts.map(output.partId))))
        try DedupStage(settings: settings, folder: folder, workers: 1).runTask(index, parts: parts, documentCounts: counts)
    }
}
