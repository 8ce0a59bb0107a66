import GristCore

/// Phase 2 of deduplication, planned over the sketches phase 1 left in a work folder: independent
/// tasks (exact keys, then one per LSH band) that turn keys into sorted candidate pairs, then one
/// clustering step that verifies candidates, joins them into clusters and picks each cluster's survivor.
///
/// Documents are numbered globally in canonical order: file 0's documents, then file 1's, and so on.
/// Every step is a function of the sketches alone, so the clusters are the same for any number of
/// workers, any memory budget, and after a crash and rerun.
public struct DedupPlan: Sendable {
    public let settings: DedupSettings
    public let folder: DedupWorkFolder
    /// Documents of each input file, in canonical file order.
    public let documentCounts: [Int]
    public let documentCount: Int

    public init(settings: DedupSettings, folder: DedupWorkFolder, documentCounts: [Int]) throws {
        self.settings = settings
        self.folder = folder
        self.documentCounts = documentCounts
        documentCount = documentCounts.reduce(0, +)
        guard documentCount < Int(UInt32.max) else {
            throw GristError(.usage, "\(documentCount) documents: deduplication numbers documents with 32 bits "
                + "(at most \(UInt32.max - 1))")
        }
    }

    /// The independent tasks, in a fixed order.
    public var tasks: [DedupTask] { settings.tasks }

    /// Bytes the clustering step needs whatever the budget: 12 per document (union-find, group sizes and
    /// survivors), plus the sort buffers (a quarter of the budget).
    public var clusteringBytes: Int { documentCount * 12 }

    private var bases: [Int] {
        var bases = [0]
        for count in documentCounts { bases.append((bases.last ?? 0) + count) }
        return bases
    }

    /// Whether `task`'s output is already in the work folder (finished by an earlier, interrupted run).
    public func isFinished(_ task: DedupTask) -> Bool { folder.isFinished(task) }

    // MARK: - Tasks

    /// Runs one task within `memoryBytes`, writing its pair file (whole or not at all).
    public func run(_ task: DedupTask, memoryBytes: Int) throws {
        let pairs = ExternalSorter<PairRecord>(directory: folder.runs, name: task.name + ".pairs",
                                                bufferBytes: memoryBytes / 2)
        switch task {
        case .exact, .url:
            // The same groups for both: by the text's key, or by the URL's (documents without a URL left out).
            let byURL = task == .url
            let keys = ExternalSorter<ExactRecord>(directory: folder.runs, name: task.name + ".keys",
                                                    bufferBytes: memoryBytes / 2, expectedCount: documentCount)
            for (file, base) in zip(documentCounts.indices, bases) {
                let reader = try RecordReader<SketchedDocument>(path: folder.documentsPath(file))
                var local: UInt32 = 0
                while let document = try reader.next() {
                    if !byURL {
                        try keys.append(ExactRecord(high: document.exactHigh, low: document.exactLow,
                                                    document: UInt32(base) + local))
                    } else if document.hasURL {
                        try keys.append(ExactRecord(high: document.urlHigh, low: document.urlLow,
                                                    document: UInt32(base) + local))
                    }
                    local += 1
                }
            }
            let sorted = try keys.finish()
            var first: ExactRecord? = nil
            while let record = try sorted.next() {
                if let head = first, head.high == record.high, head.low == record.low {
                    try pairs.append(PairRecord(first: head.document, second: record.document))
                } else {
                    first = record
                }
            }
        case .band(let band):
            let keys = ExternalSorter<BandRecord>(directory: folder.runs, name: task.name + ".keys",
                                                   bufferBytes: memoryBytes / 2, expectedCount: documentCount)
            for (file, base) in zip(documentCounts.indices, bases) {
                let reader = try RecordReader<BandRecord>(path: folder.bandPath(file, band: band))
                while let record = try reader.next() {
                    try keys.append(BandRecord(key: record.key, document: UInt32(base) + record.document))
                }
            }
            let sorted = try keys.finish()
            var bucket = BucketPairs()
            var key: UInt64? = nil
            while let record = try sorted.next() {
                if record.key != key {
                    try bucket.close(into: pairs)
                    key = record.key
                }
                try bucket.add(record.document, into: pairs)
            }
            try bucket.close(into: pairs)
        }
        try writeUnique(pairs.finish(), to: folder.pairsPath(task))
    }

