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
            for stage in status.stages {
                let name = stage.stage.rawValue + String(repeating: " ", count: max(1, 9 - stage.stage.rawValue.count))
                switch stage.stage {
                case .paragraphs:
                    print("  \(name)" + (stage.finished ? "counted"
                        : "\(Format.count(stage.stored)) of \(Format.count(stage.planned)) units hashed"))
                case .scan:
                    print("  \(name)\(Format.count(stage.stored)) of \(Format.count(stage.planned)) units stored")
                case .dedup:
                    print("  \(name)" + (stage.finished ? "clustered" : "\(stage.stored) of \(stage.planned) tasks done"))
                case .tokenizer:
                    print("  \(name)" + (stage.finished ? "trained" : "not trained yet"))
                case .tokenize:
                    print("  \(name)\(Format.count(stage.stored)) of \(Format.count(stage.planned)) parts tokenized")
                case .mix, .shards, .publish:
                    continue
                }
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
