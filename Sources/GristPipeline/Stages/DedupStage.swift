import GristCore
import GristDedup

/// Phase 2 of a build: deduplication over the sketches every stored part left, in its own work folder
/// keyed by the dedup settings and the parts, so a rerun reuses finished tasks, or the clusters whole.
///
/// The parts' sketch files are hard-linked into the folder under their global part numbers (the
/// canonical order), then the plan's independent tasks run in parallel and the clustering follows; its
/// result (`members.bin`) is stored whole.
struct DedupStage {
    let settings: DedupSettings
    let folder: DedupWorkFolder
    let workers: Int

    private var membersPath: String { FileSystem.join(folder.path, "members.bin") }

    /// Whether the clusters of this folder's deduplication are already stored.
    var isFinished: Bool { FileSystem.exists(membersPath) }

    func run(parts: [PartLocation], documentCounts: [Int]) throws -> [DuplicateMember] {
        if let members = try? load() { return members }
        try folder.create()
        try link(parts)
        let plan = try DedupPlan(settings: settings, folder: folder, documentCounts: documentCounts)
        try DedupTasks.run(plan, workers: workers)
        var members: [DuplicateMember] = []
        _ = try plan.cluster { members.append($0) }
        try store(members)
        return members
    }

    /// Runs one of the plan's tasks (a Slurm array task: other processes may run the others at the
    /// same time in the same folder; their pair and sort files have names of their own).
    func runTask(_ index: Int, parts: [PartLocation], documentCounts: [Int]) throws {
        if isFinished { return }
        try FileSystem.createDirectory(folder.runs)
        try link(parts)
        let plan = try DedupPlan(settings: settings, folder: folder, documentCounts: documentCounts)
        guard index >= 0, index < plan.tasks.count else {
            throw GristError(.usage, "there is no dedup task \(index) (the plan has \(plan.tasks.count))")
        }
        let task = plan.tasks[index]
        if !plan.isFinished(task) { try plan.run(task, memoryBytes: settings.memoryBytes) }
    }

    /// The number of independent tasks: the exact-key task (when exact dedup is on) and one per LSH band.
    static func taskCount(_ settings: DedupSettings) -> Int { (settings.exact ? 1 : 0) + settings.bands }

    /// Hard-links each part's sketch files into the folder under the part's global number.
    private func link(_ parts: [PartLocation]) throws {
        for (number, part) in parts.enumerated() {
            let source = part.dedup.path
            for name in FileSystem.contents(of: source) where name.hasPrefix("file-000000.") {
                let suffix = name.dropFirst("file-000000".count)
                try FileSystem.link(FileSystem.join(source, name),
                                    to: FileSystem.join(folder.path, "file-" + zeroPadded(number, 6) + suffix))
            }
        }
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
