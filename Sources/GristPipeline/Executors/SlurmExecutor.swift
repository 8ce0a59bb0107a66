import Foundation
import GristCore

/// Submits a build to Slurm: one job array per parallel stage, and a dependent job for the reductions.
///
/// ```
/// grist-paragraphs  --paragraphs-task (dedup.paragraphs)  the table of repeated paragraphs
/// grist-scan   array, --scan-task I --tasks N (afterok paragraphs)  scans the units u with u mod N = I
/// grist-dedup  array, --dedup-task I (afterok scan)   one exact-key or LSH-band task each
/// grist-build  one job (afterok dedup)                clustering, tokenizer, mixing, shards, manifest
/// ```
///
/// Tasks share nothing but the output folder's file system (see `BuildTasks.swift`). Submitting again
/// after a failure resubmits only what is not stored yet: the same command is the retry.
public struct SlurmExecutor {
    public struct Options: Sendable {
        /// Scan array tasks.
        public var tasks: Int
        public var partition: String?
        /// CPUs (and threads) per task.
        public var workers: Int
        /// More `sbatch` arguments, passed as they are (`--time=1:00:00`, `--account=…`).
        public var extraArguments: [String]
        /// Wait for the final job to end (`sbatch --wait`), and fail if it failed.
        public var wait: Bool

        public init(tasks: Int, partition: String?, workers: Int, extraArguments: [String], wait: Bool) {
            self.tasks = tasks
            self.partition = partition
            self.workers = workers
            self.extraArguments = extraArguments
            self.wait = wait
        }
    }

    /// What was submitted: stage name and job id, in order.
    public struct Submission: Sendable {
        public var jobs: [(stage: String, id: String)]
    }

    public let plan: BuildPlan
    /// The config file, as the tasks must read it (made absolute).
    public let configPath: String
    public let options: Options

    public init(plan: BuildPlan, configPath: String, options: Options) {
        precondition(options.tasks >= 1 && options.workers >= 1, "at least one task and one worker")
        self.plan = plan
        self.configPath = configPath
        self.options = options
    }

    public func submit() throws -> Submission {
        let output = FileSystem.absolute(plan.outputDirectory)
        let layout = WorkLayout(output: output)
        let folder = layout.slurm
        try FileSystem.createDirectory(folder)
        let build = Build(plan: plan, workers: options.workers, showProgress: false)
        let (units, pending) = try build.scanUnits()
        let base = [Self.executable, "build", FileSystem.absolute(configPath), "--output", output, "--workers", "\(options.workers)"]
        var jobs: [(stage: String, id: String)] = []

        // dedup.paragraphs: the table of repeated paragraphs, one job with its workers, before the scan.
        if try build.paragraphsPending() {
            let script = try writeScript(layout: layout, stage: "paragraphs", array: nil,
                                         command: base + ["--paragraphs-task"])
            jobs.append(("paragraphs", try sbatch(script, after: nil, wait: false)))
        }
        // Scan: only the array indices that still have units to scan.
        let tasks = min(options.tasks, max(units, 1))
        let indices = Set(pending.map { $0 % tasks }).sorted()
        if !indices.isEmpty {
            let script = try writeScript(layout: layout, stage: "scan", array: indices,
                                         command: base + ["--scan-task", "$SLURM_ARRAY_TASK_ID", "--tasks", "\(tasks)"])
            jobs.append(("scan", try sbatch(script, after: jobs.last?.id, wait: false)))
        }
        // Dedup tasks, after the scan.
        let dedupTasks = build.dedupTaskCount
        if dedupTasks > 0 {
            let script = try writeScript(layout: layout, stage: "dedup", array: Array(0..<dedupTasks),
                                         command: base + ["--dedup-task", "$SLURM_ARRAY_TASK_ID"])
            jobs.append(("dedup", try sbatch(script, after: jobs.last?.id, wait: false)))
        }
        // The reductions: the ordinary build, which finds everything above stored.
        let manifest = layout.manifest
        let before = (try? ScanPlan.modificationTime(manifest)) ?? 0
        let script = try writeScript(layout: layout, stage: "build", array: nil, command: base)
        let final: String
        do {
            final = try sbatch(script, after: jobs.last?.id, wait: options.wait)
        } catch let error as GristError where options.wait && error.message.hasPrefix("sbatch failed") {
            throw GristError(.io, "the build did not finish on Slurm: \(error.message)",
                             at: InputPosition(path: folder), hint: "see the logs there; run the same command again to retry what is not done")
        }
        jobs.append(("build", final))
        let listing = jobs.map { "\($0.stage)\t\($0.id)\n" }.joined()
        try AtomicFile.write(path: layout.slurmJobs) { try $0.write(Array(listing.utf8)) }
        if options.wait, ((try? ScanPlan.modificationTime(manifest)) ?? 0) <= before {
            // sbatch --wait returns 0 for a job cancelled because a job it depended on failed.
            throw GristError(.io, "the build did not finish on Slurm (a task failed or the final job was cancelled)",
                             at: InputPosition(path: folder),
                             hint: "see the logs there; run the same command again to retry what is not done")
        }
        return Submission(jobs: jobs)
    }

