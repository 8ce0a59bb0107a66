import GristCollect
import GristCore
import GristDedup

/// Before the scan, under `dedup.paragraphs`: the corpus-wide table of repeated paragraphs (or lines)
/// that the scan removes from each document. The scan tokenizes each unit on its own, so the counts
/// must be known before it starts.
///
/// Each scan unit is read and cleaned as the scan reads and cleans it (same reader, same range, the
/// cleaners of `clean:`), in parallel; every paragraph's 128-bit hash and position (unit, document,
/// index) is spilled to `unit-N.hashes` (whole or not at all, so a rerun reuses the spilled units);
/// then all spills are sorted together (GristDedup's external sort, `dedup.paragraphs.memory_mb`) into
/// `repeated.bin`: each unit of text occurring at least `min_count` times, with its first position.
///
/// Work: `paragraphs/KEY/` (`WorkLayout`); key: the paragraph settings and every unit's read key (reader
/// options, cleaning, file identity, range). The scan's unit keys include this key.
struct ParagraphStage: BuildStage {
    static let name = StageName.paragraphs
    let context: BuildContext
    let scanPlan: ScanPlan
    let settings: ParagraphDedupConfig

    var key: String { scanPlan.paragraphKey ?? "" }
    var workItems: [String] { scanPlan.units.indices.map { "unit-\($0)" } }
    private var folder: String { context.layout.paragraphs(key) }

    var split: ParagraphSplit { settings.unit == .line ? .line : .paragraph }

    /// Whether the table is stored (the stage would only load it).
    var isStored: Bool { FileSystem.exists(WorkLayout.paragraphTable(folder)) }

    func run() throws -> StageRun<RepeatedParagraphTable> {
        let table = WorkLayout.paragraphTable(folder)
        if FileSystem.exists(table) {
            return StageRun(output: try RepeatedParagraphTable(path: table), reused: scanPlan.units.count, ran: 0)
        }
        try FileSystem.createDirectory(folder)
        let ran = try spill()
        _ = try RepeatedParagraphs.build(inputs: scanPlan.units.indices.map { WorkLayout.paragraphSpill(folder, unit: $0) },
                                         minCount: settings.minCount, memoryBytes: settings.memoryMB << 20,
                                         runs: FileSystem.join(folder, "runs"), output: table)
        try FileSystem.remove(FileSystem.join(folder, "runs"))
        return StageRun(output: try RepeatedParagraphTable(path: table), reused: scanPlan.units.count - ran, ran: ran)
    }

    static func progress(of record: StageRecord, in layout: WorkLayout) -> StageProgress? {
        let folder = layout.paragraphs(record.key)
        let stored = record.items.filter { FileSystem.exists(FileSystem.join(folder, $0 + ".hashes")) }.count
        return StageProgress(stage: name, stored: stored, planned: record.items.count,
                             finished: FileSystem.exists(WorkLayout.paragraphTable(folder)))
    }

    /// Hashes the paragraphs of every unit not spilled yet, in parallel; returns how many it spilled.
    private func spill() throws -> Int {
        let plan = context.plan
        let cleaners = Array(plan.rules.prefix(plan.rules.count - plan.config.filters.count))
        let units = scanPlan.units, files = scanPlan.files, sources = plan.sources
        let folder = folder, split = split, minBytes = settings.minBytes
        let pending = units.indices.filter { !FileSystem.exists(WorkLayout.paragraphSpill(folder, unit: $0)) }
        guard !pending.isEmpty else { return 0 }
        let results = Parallel.map(items: pending.count, workers: context.workers, makeState: { () }) { index, _ in
            let number = pending[index]
            let unit = units[number]
            do {
                try Self.spill(unit: number, range: unit.range, path: files[unit.file].input.path,
                               source: sources[unit.source].config, cleaners: cleaners, split: split,
                               minBytes: minBytes, to: WorkLayout.paragraphSpill(folder, unit: number))
                Fault.point("paragraphs-unit")
                return nil as GristError?
            } catch {
                return error as? GristError ?? GristError(.io, "\(error)")
            }
        }
        if let failure = results.lazy.compactMap({ $0 }).first { throw failure }
        return pending.count
    }

    /// Reads one unit as the scan does and spills its paragraphs' hashes. A record the reader skips is
    /// no document (the scan numbers the same documents); a read that fails ends the unit where it
    /// failed, as it ends the scan's.
    private static func spill(unit number: Int, range: Range<Int>?, path: String, source: SourceConfig,
                              cleaners: [any DocumentRule], split: ParagraphSplit, minBytes: Int,
                              to output: String) throws {
        let temporary = output + ".partial"
        let writer = try ParagraphSpillWriter(path: temporary, file: number, split: split, minBytes: minBytes)
        var ordinal = 0
        func read<Reader: DocumentReader>(_ reader: inout Reader) throws {
            while let event = try reader.next() {
                guard case .document(var document) = event else { continue }
                defer { ordinal += 1 }
                if !clean(&document, cleaners) { continue }
                do {
                    try document.text.withUnsafeBytes { try writer.add($0, document: ordinal) }
                } catch {
                    throw SpillFailure(error: error)
                }
            }
        }
        do {
            if let range {
                var reader = try Readers.open(path: path, source: source, range: range)
                try read(&reader)
            } else {
                var reader = try Readers.open(path: path, source: source)
                try read(&reader)
            }
        } catch let failure as SpillFailure {
            throw failure.error
        } catch {
            // Reading failed: the scan records this failure (and fails the build under `on_error: fail`); the documents
            // before it are numbered alike.
        }
        try writer.close()
        try AtomicFile.commit(temporary: temporary, to: output)
    }

    private struct SpillFailure: Error { var error: any Error }

    /// Runs the cleaners; false when one drops the document.
    static func clean(_ document: inout Document, _ cleaners: [any DocumentRule]) -> Bool {
        defer { document.analysis = nil }
        for cleaner in cleaners {
            if case .drop = cleaner.apply(to: &document) { return false }
        }
        return true
    }
}
