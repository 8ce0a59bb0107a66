import GristCore
import GristDedup

/// Phase 2 of a build: deduplication over the sketches every stored part left, in its own work folder
/// keyed by the dedup settings and the parts, so a rerun reuses finished tasks, or the clusters whole.
///
/// The parts' sketch files are hard-linked into the folder under their global part numbers (the
/// canonical order), then the plan's independent tasks run in parallel and the clustering follows; its
/// result (`WorkLayout.dedupMembers`) is stored whole.
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

    func run() throws -> StageRun<[DuplicateMember]> {
        let reused = isFinished
        let members = try deduplicate()
        return StageRun(output: members, reused: reused ? 1 : 0, ran: reused ? 0 : 1)
    }

    static func progress(of record: StageRecord, in layout: WorkLayout) -> StageProgress? {
        let folder = layout.dedup(record.key)
        let stored = record.items.compactMap(DedupTask.init(name:)).filter(folder.isFinished).count
        return StageProgress(stage: name, stored: stored, planned: record.items.count,
                             finished: FileSystem.exists(WorkLayout.dedupMembers(folder)))
    }

    private func deduplicate() throws -> [DuplicateMember] {
        if let members = try? load() { return members }
        try folder.create()
        try link()
        let plan = try DedupPlan(settings: settings, folder: folder, documentCounts: planCounts)
        try DedupTasks.run(plan, workers: workers)
        var members: [DuplicateMember] = []
        _ = try plan.cluster { members.append($0) }
        try store(members)
        return members
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

    private func store(_ members: [DuplicateMember]) throws {
        var w = BinaryWriter()
        w.string("grist-dedup-members")
        w.int(members.count)
        for m in members {
            w.int(m.document)
            w.int(m.cluster)
            w.int(m.kept)
            w.int(m.clusterSize)
            w.double(m.similarity)
            w.bool(m.exact)
        }
        try AtomicFile.write(path: membersPath) { try $0.write(w.bytes) }
        Fault.point("dedup-cluster")
    }

    private func load() throws -> [DuplicateMember] {
        let file = try MappedFile(path: membersPath)
        var r = BinaryReader(file.bytes, path: membersPath)
        guard try r.string() == "grist-dedup-members" else {
            throw GristError(.badFormat, "not a members file", at: InputPosition(path: membersPath))
        }
        let count = try r.count(each: 41)
        var members: [DuplicateMember] = []
        members.reserveCapacity(count)
        for _ in 0..<count {
            members.append(DuplicateMember(document: try r.int(), cluster: try r.int(), kept: try r.int(),
                                           clusterSize: try r.int(), similarity: try r.double(), exact: try r.bool()))
        }
        return members
    }
}
