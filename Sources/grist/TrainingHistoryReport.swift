import GristReport
import GristShards

/// The training runs recorded in a build's manifest, as `grist stats` shows them under the data.
struct TrainingHistoryReport {
    let history: TrainingHistory

    init(_ history: TrainingHistory) { self.history = history }

    var text: String {
        var table = TextTable(["run", "status", "model", "parameters", "steps", "tokens", "first loss", "train loss",
                               "val loss", "tokens/s", "output"], rightAligned: [0, 3, 4, 5, 6, 7, 8, 9])
        for run in history.runs {
            table.add([String(run.id), run.status, run.model, Format.count(run.parameterCount), Format.count(run.steps),
                       Format.count(run.tokens), run.firstTrainLoss.map { Format.decimal($0, 3) } ?? "-",
                       run.finalTrainLoss.map { Format.decimal($0, 3) } ?? "-",
                       run.finalValLoss.map { Format.decimal($0, 3) } ?? "-",
                       run.tokensPerSecond.map { Format.count(Int($0)) } ?? "-", run.outputDir])
        }
        return "training runs (per-step metrics in the trainingStep table and OUTPUT/metrics.csv)\n" + table.render()
    }
}
