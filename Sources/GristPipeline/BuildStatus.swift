import GristCore
import GristShards

#if canImport(Glibc)
import Glibc
#endif

/// Where a build of an output folder stands, from its work area, its manifest and Slurm: for
/// `grist status`, during a long build or after one.
public struct BuildStatus: Sendable {
    /// The running build's lock note (`pid N`), when a build holds the folder's lock.
    public var runningBuild: String?
    /// The stages the last build (or Slurm task) planned, in order, with how much of each one's work
    /// is stored.
    public var stages: [StageProgress]
    /// The published build: its run status and when it finished, and its shards.
    public var published: (status: String, finishedAt: String, shards: Int, tokens: Int)?
    /// Why the published manifest could not be read, when there is one.
    public var manifestProblem: String?
    /// Slurm jobs of the last submission: stage, id, and state (`PENDING`, `RUNNING`, … or `ended`).
    public var jobs: [(stage: String, id: String, state: String)]

    public static func read(output: String) throws -> BuildStatus {
        let layout = WorkLayout(output: output)
        guard FileSystem.isDirectory(output) else {
            throw GristError(.usage, "no such folder", at: InputPosition(path: output))
        }
        var status = BuildStatus(runningBuild: nil, stages: [], published: nil, manifestProblem: nil, jobs: [])
        status.runningBuild = lockHolder(layout.lock)
        status.stages = StageRecord.read(layout.stageList).compactMap { progress(of: $0, in: layout) }
        let manifestPath = layout.manifest
        if FileSystem.exists(manifestPath) {
            do {
                let manifest = try Manifest.open(path: manifestPath)
                if let run = try manifest.latestRun() {
                    let shards = try manifest.shardTotals()
                    status.published = (run.status.rawValue, run.finishedAt ?? "", shards.shards, shards.tokens)
                }
            } catch {
                status.manifestProblem = "\(error)"
            }
        }
        if let listing = try? MappedFile(path: layout.slurmJobs) {
            let jobs = String(decoding: listing.bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
                let fields = line.split(separator: "\t")
                return fields.count == 2 ? (String(fields[0]), String(fields[1])) : nil
            }
            let states = queueStates(jobs.map(\.1))
            status.jobs = jobs.map { ($0.0, $0.1, states[$0.1] ?? "ended") }
        }
        return status
    }

    /// What the stage type of `record` says of its stored work (the same stage values the build runs).
    private static func progress(of record: StageRecord, in layout: WorkLayout) -> StageProgress? {
        switch record.name {
        case .paragraphs: ParagraphStage.progress(of: record, in: layout)
        case .scan: ScanStage.progress(of: record, in: layout)
        case .dedup: DedupStage.progress(of: record, in: layout)
        case .tokenizer: VocabularyStage.progress(of: record, in: layout)
        case .tokenize: TokenizeStage.progress(of: record, in: layout)
        case .mix: MixStage.progress(of: record, in: layout)
        case .shards: ShardsStage.progress(of: record, in: layout)
        case .publish: PublishStage.progress(of: record, in: layout)
        }
    }

    /// The lock file's note when another process holds the lock, else nil.
    private static func lockHolder(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        let note = (try? MappedFile(path: path)).map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
        return note.isEmpty ? "running" : note
    }

    /// Job states from `squeue` (array tasks summed up per job), by job id; empty without Slurm.
    private static func queueStates(_ ids: [String]) -> [String: String] {
        guard !ids.isEmpty,
              let result = try? Subprocess.run(["squeue", "-h", "-j", ids.joined(separator: ","), "-o", "%F %T"]),
              result.status == 0 else { return [:] }
        var states: [String: [String: Int]] = [:]
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { continue }
            states[String(fields[0]), default: [:]][String(fields[1]), default: 0] += 1
        }
        return states.mapValues { counts in
            counts.keys.sorted().map { counts[$0] == 1 ? $0 : "\($0) ×\(counts[$0] ?? 0)" }.joined(separator: ", ")
        }
    }
}
