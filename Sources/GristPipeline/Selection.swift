import GristCore
import GristDedup
import GristMix
import GristShards

/// Every scanned document of a build, in canonical order (source, file, record), and what became of it:
/// the rule that dropped it, or the duplicate it was, or the split the sampler gave it, and the copies
/// the mix took (`apply`). Everything is decided in canonical order or by seeded hashes, never by
/// arrival order. The mixing itself is GristMix's (`Mixture`, `ShardLayout`) over `mixEntries`.
struct Selection {
    /// One scanned document, in canonical order; `id` is its manifest id (1-based).
    struct Entry {
        var id: Int64
        var job: Int
        var index: Int
        var source: Int
        /// Where it was dropped, and why (a rule's reason, or a `BuildDropReason`'s raw value).
        var stage: DocumentStage?
        var reason: String?
        var duplicateOf: Int64?
        var cluster: Int?
        var similarity: Double?
        /// For a duplicate of an earlier build's document (`dedup.against`): that build (its index in
        /// `plan.earlierBuilds`) and the document.
        var earlier: (build: Int, document: DedupIndex.Identity)?
        var split: DataSplit?
        /// For a document cut between the splits by `val_tokens`: its tokens in train (`MixEntry.cut`).
        var cut: Int?
        /// Its placements in the shards, both splits.
        var copies = 0
    }

    /// A duplicate cluster: its survivor and the lowest similarity of a member to it.
    struct Cluster {
        var size: Int
        var keptEntry: Int
        var minSimilarity: Double
        var exactOnly: Bool

        /// A number not yet met (real clusters have two members or more).
        static let unseen = Cluster(size: 0, keptEntry: -1, minSimilarity: 1, exactOnly: true)
    }

    let plan: BuildPlan
    private(set) var jobs: [ScanJob]
    private(set) var scans: [FileScan]
    private(set) var entries: [Entry] = []
    /// Per source: the scans' counts plus dedup and mix.
    private(set) var tallies: [StageTally]
    /// Duplicate clusters in cluster-number order.
    private(set) var clusters: [Cluster] = []
    /// The dedup audit, its documents numbered by entry (index in `entries`) instead of by dedup number.
    private(set) var audit: DedupAudit?