    /// The path of the running `grist` binary, so the tasks run the same one.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    private func writeScript(layout: WorkLayout, stage: String, array: [Int]?, command: [String]) throws -> String {
        var lines = ["#!/bin/sh", "#SBATCH --job-name=grist-\(stage)", "#SBATCH --cpus-per-task=\(options.workers)",
                     "#SBATCH --chdir=\(FileManager.default.currentDirectoryPath)"]
        if let array {
            lines.append("#SBATCH --array=" + Self.ranges(array))
            lines.append("#SBATCH --output=" + layout.slurmLog(stage, arrayTask: "%a"))
        } else {
            lines.append("#SBATCH --output=" + layout.slurmLog(stage))
        }
        if let partition = options.partition { lines.append("#SBATCH --partition=\(partition)") }
        for argument in options.extraArguments { lines.append("#SBATCH \(argument)") }
        // The array index is the only word the shell expands; everything else is quoted.
        lines.append("exec " + command.map { $0 == "$SLURM_ARRAY_TASK_ID" ? "\"$SLURM_ARRAY_TASK_ID\"" : Self.quote($0) }
            .joined(separator: " "))
        let path = layout.slurmScript(stage)
        try AtomicFile.write(path: path) { try $0.write(Array((lines.joined(separator: "\n") + "\n").utf8)) }
        return path
    }

    /// `1,2,3,7` as `1-3,7`.
    static func ranges(_ values: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        while index < values.count {
            var end = index
            while end + 1 < values.count, values[end + 1] == values[end] + 1 { end += 1 }
            parts.append(end == index ? "\(values[index])" : "\(values[index])-\(values[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    static func quote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs `sbatch --parsable` and returns the job id.
    private func sbatch(_ script: String, after dependency: String?, wait: Bool) throws -> String {
        var arguments = ["sbatch", "--parsable"]
        // A job whose dependency failed is cancelled at once, instead of waiting forever.
        if let dependency { arguments += ["--dependency=afterok:\(dependency)", "--kill-on-invalid-dep=yes"] }
        if wait { arguments.append("--wait") }
        arguments.append(script)
        let result = try Subprocess.run(arguments)
        guard result.status == 0 else {
            throw GristError(.io, "sbatch failed (exit \(result.status)): \(result.stderr.trimmingSpaces)",
                             at: InputPosition(path: script),
                             hint: result.status == 127 ? "is Slurm installed (sbatch on PATH)?" : nil)
        }
        guard let id = result.stdout.split(separator: "\n").first?.split(separator: ";").first, !id.isEmpty else {
            throw GristError(.io, "sbatch printed no job id: \(result.stdout)", at: InputPosition(path: script))
        }
        return String(id)
    }
}

/// Runs a command found on PATH and collects what it prints.
enum Subprocess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw GristError(.io, "cannot run \(arguments.first ?? ""): \(error.localizedDescription)")
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                      stderr: String(decoding: errors, as: UTF8.self))
    }
}
