import GristCore
import GristDedup
import GristMix
import GristShards

/// Phases 2 and 3 of a build: which scanned documents survive deduplication, which split each goes to,
/// and how many copies of each the mixture takes. Everything is decided in canonical order
/// (source, file, record) or by seeded hashes, never by arrival order.
struct Selection {
    /// One scanned document, in canonical order; `id` is its manifest id (1-based).
    struct Entry {
        var id: Int64
        var job: Int
        var index: Int
        var source: Int
        var stage: String?
        var reason: String?
        var duplicateOf: Int64?
        var split: DataSplit?
        var copies = 0
    }

    let plan: BuildPlan
    let jobs: [ScanJob]
    let scans: [FileScan]
    private(set) var entries: [Entry] = []
    /// Per source: the scans' counts plus dedup and mix.
    private(set) var tallies: [StageTally]
    private let sampler: DocumentSampler

    init(plan: BuildPlan, jobs: [ScanJob], scans: [FileScan]) {
        self.plan = plan
        self.jobs = jobs
        self.scans = scans
        sampler = DocumentSampler(seed: plan.config.seed, valFraction: plan.config.mix.valFraction)
        tallies = Array(repeating: StageTally(), count: plan.sources.count)
        var deduplicator = ExactDeduplicator()
        let dedupPosition = plan.rules.count + 1
        var nextId: Int64 = 1
        for (jobIndex, (job, scan)) in zip(jobs, scans).enumerated() {
            tallies[job.source].merge(scan.tally)
            for (index, document) in scan.documents.enumerated() {
                var entry = Entry(id: nextId, job: jobIndex, index: index, source: job.source,
                                  stage: document.droppedStage, reason: document.droppedReason)
                nextId += 1
                if let fingerprint = document.fingerprint {
                    if plan.config.dedup.exact {
                        if let first = deduplicator.check(fingerprint, id: entry.id) {
                            entry.stage = "dedup"
                            entry.reason = "exact_duplicate"
                            entry.duplicateOf = first
                            tallies[job.source].add(position: dedupPosition, stage: "dedup", .dropped,
                                                    reason: "exact_duplicate", bytes: document.byteCount)
                        } else {
                            tallies[job.source].add(position: dedupPosition, stage: "dedup", .kept,
                                                    bytes: document.byteCount)
                        }
                    }
                    if entry.stage == nil { entry.split = sampler.split(of: fingerprint) }
                }
                entries.append(entry)
            }
        }
    }

    func document(_ entry: Entry) -> ScannedDocument { scans[entry.job].documents[entry.index] }

    /// Decides copies per document from the source weights (and budget); returns the plan used.
    mutating func mix() -> MixPlan {
        let sourceCount = plan.sources.count
        var trainTokens = Array(repeating: 0, count: sourceCount)
        for entry in entries where entry.split == .train {
            trainTokens[entry.source] += document(entry).tokenCount + 1
        }
        let mix = MixPlan(weights: plan.sources.map(\.config.weight), trainTokens: trainTokens,
                          budget: plan.config.mix.budgetTokens)
        let position = plan.rules.count + 2
        for i in entries.indices {
            guard let split = entries[i].split else { continue }
            let scanned = document(entries[i])
            guard let fingerprint = scanned.fingerprint else { continue }
            let copies = split == .val ? 1 : sampler.copies(of: fingerprint, multiplier: mix.multipliers[entries[i].source])
            entries[i].copies = copies
            if copies == 0 {
                entries[i].stage = "mix"
                entries[i].reason = "sampled_out"
                tallies[entries[i].source].add(position: position, stage: "mix", .dropped, reason: "sampled_out",
                                               bytes: scanned.byteCount)
            } else {
                tallies[entries[i].source].add(position: position, stage: "mix", .kept, bytes: scanned.byteCount)
            }
        }
        return mix
    }

    var keptCount: Int { entries.reduce(0) { $0 + ($1.copies > 0 ? 1 : 0) } }

    func keptCount(source: Int) -> Int {
        entries.reduce(0) { $0 + ($1.source == source && $1.copies > 0 ? 1 : 0) }
    }

    func keptBytes(source: Int) -> Int {
        entries.reduce(0) { $0 + ($1.source == source && $1.copies > 0 ? document($1).byteCount : 0) }
    }

    func keptTokens(source: Int) -> Int {
        entries.reduce(0) { $0 + ($1.source == source && $1.copies > 0 ? document($1).tokenCount : 0) }
    }

    func documentRecords() -> [DocumentRecord] {
        entries.map { entry in
            let scanned = document(entry)
            return DocumentRecord(
                id: entry.id, inputFileId: jobs[entry.job].fileId, ordinal: scanned.ordinal, line: scanned.line,
                byteOffset: scanned.byteOffset, externalId: scanned.externalId, byteCount: scanned.byteCount,
                charCount: scanned.fingerprint == nil ? nil : scanned.charCount,
                tokenCount: scanned.fingerprint == nil ? nil : scanned.tokenCount,
                fingerprint: scanned.fingerprint?.description, fate: entry.copies > 0 ? .kept : .dropped,
                stage: entry.stage, reason: entry.reason, duplicateOf: entry.duplicateOf,
                split: entry.copies > 0 ? entry.split : nil, copies: entry.copies)
        }
    }
}