    /// - Parameters:
    ///   - duplicates: the members of every duplicate cluster, in dedup order (the documents that passed
    ///     every rule, in canonical order), as `DedupPlan.cluster` reports them.
    ///   - audit: the dedup audit (documents by dedup number); nil without deduplication.
    ///   - sampler: the build's seeded choices; gives each unique document its split.
    ///     With `dedup.against`, the earlier builds' indexed documents come first in that numbering: they
    ///     are no documents of this build, and a document whose survivor is one is recorded as its duplicate.
    init(plan: BuildPlan, jobs: [ScanJob], scans: [FileScan], duplicates: [DuplicateMember], audit: DedupAudit? = nil,
         sampler: DocumentSampler) throws {
        self.plan = plan
        self.jobs = jobs
        self.scans = scans
        tallies = Array(repeating: StageTally(), count: plan.sources.count)
        var nextId: Int64 = 1
        // Entry index of each document that reached deduplication, by its dedup number.
        var dedupEntries: [Int] = []
        for (jobIndex, (job, scan)) in zip(jobs, scans).enumerated() {
            tallies[job.source].merge(scan.tally)
            for (index, document) in scan.documents.enumerated() {
                let entry = Entry(id: nextId, job: jobIndex, index: index, source: job.source,
                                  stage: document.droppedStage.map(DocumentStage.rule), reason: document.droppedReason)
                nextId += 1
                if document.dedupIndex != nil { dedupEntries.append(entries.count) }
                entries.append(entry)
            }
        }
        // The earlier builds' documents lead the dedup numbering (`DedupStage`); they always survive.
        let earlierCounts = plan.earlierBuilds.map(\.index.description.documents)
        let pinned = earlierCounts.reduce(0, +)
        // Clusters are this build's when their survivor is; numbered in the dedup's order (without
        // earlier builds, the dedup's numbers themselves).
        var numbers: [Int: Int] = [:]
        for member in duplicates where member.isKept && member.document >= pinned && numbers[member.cluster] == nil {
            numbers[member.cluster] = 0
        }
        for (number, cluster) in numbers.keys.sorted().enumerated() { numbers[cluster] = number }
        var wanted = Array(repeating: Set<Int>(), count: earlierCounts.count)
        var earlierMembers: [(entry: Int, build: Int, local: Int)] = []
        // Members come in document order; cluster numbers need not (a group's split-off clusters are
        // numbered right after it), so a cluster is recorded by number when any member first shows it.
        for var member in duplicates {
            guard member.document >= pinned else { continue }
            let i = dedupEntries[member.document - pinned]
            if member.kept < pinned {
                var (build, local) = (0, member.kept)
                while local >= earlierCounts[build] { local -= earlierCounts[build]; build += 1 }
                entries[i].similarity = member.similarity
                entries[i].stage = .dedup
                entries[i].reason = (member.exact ? BuildDropReason.exactDuplicate
                    : member.sameURL ? .urlDuplicate : .nearDuplicate).rawValue
                wanted[build].insert(local)
                earlierMembers.append((i, build, local))
                continue
            }
            guard let number = numbers[member.cluster] else { continue }
            member.cluster = number
            let kept = dedupEntries[member.kept - pinned]
            if member.cluster >= clusters.count {
                clusters += repeatElement(Cluster.unseen, count: member.cluster + 1 - clusters.count)
            }
            if clusters[member.cluster].size == 0 {
                clusters[member.cluster] = Cluster(size: member.clusterSize, keptEntry: kept, minSimilarity: 1,
                                                   exactOnly: true)
            }
            entries[i].cluster = member.cluster
            entries[i].similarity = member.similarity
            guard !member.isKept else { continue }
            clusters[member.cluster].minSimilarity = min(clusters[member.cluster].minSimilarity, member.similarity)
            clusters[member.cluster].exactOnly = clusters[member.cluster].exactOnly && member.exact
            entries[i].stage = .dedup
            entries[i].reason = (member.exact ? BuildDropReason.exactDuplicate
                : member.sameURL ? .urlDuplicate : .nearDuplicate).rawValue
            entries[i].duplicateOf = entries[kept].id
        }
        for (build, locals) in wanted.enumerated() where !locals.isEmpty {
            let identities = try plan.earlierBuilds[build].index.identities(of: locals)
            for member in earlierMembers where member.build == build {
                if let identity = identities[member.local] { entries[member.entry].earlier = (build, identity) }
            }
        }
        if var audit {
            // The figures cover every sampled cluster; the rows name only this build's documents and clusters
            // (a cluster whose survivor is an earlier build's is no cluster of this build's manifest).
            audit.pairs = audit.pairs.compactMap { pair in
                guard pair.document >= pinned, pair.other >= pinned, let number = numbers[pair.cluster] else { return nil }
                var pair = pair
                pair.cluster = number
                pair.document = dedupEntries[pair.document - pinned]
                pair.other = dedupEntries[pair.other - pinned]
                return pair
            }
            audit.largest = audit.largest.compactMap { cluster in
                guard cluster.kept >= pinned, let number = numbers[cluster.cluster] else { return nil }
                var cluster = cluster
                cluster.cluster = number
                cluster.kept = dedupEntries[cluster.kept - pinned]
                cluster.members = cluster.members.filter { $0 >= pinned }.map { dedupEntries[$0 - pinned] }
                return cluster
            }
            self.audit = audit
        }
        let dedupPosition = plan.dedupPosition
        for i in entries.indices {
            let document = self.document(entries[i])
            guard let fingerprint = document.fingerprint else { continue }
            if document.dedupIndex != nil {
                if let reason = entries[i].reason {
                    tallies[entries[i].source].add(position: dedupPosition, stage: .dedup, .dropped, reason: reason,
                                                   bytes: document.byteCount)
                } else {
                    // Under URL dedup, kept documents without a URL are counted apart: no URL rule saw them.
                    let noURL = plan.config.dedup.url != nil && !document.hasURL
                    tallies[entries[i].source].add(position: dedupPosition, stage: .dedup, .kept,
                                                   reason: noURL ? Self.noURLReason : "", bytes: document.byteCount)
                }
            }
            // A source whose val split is taken by tokens gets it in the mix (`ValTokenSplit`).
            if entries[i].stage == nil {
                entries[i].split = plan.splitsByTokens(source: entries[i].source) ? .train : sampler.split(of: fingerprint)
            }
        }
    }

