import GristCore
import Synchronization

/// Counts shared by the workers, drawn as a progress line on stderr when it is a terminal.
final class BuildProgress: Sendable {
    private struct Counts {
        var documents = 0
        var bytes = 0
        var filesDone = 0
    }

    private let counts = Mutex(Counts())
    private let line: ProgressLine
    private let started = monotonicNanoseconds()
    private let filesTotal: Int

    init(filesTotal: Int, enabled: Bool) {
        self.filesTotal = filesTotal
        line = ProgressLine(enabled: enabled)
    }

    func add(documents: Int, bytes: Int) {
        let text: String = counts.withLock { counts in
            counts.documents += documents
            counts.bytes += bytes
            return status(counts)
        }
        line.update(text)
    }

    func fileDone() {
        let text: String = counts.withLock { counts in
            counts.filesDone += 1
            return status(counts)
        }
        line.update(text)
    }

    func message(_ text: String) { line.update(text) }

    func finish() { line.finish() }

    private func status(_ counts: Counts) -> String {
        let seconds = Double(monotonicNanoseconds() - started) / 1e9
        let megabytes = Double(counts.bytes) / 1e6
        let rate = seconds > 0 ? megabytes / seconds : 0
        return "scan: \(counts.filesDone)/\(filesTotal) files · \(NumberText.grouped(counts.documents)) documents · "
            + "\(format(megabytes, 1)) MB · \(format(rate, 1)) MB/s"
    }
}

/// `value` with `digits` decimals, without Foundation's `String(format:)`.
func format(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if digits == 0 { text = String(text[..<dot]) } else if decimals < digits {
            text += String(repeating: "0", count: digits - decimals)
        }
    }
    return text
}
