import ArgumentParser
import GristCore
import GristShards

extension Grist {
    struct StatsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Show what a build did: per-source funnel, removals by reason, mixture, shards.")

        @Argument(help: "The output folder of `grist build`.")
        var outputDirectory: String

        func run() throws {
            let manifest = try Manifest.open(path: FileSystem.join(outputDirectory, Manifest.fileName))
            print(StatisticsReport(try DatasetStatistics.load(from: manifest), folder: outputDirectory).text)
            let history = try TrainingHistory.load(from: manifest)
            if !history.runs.isEmpty { print("\n" + TrainingHistoryReport(history).text) }
        }
    }
}

/// The terminal rendering of ``DatasetStatistics``.
struct StatisticsReport {
    let stats: DatasetStatistics
    let folder: String

    init(_ stats: DatasetStatistics, folder: String) {
        self.stats = stats
        self.folder = folder
    }

    var text: String {
        let run = stats.run
        var lines: [String] = []
        lines.append("\(folder): build \(run.status) \(run.finishedAt ?? run.startedAt)"
            + " (grist \(run.toolVersion), seed \(run.seed), \(run.workers) workers)")
        lines.append("config \(run.configPath) (sha256 \(run.configSha256.prefix(12)))")
        if let error = run.error { lines.append("error: \(error)") }
        if let t = stats.tokenizer {
            lines.append("tokenizer \(t.name): \(Format.count(t.vocabularySize)) tokens, "
                + "documents separated by \(t.endOfTextToken), ranks sha256 \(t.fileSha256.prefix(12))")
        }

        lines.append("")
        lines.append("sources")
        var table = TextTable(["source", "files", "read", "skipped", "removed", "kept", "train tokens",
                               "val tokens", "weight", "target", "achieved"],
                              rightAligned: Set(1...10))
        var totals = (files: 0, read: 0, skipped: 0, removed: 0, kept: 0, train: 0, val: 0)
        for s in stats.sources {
            let removed = s.removals.filter { $0.outcome == "dropped" }.reduce(0) { $0 + $1.documents }
            table.add([s.name, Format.count(s.files), Format.count(s.documentsRead), Format.count(s.recordsSkipped),
                       Format.count(removed), Format.count(s.keptDocuments), Format.count(s.trainTokens),
                       Format.count(s.valTokens), Format.decimal(s.weight, 2), Format.percent(s.targetShare),
                       Format.percent(s.achievedShare)])
            totals = (totals.files + s.files, totals.read + s.documentsRead, totals.skipped + s.recordsSkipped,
                      totals.removed + removed, totals.kept + s.keptDocuments, totals.train + s.trainTokens,
                      totals.val + s.valTokens)
        }
        table.add(["total", Format.count(totals.files), Format.count(totals.read), Format.count(totals.skipped),
                   Format.count(totals.removed), Format.count(totals.kept), Format.count(totals.train),
                   Format.count(totals.val), "", "", ""])
        lines.append(table.render())

        let removals = stats.sources.flatMap { source in source.removals.map { (source.name, $0) } }
        lines.append("")
        if removals.isEmpty {
            lines.append("removed: nothing")
        } else {
            lines.append("removed and skipped, by stage and reason")
            var reasons = TextTable(["source", "stage", "outcome", "reason", "documents"], rightAligned: [4])
            for (name, r) in removals {
                reasons.add([name, r.stage, r.outcome, r.reason.isEmpty ? "-" : r.reason, Format.count(r.documents)])
            }
            lines.append(reasons.render())
        }

        lines.append("")
        lines.append("shards (\(folder)/shards)")
        var shards = TextTable(["split", "shards", "documents", "tokens", "size"], rightAligned: [1, 2, 3, 4])
        for s in stats.splits {
            shards.add([s.split, Format.count(s.shards), Format.count(s.documents), Format.count(s.tokens),
                        Format.bytes(s.bytes)])
        }
        lines.append(shards.render())
        return lines.joined(separator: "\n")
    }
}