    /// The manifest rows of the duplicate clusters (ids are cluster numbers + 1).
    func clusterRecords(runId: Int64) -> [DuplicateClusterRecord] {
        clusters.enumerated().map { number, cluster in
            DuplicateClusterRecord(id: Int64(number + 1), runId: runId, size: cluster.size,
                                   keptDocumentId: entries[cluster.keptEntry].id, minSimilarity: cluster.minSimilarity,
                                   exactOnly: cluster.exactOnly)
        }
    }

    /// The manifest rows of the dedup audit (cluster ids are cluster numbers + 1); `firstLine` gives an
    /// entry's first line. Nil without deduplication.
    func auditRecord(firstLine: (Entry) throws -> String) rethrows -> DedupAuditRecord? {
        guard let audit else { return nil }
        func estimate(_ e: DedupAudit.Estimate) -> DedupAuditRecord.Estimate {
            DedupAuditRecord.Estimate(pairs: e.pairs, atOrAbove: e.atOrAbove, precision: e.precision,
                                      low: e.interval?.low, high: e.interval?.high)
        }
        var largest: [DedupAuditRecord.LargestMember] = []
        for (rank, cluster) in audit.largest.enumerated() {
            for (position, member) in cluster.members.enumerated() {
                largest.append(DedupAuditRecord.LargestMember(
                    rank: rank + 1, clusterId: Int64(cluster.cluster + 1), position: position,
                    documentId: entries[member].id, firstLine: try firstLine(entries[member])))
            }
        }
        let g = audit.guardCounts
        var record = DedupAuditRecord(
            threshold: audit.threshold, seed: Int64(bitPattern: audit.seed), verify: audit.verify,
            clusters: audit.clusters, documents: audit.documents, nearClusters: audit.nearClusters,
            sampledClusters: audit.sampledClusters, toKept: estimate(audit.toKept),
            betweenMembers: estimate(audit.betweenMembers), exactPairs: audit.exactPairs,
            maxClusterSize: g.maxClusterSize, guardedBySize: g.bySize, guardedBySimilarity: g.bySimilarity,
            guardSplitOff: g.splitOffDocuments,
            sizes: audit.sizes,
            pairs: audit.pairs.map {
                DedupAuditRecord.Pair(clusterId: Int64($0.cluster + 1), kind: $0.kind.rawValue,
                                      documentId: entries[$0.document].id, otherDocumentId: entries[$0.other].id,
                                      similarity: $0.similarity, exact: $0.exact)
            },
            largest: largest)
        record.keepRule = plan.config.dedup.keep.rawValue
        return record
    }

    /// The reason of the dedup stage's `kept` rows for documents without a URL under URL dedup.
    static let noURLReason = "no_url"

    /// The documents dropped as duplicates of an earlier build's documents (`dedup.against`), in id order.
    var earlierDuplicateRecords: [EarlierDuplicateRecord] {
        entries.compactMap { entry in
            entry.earlier.map {
                EarlierDuplicateRecord(documentId: entry.id, build: $0.build, earlierDocumentId: $0.document.document,
                                       source: $0.document.source, externalId: $0.document.id,
                                       similarity: entry.similarity ?? 1)
            }
        }
    }

