import Foundation
import GristCore
import GristShards

/// Where a run's per-step metrics go: a CSV for plotting (always) and the data's manifest (when the data
/// folder has one). On resume, CSV rows past the checkpoint's step are dropped, so the file reads as one
/// uninterrupted run.
final class MetricsLog {
    static let header = "step,train_loss,val_loss,lr,grad_norm,tokens,tokens_per_s,seconds\n"

    let csvPath: String
    private let manifest: Manifest?
    private let runId: Int64?
    private var pending: [TrainingStepRecord] = []
    private var handle: FileHandle?

    init(csvPath: String, resumingAfter step: Int?, manifestPath: String?, run: TrainingRunRecord) throws {
        self.csvPath = csvPath
        var text = MetricsLog.header
        if let step, let old = try? String(contentsOfFile: csvPath, encoding: .utf8) {
            for line in old.split(separator: "\n").dropFirst() {
                if let first = line.split(separator: ",").first, let s = Int(first), s <= step { text += line + "\n" }
            }
        }
        try AtomicFile.write(path: csvPath) { try $0.write(Array(text.utf8)) }
        handle = FileHandle(forWritingAtPath: csvPath)
        handle?.seekToEndOfFile()
        if let manifestPath {
            let manifest = try Manifest.open(path: manifestPath, mode: .readWrite)
            self.manifest = manifest
            runId = try manifest.beginTrainingRun(run)
        } else {
            manifest = nil
            runId = nil
        }
    }

    func record(_ step: TrainingStepRecord) {
        let val = step.valLoss.map { String(format: "%.6f", $0) } ?? ""
        let line = "\(step.step),\(String(format: "%.6f", step.trainLoss)),\(val),\(String(format: "%.6e", step.learningRate)),"
            + "\(String(format: "%.6f", step.gradNorm)),\(step.tokens),\(String(format: "%.1f", step.tokensPerSecond)),"
            + "\(String(format: "%.4f", step.seconds))\n"
        handle?.write(Data(line.utf8))
        pending.append(step)
    }

    /// Writes buffered steps to the manifest (one transaction).
    func flush() throws {
        if let manifest, let runId { try manifest.addTrainingSteps(runId: runId, pending) }
        pending.removeAll()
        try? handle?.synchronize()
    }

    func finish(succeeded: Bool, steps: Int, trainLoss: Double?, valLoss: Double?, error: String?) throws {
        try flush()
        try? handle?.close()
        handle = nil
        if let manifest, let runId {
            try manifest.finishTrainingRun(runId, succeeded: succeeded, finishedAt: Timestamp.now(), steps: steps,
                                           finalTrainLoss: trainLoss, finalValLoss: valLoss, error: error)
            try manifest.makeSelfContained()
        }
    }
}

/// UTC timestamps for records.
enum Timestamp {
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
