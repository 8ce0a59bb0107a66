import GristCore
import GristDedup

/// Phase 2 of a build: deduplication over the sketches every stored part left, in its own work folder
/// keyed by the dedup settings and the parts, so a rerun reuses finished tasks, or the clusters whole.
///
/// The parts' sketch files are hard-linked into the folder under their global part numbers (the
/// canonical order), then the plan's independent tasks run in parallel and the clustering follows; its
/// result (`WorkLayout.dedupMembers`: the members of every cluster and the audit) is stored whole.
///
/// With `dedup.against`, the earlier builds' indexes come first in the canonical order (linked as files
/// 0, 1, … with their documents pinned: they always survive), the parts after them; the members
/// `DedupStage` returns are numbered in that order (`Selection` takes the earlier builds' documents off).
///
/// Work: `dedup/KEY/` (`WorkLayout`); key: the `dedup:` section, the earlier builds' indexes (the
/// SHA-256 of each `index.json`, which names that build's key) and the parts' identities.
struct DedupStage: BuildStage {
    static let name = StageName.dedup
    let context: BuildContext
    let settings: DedupSettings
    /// The scanned parts in canonical order, their identities, and the documents each sketched.
    let parts: [PartLocation]
    let partIds: [String]
    let documentCounts: [Int]
    /// The earlier builds of `dedup.against`, whose indexed documents lead the canonical order.
    var earlier: [EarlierBuild] { context.plan.earlierBuilds }

    var key: String {
        ScanPlan.key(["dedup", ConfigSections(yaml: context.plan.loaded.text).section("dedup")]
            + earlier.map { "against=" + $0.index.sha256 } + partIds)
    }
    /// Documents of each file of the plan: the earlier builds' indexes, then the parts.
    private var planCounts: [Int] { earlier.map(\.index.description.documents) + documentCounts }
    var workItems: [String] { settings.tasks.map(\.name) }
    var folder: DedupWorkFolder { context.layout.dedup(key) }
    private var workers: Int { context.workers }
    private var membersPath: String { WorkLayout.dedupMembers(folder) }

    /// Whether the clusters of this folder's deduplication are already stored.
    var isFinished: Bool { FileSystem.exists(membersPath) }

    func run() throws -> StageRun<DedupOutcome> {
        let reused = isFinished
        let outcome = try deduplicate()
        return StageRun(output: outcome, reused: reused ? 1 : 0, ran: reused ? 0 : 1)
    }

    static func progress(of record: StageRecord, in layout: WorkLayout) -> StageProgress? {
        let folder = layout.dedup(record.key)
        let stored = record.items.compactMap(DedupTask.init(name:)).filter(folder.isFinished).count
        return StageProgress(stage: name, stored: stored, planned: record.items.count,
                             finished: FileSystem.exists(WorkLayout.dedupMembers(folder)))
    }

    private func deduplicate() throws -> DedupOutcome {
        if let outcome = try? load() { return outcome }
        try folder.create()
        try link()
        let plan = try DedupPlan(settings: settings, folder: folder, documentCounts: planCounts)
        try DedupTasks.run(plan, workers: workers)
        var members: [DuplicateMember] = []
        let summary = try plan.cluster { members.append($0) }
        let outcome = DedupOutcome(members: members, audit: summary.audit)
        try store(outcome)
        return outcome
    }

    /// Runs one of the plan's tasks (a Slurm array task: other processes may run the others at the
    /// same time in the same folder; their pair and sort files have names of their own).
    func runTask(_ index: Int) throws {
        if isFinished { return }
        try FileSystem.createDirectory(folder.runs)
        try link()
        let plan = try DedupPlan(settings: settings, folder: folder, documentCounts: planCounts)
        guard index >= 0, index < plan.tasks.count else {
            throw GristError(.usage, "there is no dedup task \(index) (the plan has \(plan.tasks.count))")
        }
        let task = plan.tasks[index]
        if !plan.isFinished(task) { try plan.run(task, memoryBytes: settings.memoryBytes) }
    }

    /// Hard-links each part's sketch files into the folder under the part's global number.
    private func link() throws {
        for (number, build) in earlier.enumerated() { try folder.linkPinned(index: build.index, as: number) }
        for (number, part) in parts.enumerated() { try folder.link(file: 0, of: part.dedup, as: earlier.count + number) }
    }