    /// Duplicates dropped from source `source`, by the source of the document kept instead (sorted).
    func duplicateSources(of source: Int) -> [(source: Int, exact: Int, url: Int, near: Int)] {
        var counts: [Int: (exact: Int, url: Int, near: Int)] = [:]
        for entry in entries where entry.source == source && entry.stage == .dedup {
            guard let cluster = entry.cluster else { continue }
            let keptSource = entries[clusters[cluster].keptEntry].source
            var count = counts[keptSource] ?? (0, 0, 0)
            switch entry.reason {
            case BuildDropReason.exactDuplicate.rawValue: count.exact += 1
            case BuildDropReason.urlDuplicate.rawValue: count.url += 1
            default: count.near += 1
            }
            counts[keptSource] = count
        }
        return counts.keys.sorted().map { ($0, counts[$0]?.exact ?? 0, counts[$0]?.url ?? 0, counts[$0]?.near ?? 0) }
    }

    func document(_ entry: Entry) -> ScannedDocument { scans[entry.job].documents[entry.index] }

    /// Sets the manifest id of each job's file (known once the manifest's file rows exist).
    mutating func setFileIds(_ ids: [Int64]) {
        precondition(ids.count == jobs.count, "one id per job")
        for index in jobs.indices { jobs[index].fileId = ids[index] }
    }

    /// Sets where each document of scan `job` has its tokens (`TokenizePhase`, after training).
    mutating func setTokens(job: Int, _ locations: [(offset: Int, count: Int)]) {
        precondition(locations.count == scans[job].documents.count, "one location per document")
        for (index, location) in locations.enumerated() {
            scans[job].documents[index].tokenOffset = location.offset
            scans[job].documents[index].tokenCount = location.count
        }
    }

    /// The unique documents that reach the mix (those with a split), in canonical order, numbered by
    /// their index in `entries`.
    var mixEntries: [MixEntry] {
        entries.indices.compactMap { i in
            let scanned = document(entries[i])
            guard let split = entries[i].split, let fingerprint = scanned.fingerprint else { return nil }
            return MixEntry(document: i, source: entries[i].source, fingerprint: fingerprint,
                            tokenCount: scanned.tokenCount, split: split)
        }
    }

    /// Records the split the mix gave each document (and its cut) and the copies the mixture took of it:
    /// none drops it as `sampled_out`.
    mutating func apply(_ mixture: Mixture) {
        let position = plan.mixPosition
        for (index, entry) in mixture.entries.enumerated() {
            let i = entry.document
            let bytes = document(entries[i]).byteCount
            let copies = mixture.placements(of: index)
            entries[i].split = entry.split
            entries[i].cut = entry.cut
            entries[i].copies = copies
            if copies == 0 {
                let reason = BuildDropReason.sampledOut.rawValue
                entries[i].stage = .mix
                entries[i].reason = reason
                tallies[entries[i].source].add(position: position, stage: .mix, .dropped, reason: reason, bytes: bytes)
            } else {
                tallies[entries[i].source].add(position: position, stage: .mix, .kept, bytes: bytes)
            }
        }
    }

    /// Where each entry's tokens are, for the shard assembler.
    var tokenLocations: [ShardAssembler.TokenLocation] {
        entries.map { ShardAssembler.TokenLocation(id: $0.id, job: $0.job, tokenOffset: document($0).tokenOffset) }
    }

