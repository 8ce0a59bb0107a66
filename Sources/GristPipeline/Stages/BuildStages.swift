import Foundation
import GristCore
import GristDedup
import GristMix
import GristShards
import GristTokenize

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