    private static let format = "grist-dedup-members/3"

    private func store(_ outcome: DedupOutcome) throws {
        var w = BinaryWriter()
        w.string(Self.format)
        w.int(outcome.members.count)
        for m in outcome.members {
            w.int(m.document)
            w.int(m.cluster)
            w.int(m.kept)
            w.int(m.clusterSize)
            w.double(m.similarity)
            w.bool(m.exact)
            w.bool(m.sameURL)
        }
        let a = outcome.audit
        w.double(a.threshold)
        w.uint64(a.seed)
        w.bool(a.verify)
        for value in [a.clusters, a.documents, a.nearClusters, a.sampledClusters] { w.int(value) }
        w.int(a.sizes.count)
        for b in a.sizes { for value in [b.lowerBound, b.upperBound, b.clusters, b.documents] { w.int(value) } }
        w.int(a.pairs.count)
        for p in a.pairs {
            w.int(p.cluster)
            w.bool(p.kind == .member)
            w.int(p.document)
            w.int(p.other)
            w.double(p.similarity)
            w.bool(p.exact)
        }
        w.int(a.largest.count)
        for c in a.largest {
            for value in [c.cluster, c.size, c.kept, c.members.count] { w.int(value) }
            for member in c.members { w.int(member) }
        }
        let g = a.guardCounts
        for value in [g.maxClusterSize, g.bySize, g.bySimilarity, g.splitOffDocuments] { w.int(value) }
        try AtomicFile.write(path: membersPath) { try $0.write(w.bytes) }
        Fault.point("dedup-cluster")
    }

    /// The stored outcome (a file of another format, an older grist's, is not read: the clusters are made again).
    private func load() throws -> DedupOutcome {
        let file = try MappedFile(path: membersPath)
        var r = BinaryReader(file.bytes, path: membersPath)
        guard try r.string() == Self.format else {
            throw GristError(.badFormat, "not a members file", at: InputPosition(path: membersPath))
        }
        let count = try r.count(each: 42)
        var members: [DuplicateMember] = []
        members.reserveCapacity(count)
        for _ in 0..<count {
            members.append(DuplicateMember(document: try r.int(), cluster: try r.int(), kept: try r.int(),
                                           clusterSize: try r.int(), similarity: try r.double(), exact: try r.bool(),
                                           sameURL: try r.bool()))
        }
        var a = DedupAudit(threshold: try r.double(), seed: try r.uint64(), verify: try r.bool(), maxClusterSize: 0)
        a.clusters = try r.int()
        a.documents = try r.int()
        a.nearClusters = try r.int()
        a.sampledClusters = try r.int()
        for _ in 0..<(try r.count(each: 32)) {
            a.sizes.append(DedupAudit.SizeBucket(lowerBound: try r.int(), upperBound: try r.int(), clusters: try r.int(),
                                                 documents: try r.int()))
        }
        for _ in 0..<(try r.count(each: 34)) {
            a.pairs.append(DedupAudit.Pair(cluster: try r.int(), kind: try r.bool() ? .member : .kept,
                                           document: try r.int(), other: try r.int(), similarity: try r.double(),
                                           exact: try r.bool()))
        }
        for _ in 0..<(try r.count(each: 32)) {
            var c = DedupAudit.LargeCluster(cluster: try r.int(), size: try r.int(), kept: try r.int(), members: [])
            for _ in 0..<(try r.count(each: 8)) { c.members.append(try r.int()) }
            a.largest.append(c)
        }
        a.guardCounts = DedupAudit.GuardCounts(maxClusterSize: try r.int())
        a.guardCounts.bySize = try r.int()
        a.guardCounts.bySimilarity = try r.int()
        a.guardCounts.splitOffDocuments = try r.int()
        return DedupOutcome(members: members, audit: a)
    }
}

/// What the dedup stage gives the build: every member of every duplicate cluster, in document order, and
/// the audit of the clusters (`DedupAudit`).
struct DedupOutcome {
    var members: [DuplicateMember]
    var audit: DedupAudit
}