    /// Refuses a build that keeps no document, or in which a source (of weight above 0) yields none
    /// past its reader and rules, saying why for each such source: how many records were read and
    /// skipped (with the first skip's message), and the stages that dropped the most. A source whose
    /// documents all went to dedup (their copies are kept from other sources) or to the mix's sampling
    /// only gets a warning, returned for the build to print and record: its text is in the shards, or
    /// was left out by its weight.
    func requireDocumentsFromEverySource() throws -> [String] {
        // Per source, in one pass: documents kept, and documents past the reader and rules.
        var kept = Array(repeating: 0, count: plan.sources.count), survivors = kept
        for entry in entries {
            if entry.copies > 0 { kept[entry.source] += 1 }
            if entry.stage == nil || entry.stage == .dedup || entry.stage == .mix { survivors[entry.source] += 1 }
        }
        let total = kept.reduce(0, +)
        var empty: [String] = [], warnings: [String] = []
        for (index, source) in plan.sources.enumerated() where source.config.weight > 0 && kept[index] == 0 {
            let message = "source \"\(source.config.name)\" kept no documents: " + emptinessReason(source: index)
            if survivors[index] > 0 && total > 0 { warnings.append(message) } else { empty.append(message) }
        }
        if empty.isEmpty && total == 0 { empty.append("the build kept no documents") }
        guard !empty.isEmpty else { return warnings }
        throw GristError(.nothingKept, empty.joined(separator: "\n"),
                         hint: "grist validate checks the config; grist filter --config shows what each rule does to a file")
    }

    /// Fails the build when a source skipped more than its `on_error.max_skipped_fraction` of its
    /// records (documents read plus records skipped), naming the most frequent reason and the first one.
    func requireSkippedRecordsWithinLimits() throws {
        var over: [String] = []
        for (index, source) in plan.sources.enumerated() {
            guard let limit = source.config.onError.maxSkippedFraction else { continue }
            let read = recordsRead(source: index)
            let skipped = tallies[index].rows.filter { $0.outcome == .skipped }
            let count = skipped.reduce(0) { $0 + $1.documents }
            guard count > 0, Double(count) / Double(read + count) > limit else { continue }
            let top = skipped.max { $0.documents < $1.documents }.map { "most for \($0.reason): \(NumberText.grouped($0.documents))" } ?? ""
            var line = "source \"\(source.config.name)\" skipped \(NumberText.grouped(count)) of its \(NumberText.grouped(read + count)) records "
                + "(\(top)), more than its on_error.max_skipped_fraction of \(limit)"
            if let first = firstSkip(source: index) { line += "; the first: \(first.description)" }
            over.append(line)
        }
        guard !over.isEmpty else { return }
        throw GristError(.badFormat, over.joined(separator: "\n"),
                         hint: "grist collect --format … FILE shows what the reader makes of a file; raise the limit to go on")
    }

    /// One line for each filter that dropped more than its `warn_above` share of a source's documents that
    /// reached it, naming its most frequent reason: web-crawl heuristics often drop most of a book, code
    /// or short texts, and a user should see that at once rather than find it in the statistics.
    func heavyFilterWarnings() -> [String] {
        let filters = plan.config.filters
        let first = plan.rules.count - filters.count
        let stages = plan.ruleStages
        var lines: [String] = []
        for (sourceIndex, source) in plan.sources.enumerated() {
            let rows = tallies[sourceIndex].rows
            for (index, filter) in filters.enumerated() where filter.warnAbove < 1 {
                let here = rows.filter { $0.position == first + index + 1 }
                let seen = here.reduce(0) { $0 + $1.documents }
                let dropped = here.filter { $0.outcome == .dropped }
                let count = dropped.reduce(0) { $0 + $1.documents }
                guard seen > 0, Double(count) / Double(seen) > filter.warnAbove,
                      let top = dropped.max(by: { $0.documents < $1.documents }) else { continue }
                let share = Int((Double(count) / Double(seen) * 100).rounded())
                lines.append("filter \(stages[first + index]) dropped \(share)% of source \"\(source.config.name)\" "
                    + "(\(NumberText.grouped(count)) of \(NumberText.grouped(seen)) documents; most for \(top.reason): \(NumberText.grouped(top.documents))); "
                    + "its warn_above is \(filter.warnAbove)")
            }
        }
        return lines
    }