    /// Writes sorted pairs without repeats to `path`, atomically.
    private func writeUnique(_ sorted: SortedRecords<PairRecord>, to path: String) throws {
        let temporary = path + ".partial"
        let writer = try RecordWriter<PairRecord>(path: temporary, bufferBytes: 1 << 20)
        var previous: PairRecord? = nil
        while let pair = try sorted.next() {
            if pair == previous { continue }
            try writer.append(pair)
            previous = pair
        }
        try writer.close()
        try DedupWorkFolder.rename(temporary, to: path)
    }

    // MARK: - Clustering

    /// Joins the tasks' pairs into clusters (verifying near-duplicate candidates when asked), picks each
    /// cluster's survivor, and reports every member of every cluster, in document order.
    ///
    /// - Parameter onMember: called once per document that belongs to a cluster of two or more.
    /// - Throws: when the budget cannot hold the 12 bytes per document clustering needs.
    public func cluster(onMember: (DuplicateMember) throws -> Void) throws -> DedupSummary {
        guard clusteringBytes <= settings.memoryBytes * 3 / 4 else {
            throw GristError(.usage, "clustering \(documentCount) documents needs \(clusteringBytes >> 20) MiB "
                + "(12 bytes per document) but the memory budget is \(settings.memoryBytes >> 20) MiB",
                             hint: "raise dedup.minhash.memory_mb")
        }
        for task in tasks where !isFinished(task) {
            throw GristError(.io, "task \(task.name) has not run", at: InputPosition(path: folder.pairsPath(task)))
        }
        var summary = DedupSummary(documents: documentCount)
        let store = try SketchStore(folder: folder, documentCounts: documentCounts,
                                    withShingles: settings.minhash != nil)
        var sets = UnionFind(count: documentCount)
        if settings.exact {
            let reader = try RecordReader<PairRecord>(path: folder.pairsPath(.exact), bufferBytes: 1 << 20)
            while let pair = try reader.next() {
                summary.exactPairs += 1
                sets.union(pair.first, pair.second)
            }
        }
        if settings.url != nil {
            let reader = try RecordReader<PairRecord>(path: folder.pairsPath(.url), bufferBytes: 1 << 20)
            while let pair = try reader.next() {
                summary.urlPairs += 1
                sets.union(pair.first, pair.second)
            }
        }
        if settings.minhash != nil {
            let paths = (0..<settings.bands).map { folder.pairsPath(.band($0)) }
            let merge = try KWayMerge<PairRecord>(paths: paths, bufferBytes: 1 << 18)
            var previous: PairRecord? = nil
            while let pair = try merge.next() {
                if pair == previous { continue }
                previous = pair
                summary.candidatePairs += 1
                guard settings.verify else {
                    sets.union(pair.first, pair.second)
                    continue
                }
                if sets.find(pair.first) == sets.find(pair.second) {
                    summary.alreadyJoinedPairs += 1
                    continue
                }
                if try store.similarity(Int(pair.first), Int(pair.second)) >= settings.threshold {
                    summary.verifiedPairs += 1
                    sets.union(pair.first, pair.second)
                } else {
                    summary.rejectedPairs += 1
                }
            }
        }
        try finish(sets: &sets, store: store, summary: &summary, onMember: onMember)
        return summary
    }

