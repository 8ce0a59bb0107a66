import GristCore

/// The stages of a build, in the order they run. The raw values are what the manifest's `buildStage`
/// rows, `grist build` and `grist status` say.
public enum StageName: String, Sendable, CaseIterable {
    case paragraphs, scan, dedup, tokenizer, tokenize, mix, shards, publish
}

/// One stage of a build: what it is called, the key of its work, whether that work is stored, and how
/// it runs (or loads what is stored under its key).
///
/// `Build` runs the stages listed in `Build.execute`; the Slurm tasks run pieces of the same stage
/// values (`BuildTasks.swift`); `grist status` asks each stage type how much of the work recorded in
/// `stages.txt` is stored (`progress`). Adding a stage is a new file with a type like this and one
/// line in `Build.execute`.
protocol BuildStage {
    associatedtype Output

    static var name: StageName { get }
    /// Whether the stage stores its work in the work area under its key, so a rerun can reuse it
    /// (mix is recomputed every time; its result lives in the shards and the manifest).
    static var storesWork: Bool { get }
    /// A hash of everything the stage's output depends on: its settings and its inputs' keys.
    var key: String { get }
    /// The pieces of work the stage stores under its key (scan units, dedup tasks, parts), as
    /// `stages.txt` records them for `grist status`.
    var workItems: [String] { get }
    /// Runs the stage, reusing what is stored under its key.
    func run() throws -> StageRun<Output>
    /// How much of the work `record` lists is stored in `layout`, for `grist status` (nil for a stage
    /// whose result is the published build itself).
    static func progress(of record: StageRecord, in layout: WorkLayout) -> StageProgress?
}

extension BuildStage {
    static var storesWork: Bool { true }
    var workItems: [String] { [] }
    var record: StageRecord { StageRecord(name: Self.name, key: key, items: workItems) }
    static func progress(of record: StageRecord, in layout: WorkLayout) -> StageProgress? { nil }
}

/// What one run of a stage made, and how many of its pieces of work it reused and ran.
struct StageRun<Output> {
    var output: Output
    var reused: Int
    var ran: Int
}

/// What one stage of a build did: reused stored work, or ran.
public struct StageReport: Sendable, Equatable {
    public var stage: StageName
    /// The stage's key: a hash of everything its output depends on.
    public var key: String
    /// Units of work found stored (reused) and done by this run.
    public var reused: Int
    public var ran: Int

    public var description: String {
        if ran == 0 { return "\(stage.rawValue): reused" + (reused > 1 ? " (\(reused))" : "") }
        if reused == 0 { return "\(stage.rawValue): ran" + (ran > 1 ? " (\(ran))" : "") }
        return "\(stage.rawValue): reused \(reused), ran \(ran)"
    }
}

/// A stage as the build planned it: its name, key and pieces of work. `stages.txt` holds one line per
/// stage (`NAME<TAB>KEY<TAB>ITEM ITEM …`), rewritten as each stage's key becomes known.
public struct StageRecord: Sendable, Equatable {
    public var name: StageName
    public var key: String
    public var items: [String]

    var line: String { "\(name.rawValue)\t\(key)\t\(items.joined(separator: " "))\n" }

    init(name: StageName, key: String, items: [String]) {
        self.name = name
        self.key = key
        self.items = items
    }

    init?(line: Substring) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 3, let name = StageName(rawValue: String(fields[0])) else { return nil }
        self.init(name: name, key: String(fields[1]), items: fields[2].split(separator: " ").map(String.init))
    }

    static func read(_ path: String) -> [StageRecord] {
        guard let file = try? MappedFile(path: path) else { return [] }
        return String(decoding: file.bytes, as: UTF8.self).split(separator: "\n").compactMap(StageRecord.init(line:))
    }

    static func write(_ records: [StageRecord], to path: String) throws {
        try AtomicFile.write(path: path) { try $0.write(Array(records.map(\.line).joined().utf8)) }
    }
}

/// How much of a stage's recorded work is stored.
public struct StageProgress: Sendable, Equatable {
    public var stage: StageName
    /// Pieces of work stored, of those planned.
    public var stored: Int
    public var planned: Int
    /// Whether the stage's result is stored whole (the dedup clusters, a trained vocabulary).
    public var finished: Bool
}

/// The running build, as every stage sees it.
struct BuildContext {
    let plan: BuildPlan
    let workers: Int
    let showProgress: Bool
    let layout: WorkLayout
}

/// The stages a build has run so far: their reports (for the summary and the manifest) and their
/// records in `stages.txt` (for `grist status`).
struct StageLog {
    let layout: WorkLayout
    private(set) var reports: [StageReport] = []
    private(set) var records: [StageRecord] = []

    /// - Parameter keepingRecorded: keep the stages already in `stages.txt` (a Slurm task adds its own
    ///   stage to what the others recorded; a build starts the list anew).
    init(layout: WorkLayout, keepingRecorded: Bool = false) {
        self.layout = layout
        if keepingRecorded { records = StageRecord.read(layout.stageList) }
    }

    /// Records the stage as planned, runs it, and reports what it reused and ran.
    mutating func run<Stage: BuildStage>(_ stage: Stage) throws -> Stage.Output {
        try plan(stage)
        let run = try stage.run()
        if Stage.storesWork {
            reports.append(StageReport(stage: Stage.name, key: stage.key, reused: run.reused, ran: run.ran))
        }
        return run.output
    }

    /// Records the stage in `stages.txt` before it runs (the Slurm tasks do this for theirs too).
    mutating func plan<Stage: BuildStage>(_ stage: Stage) throws {
        guard Stage.storesWork else { return }
        records.removeAll { $0.name == Stage.name }
        records.append(stage.record)
        try StageRecord.write(records, to: layout.stageList)
    }
}