    /// What happened to every record of a source that kept none.
    private func emptinessReason(source: Int) -> String {
        let rows = tallies[source].rows
        let read = recordsRead(source: source)
        let skipped = rows.filter { $0.outcome == .skipped }
        let dropped = rows.filter { $0.outcome == .dropped }.sorted { $0.documents > $1.documents }
        var parts: [String] = []
        let files = jobs.indices.filter { jobs[$0].source == source }.map { jobs[$0].file }
        if files.isEmpty { return "it has no input files" }
        if read == 0 && skipped.isEmpty { parts.append("its \(Set(files).count) file(s) hold no records") }
        else { parts.append("\(NumberText.grouped(read)) read") }
        if !skipped.isEmpty {
            let reasons = skipped.map { "\($0.reason) \(NumberText.grouped($0.documents))" }.joined(separator: ", ")
            let total = skipped.reduce(0) { $0 + $1.documents }
            var text = "\(NumberText.grouped(total)) skipped (\(reasons))"
            if let first = firstSkip(source: source) { text += "; the first: \(first.description)" }
            parts.append(text)
        }
        if !dropped.isEmpty {
            parts.append("dropped by " + dropped.prefix(3).map { "\($0.stage) (\($0.reason)) \(NumberText.grouped($0.documents))" }
                .joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }

    /// Documents the reader made of a source's records (stage `read`, kept).
    private func recordsRead(source: Int) -> Int {
        tallies[source].rows.filter { $0.position == 0 && $0.outcome == .kept }.reduce(0) { $0 + $1.documents }
    }

    /// The first record of a source that was skipped (or the failure that stopped a file), in file order.
    private func firstSkip(source: Int) -> GristError? {
        jobs.indices.lazy.filter { self.jobs[$0].source == source }
            .compactMap { self.scans[$0].skipped.first ?? self.scans[$0].failure }.first
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

    /// The manifest's split of a kept document: `both` for one cut between the splits whose head has
    /// copies in train; a cut one whose head was sampled out is in `val` only.
    func recordedSplit(_ entry: Entry) -> DocumentRecord.Split? {
        guard let split = entry.split else { return nil }
        guard entry.cut != nil else { return split == .train ? .train : .val }
        return entry.copies > 1 ? .both : .val
    }

    /// The manifest's document rows; `scored` says which metadata keys hold classifier scores.
    func documentRecords(scored: [ScoredMetadataKey]) -> [DocumentRecord] {
        entries.map { entry in
            let scanned = document(entry)
            var record = DocumentRecord(
                id: entry.id, inputFileId: jobs[entry.job].fileId, ordinal: scanned.ordinal, line: scanned.line,
                byteOffset: scanned.byteOffset, externalId: scanned.externalId, byteCount: scanned.byteCount,
                charCount: scanned.fingerprint == nil ? nil : scanned.charCount,
                tokenCount: scanned.fingerprint == nil ? nil : scanned.tokenCount,
                fingerprint: scanned.fingerprint?.description, fate: entry.copies > 0 ? .kept : .dropped,
                stage: entry.stage?.name, reason: entry.reason, duplicateOf: entry.duplicateOf,
                split: entry.copies > 0 ? recordedSplit(entry) : nil, copies: entry.copies,
                clusterId: entry.cluster.map { Int64($0 + 1) }, similarity: entry.similarity)
            record.metadata = scanned.metadata.map { $0 }
            record.language = scanned.metadata["language"]
            record.languageScore = scanned.metadata["language_score"].flatMap(Double.init)
            record.piece = scanned.piece
            record.contamination = scanned.contamination
            for key in scored {
                if let value = scanned.metadata[key.key].flatMap(Double.init) {
                    record.scores.append((key.stage, key.label, value))
                }
            }
            return record
        }
    }
}
