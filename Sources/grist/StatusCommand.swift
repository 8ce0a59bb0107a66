import ArgumentParser
import GristCore
import GristPipeline
import GristReport

extension Grist {
    struct StatusCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show how far the build of an output folder is: running or not, inputs scanned, "
                + "dedup tasks, Slurm jobs, the published build.")

        @Argument(help: "The output folder of `grist build`.")
        var outputDirectory: String

        func run() throws {
            let status = try BuildStatus.read(output: outputDirectory)
            print("\(outputDirectory): " + (status.runningBuild.map { "a build is running (\($0))" } ?? "no build running"))
            if status.unitsPlanned > 0 {
                print("  scan     \(Format.count(status.unitsStored)) of \(Format.count(status.unitsPlanned)) units stored")
            }
            for (index, dedup) in status.dedup.enumerated() {
                print("  dedup    \(dedup.clustered ? "clustered" : "\(dedup.pairs) tasks done")"
                    + (status.dedup.count > 1 ? " (work folder \(index + 1))" : ""))
            }
            if let published = status.published {
                print("  published  \(published.status) \(published.finishedAt): \(published.shards) shards, "
                    + "\(Format.count(published.tokens)) tokens")
            } else if let problem = status.manifestProblem {
                print("  published  a manifest that cannot be read: \(problem)")
            } else {
                print("  published  nothing yet")
            }
            if !status.jobs.isEmpty {
                var table = TextTable(["stage", "job", "state"])
                for job in status.jobs { table.add([job.stage, job.id, job.state]) }
                print("  slurm jobs of the last submission (logs in \(outputDirectory)/.grist/slurm/)")
                print(table.render(indent: "    "))
            }
        }
    }
}