    /// Picks each cluster's survivor by the keep rule and reports the members in document order.
    ///
    /// With verification, every dropped document must itself reach the threshold against its survivor
    /// (a chain A~B~C joins A and C even when C is far from A): members that do not are split off and
    /// clustered again among themselves, around a survivor chosen by the same rule. So a dropped
    /// document is always within the threshold of the document kept in its place.
    ///
    /// Without verification, the giant-cluster guard (`maxClusterSize`) checks a group the same way when
    /// it is larger than `maxClusterSize`, or when at least half its members to drop are below the
    /// threshold against the survivor (`ClusterResolver`).
    ///
    /// Clusters are numbered in the order of each connected group's first document, a group's
    /// split-off clusters right after it. The audit (`DedupAudit`) is made on the way: the sizes after
    /// pass 3, the samples in pass 4.
    private func finish(sets: inout UnionFind, store: SketchStore, summary: inout DedupSummary,
                        onMember: (DuplicateMember) throws -> Void) throws {
        let n = documentCount
        // Pass 1: roots (in place of the union-find), group sizes, and each group's survivor. The documents'
        // metadata is read in order (for `longest` and `priority`), the survivors' rank kept per group.
        var roots = sets.parent
        sets = UnionFind(count: 0)
        var sizes = [UInt32](repeating: 0, count: n)
        var best = [UInt32](repeating: 0, count: n)
        var bestRank = settings.keep == .first ? [] : [UInt32](repeating: 0, count: n)
        var metadata = settings.keep == .first ? nil : try DocumentStream(folder: folder, counts: documentCounts)
        for i in 0..<n {
            var root = Int(roots[i])
            while roots[root] != UInt32(root) { root = Int(roots[root]) }
            roots[i] = UInt32(root)
            sizes[root] += 1
            guard let stream = metadata else {
                if sizes[root] == 1 { best[root] = UInt32(i) }
                continue
            }
            guard let document = try stream.next() else {
                throw GristError(.badFormat, "work files hold fewer documents than planned",
                                 at: InputPosition(path: folder.path))
            }
            // Lower rank wins: priority (a source's, or a score's rank) as is, length reversed.
            let rank = settings.keep == .longest ? UInt32.max - document.byteCount : document.priority
            if sizes[root] == 1 || rank < bestRank[root] {
                best[root] = UInt32(i)
                bestRank[root] = rank
            }
        }
        metadata = nil
        bestRank = []
        // Pass 2: members of groups of two or more, grouped by root (the group's first document).
        let grouped = ExternalSorter<PairRecord>(directory: folder.runs, name: "cluster.groups",
                                                 bufferBytes: settings.memoryBytes / 8)
        for i in 0..<n where sizes[Int(roots[i])] >= 2 {
            try grouped.append(PairRecord(first: roots[i], second: UInt32(i)))
        }
        roots = []
        // Pass 3: accept members against their survivor; split off the rest (with verification, or where
        // the giant-cluster guard takes the group).
        let assigned = ExternalSorter<MemberRecord>(directory: folder.runs, name: "cluster.members",
                                                    bufferBytes: settings.memoryBytes / 8)
        var resolver = ClusterResolver(plan: self, store: store, assigned: assigned)
        let stream = try grouped.finish()
        var group: UInt32? = nil
        while let record = try stream.next() {
            if record.first != group {
                if group != nil { try resolver.close(summary: &summary) }
                group = record.first
                resolver.open(survivor: best[Int(record.first)], size: Int(sizes[Int(record.first)]))
            }
            try resolver.add(record.second, summary: &summary)
        }
        if group != nil { try resolver.close(summary: &summary) }
        sizes = []
        best = []
        let clusterSizes = resolver.sizes
        var audit = AuditCollector(
            audit: DedupAudit(threshold: settings.threshold, seed: settings.auditSeed, verify: settings.verify,
                              maxClusterSize: resolver.guardCounts.maxClusterSize),
            sizes: clusterSizes, near: resolver.near)
        // Pass 4: in document order.
        let ordered = try assigned.finish()
        while let record = try ordered.next() {
            audit.add(document: Int(record.document), cluster: Int(record.cluster), kept: Int(record.kept),
                      exact: record.exact != 0)
            try onMember(DuplicateMember(
                document: Int(record.document), cluster: Int(record.cluster), kept: Int(record.kept),
                clusterSize: Int(clusterSizes[Int(record.cluster)]),
                similarity: Double(Float(bitPattern: record.similarity)), exact: record.exact == 1,
                sameURL: record.exact == 2))
        }
        summary.clusters = clusterSizes.count
        summary.audit = try audit.finish(store: store)
        summary.audit.guardCounts = resolver.guardCounts
    }

    /// Whether `a` (later in canonical order) beats the current survivor `b` under the keep rule.
    func prefers(_ a: SketchedDocument, over b: SketchedDocument) -> Bool {
        switch settings.keep {
        case .first: false
        case .longest: a.byteCount > b.byteCount
        case .priority, .highestQuality, .mostRecent: a.priority < b.priority
        }
    }
}
