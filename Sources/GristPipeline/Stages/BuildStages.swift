import Foundation
import GristCore
import GristDedup
import GristMix

/// The stage values of one build, made alike by every executor (this machine, or the Slurm tasks)
/// from the plan: the scan plan and its units, the dedup settings and priorities, the seeded sampler
/// of the mix, and each stage with its key. `Build.execute` runs them in order; `BuildTasks` runs pieces of the scan and dedup stages.
struct BuildStages {
    let context: BuildContext
    let dedupSettings: DedupSettings?
    let priorities: [Int]
    let scanPlan: ScanPlan
    /// The seeded choices of split, copies and order (made once; selection, mix and shards share it).
    let sampler: DocumentSampler

    var plan: BuildPlan { context.plan }
    var layout: WorkLayout { context.layout }

    init(_ context: BuildContext) throws {
        self.context = context
        let plan = context.plan
        let config = plan.config
        dedupSettings = config.dedup.isEnabled ? DedupSettings(config.dedup) : nil
        // Each source's dedup priority under `keep: priority`: listed sources first, in list order.
        let names = plan.sources.map(\.config.name)
        let listed = config.dedup.minhash?.priority ?? []
        let order = listed + names.filter { !listed.contains($0) }
        priorities = names.map { name in order.firstIndex(of: name) ?? order.count }
        let tokenizer = plan.vocabulary.map { "vocab:\($0.fileSHA256):\($0.name)" } ?? "text"
        scanPlan = try ScanPlan(plan: plan, tokenizer: tokenizer, dedup: dedupSettings, priorities: priorities,
                                rankKey: plan.dedupRankKey,
                                partBytes: config.work.partBytes)
        sampler = DocumentSampler(seed: config.seed, valFraction: config.mix.valFraction)
    }

    /// The paragraph stage (nil without `dedup.paragraphs`).
    var paragraphs: ParagraphStage? {
        plan.config.dedup.paragraphs.map { ParagraphStage(context: context, scanPlan: scanPlan, settings: $0) }
    }

    /// The scan, removing the repeated units of `table` (the paragraph stage's output) when given.
    func scan(removing table: RepeatedParagraphTable?) -> ScanStage {
        var stage = scan
        if let table, let settings = plan.config.dedup.paragraphs {
            stage.paragraphs = ParagraphRemoval(table: table, split: settings.unit == .line ? .line : .paragraph,
                                                minBytes: settings.minBytes, keepFirst: settings.keep == .first,
                                                cleanerCount: plan.rules.count - plan.config.filters.count)
        }
        return stage
    }

    var scan: ScanStage {
        ScanStage(context: context, scanPlan: scanPlan, dedup: dedupSettings.map {
            DedupSpilling(settings: $0, folder: DedupWorkFolder(path: layout.dedup), sourcePriority: priorities,
                          rankKey: plan.dedupRankKey,
                          urlField: $0.url.map { MetadataFields.storedName($0.field) },
                          recordURLs: plan.sources.map { [.warc, .wet].contains($0.config.format) })
        })
    }

    /// The dedup stage over the scanned parts (nil when the build does not deduplicate).
    func dedup(parts: [PartLocation], partIds: [String], documentCounts: [Int]) -> DedupStage? {
        dedupSettings.map {
            DedupStage(context: context, settings: $0, parts: parts, partIds: partIds, documentCounts: documentCounts)
        }
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
