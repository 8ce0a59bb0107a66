import GristCore

/// Counts shared by the workers, drawn as a progress line on stderr when it is a terminal.
final class BuildProgress: @unchecked Sendable {
    private let lock = NSLockLike()
    private let line: ProgressLine
    private let started = monotonicNanoseconds()
    private var documents = 0
    private var bytes = 0
    private var filesDone = 0
    private let filesTotal: Int

    init(filesTotal: Int, enabled: Bool) {
        self.filesTotal = filesTotal
        line = ProgressLine(enabled: enabled)
    }

    func add(documents: Int, bytes: Int) {
        let text: String = lock.withLock {
            self.documents += documents
            self.bytes += bytes
            return status
        }
        line.update(text)
    }

    func fileDone() {
        let text: String = lock.withLock {
            filesDone += 1
            return status
        }
        line.update(text)
    }

    func message(_ text: String) { line.update(text) }

    func finish() { line.finish() }

    private var status: String {
        let seconds = Double(monotonicNanoseconds() - started) / 1e9
        let megabytes = Double(bytes) / 1e6
        let rate = seconds > 0 ? megabytes / seconds : 0
        return "scan: \(filesDone)/\(filesTotal) files · \(documents) documents · "
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
