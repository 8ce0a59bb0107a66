import GristCollect
import GristCore
import GristTokenize

/// A document as the scan left it: where it came from, what it became, and (if it passed every rule)
/// where its tokens are in the file's token spill.
struct ScannedDocument: Sendable {
    var ordinal: Int
    var line: Int
    var byteOffset: Int
    var externalId: String
    /// Bytes of the text after the last rule that saw it.
    var byteCount: Int
    /// Set when the document passed every rule.
    var fingerprint: Fingerprint?
    var tokenOffset: Int
    var tokenCount: Int
    var droppedStage: String?
    var droppedReason: String?
}

/// What scanning one input file produced.
struct FileScan: Sendable {
    var documents: [ScannedDocument] = []
    var skipped: [GristError] = []
    /// Set when the file could not be read to its end, or (policy `fail`) at its first bad record.
    var failure: GristError?
    var tally = StageTally()
    /// Raw little-endian uint32 tokens of the documents that passed, back to back.
    var tokenFile: String
    var bytesRead = 0
}

/// Phase 1 of a build, for one file: read → clean → filter → fingerprint → tokenize → spill.
///
/// Files are independent, so scans run in parallel; each worker brings its own encoder.
struct FileScanner: Sendable {
    let rules: [any DocumentRule]
    /// Stage name of each rule (unique, in order); the read stage is position 0, rule i is i + 1.
    let ruleStages: [String]
    let policy: ErrorPolicy
    let cancellation: Cancellation

    static let readStage = "read"

    func scan(_ file: InputFile, source: SourceConfig, tokenFile: String, encoder: inout BPEEncoder,
              progress: BuildProgress) -> FileScan {
        var scan = FileScan(tokenFile: tokenFile)
        do {
            let spill = try BufferedFileWriter(path: tokenFile, capacity: 1 << 20)
            defer { try? spill.close() }
            var reader = try Readers.open(path: file.path, format: source.format, text: source.text,
                                          jsonl: source.jsonl)
            var tokens: [UInt32] = []
            var tokenOffset = 0
            var ordinal = 0
            while !cancellation.isCancelled, let event = try reader.next() {
                switch event {
                case .skipped(let error):
                    scan.tally.add(position: 0, stage: Self.readStage, .skipped, reason: error.kind.rawValue,
                                   bytes: 0)
                    if policy == .fail {
                        scan.failure = error
                        cancellation.cancel()
                        return scan
                    }
                    scan.skipped.append(error)
                case .document(var document):
                    ordinal += 1
                    scan.bytesRead += document.text.count
                    progress.add(documents: 1, bytes: document.text.count)
                    scan.tally.add(position: 0, stage: Self.readStage, .kept, bytes: document.text.count)
                    var scanned = ScannedDocument(
                        ordinal: document.ordinal, line: document.line, byteOffset: document.byteOffset,
                        externalId: document.id, byteCount: document.text.count, fingerprint: nil,
                        tokenOffset: tokenOffset, tokenCount: 0)
                    if let (stage, reason) = applyRules(to: &document, tally: &scan.tally) {
                        scanned.droppedStage = stage
                        scanned.droppedReason = reason
                        scanned.byteCount = document.text.count
                    } else {
                        scanned.byteCount = document.text.count
                        scanned.fingerprint = Fingerprint(of: document.text)
                        tokens.removeAll(keepingCapacity: true)
                        document.text.withUnsafeBytes { encoder.encodeOrdinary($0, into: &tokens) }
                        try tokens.withUnsafeBytes { try spill.write($0) }
                        scanned.tokenCount = tokens.count
                        tokenOffset += tokens.count
                    }
                    scan.documents.append(scanned)
                }
            }
            try spill.close()
        } catch let error as GristError {
            scan.failure = error
            scan.tally.add(position: 0, stage: Self.readStage, .skipped, reason: error.kind.rawValue, bytes: 0)
            if policy == .fail { cancellation.cancel() }
        } catch {
            let wrapped = GristError(.io, "\(error)", at: InputPosition(path: file.path))
            scan.failure = wrapped
            scan.tally.add(position: 0, stage: Self.readStage, .skipped, reason: wrapped.kind.rawValue, bytes: 0)
            if policy == .fail { cancellation.cancel() }
        }
        return scan
    }

    /// Runs the rules in order; returns the stage and reason of the first one that drops the document.
    private func applyRules(to document: inout Document, tally: inout StageTally) -> (String, String)? {
        for (index, rule) in rules.enumerated() {
            let stage = ruleStages[index]
            let before = document.text
            switch rule.apply(to: &document) {
            case .keep:
                // A rule that rewrote the text (a cleaner, c4's line removal) counts it as "modified".
                let modified = document.text != before
                tally.add(position: index + 1, stage: stage, .kept, reason: modified ? "modified" : "",
                          bytes: document.text.count)
            case .drop(let reason):
                tally.add(position: index + 1, stage: stage, .dropped, reason: reason, bytes: document.text.count)
                return (stage, reason)
            }
        }
        return nil
    }
}

/// A flag workers check between documents, raised when one of them fails under policy `fail`.
final class Cancellation: @unchecked Sendable {
    private let lock = NSLockLike()
    private var cancelled = false

    var isCancelled: Bool { lock.withLock { cancelled } }

    func cancel() { lock.withLock { cancelled = true } }
}
