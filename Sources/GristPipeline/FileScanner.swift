import GristCollect
import GristCore
import GristDedup
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
    /// Unicode scalars of the text of a document that passed every rule (else 0).
    var charCount = 0
    /// Set when the document passed every rule.
    var fingerprint: Fingerprint?
    /// Where its tokens are in the file's token spill (in tokens).
    var tokenOffset: Int
    var tokenCount: Int
    /// Where its cleaned text is in the file's text spill (in bytes; builds that train a tokenizer).
    var textOffset = 0
    var droppedStage: String?
    var droppedReason: String?
    /// Number in the file's dedup sketches (documents that passed every rule, in order), when dedup runs.
    var dedupIndex: Int?
}

/// What scanning one input file produced.
struct FileScan: Sendable {
    var documents: [ScannedDocument] = []
    var skipped: [GristError] = []
    /// Set when the file could not be read to its end, or (policy `fail`) at its first bad record.
    var failure: GristError?
    var tally = StageTally()
    /// Raw little-endian uint32 tokens of the documents that passed, back to back (or, when the build
    /// trains its tokenizer, their cleaned text: tokens come later, from `TokenizePhase`).
    var tokenFile: String
    var bytesRead = 0
    /// False when the scan stopped early because another worker failed under policy `fail`.
    var finished = true
    /// Documents written to the file's dedup sketches.
    var sketched = 0
    /// Writing the dedup sketches failed (an I/O error: the build cannot go on).
    var sketchFailure: GristError?
}

/// What one scanning thread owns: its encoder (none when the build trains its vocabulary after the
/// scan) and its dedup sketcher (scratch buffers, caches).
struct ScanState {
    var encoder: BPEEncoder?
    var sketcher: DocumentSketcher
}

/// Where phase 1 leaves the dedup sketches, and with what settings.
struct DedupSpilling: Sendable {
    let settings: DedupSettings
    let folder: DedupWorkFolder
    /// Priority of each source under `keep: priority` (lower wins).
    let sourcePriority: [Int]
}

/// Phase 1 of a build, for one file: read → clean → filter → fingerprint → dedup sketch → tokenize → spill.
///
/// Files are independent, so scans run in parallel; each worker brings its own encoder and sketcher. Without an
/// encoder (the vocabulary is trained after the scan), the cleaned text is spilled instead of tokens.
struct FileScanner: Sendable {
    let rules: [any DocumentRule]
    /// Stage name of each rule (unique, in order); the read stage is position 0, rule i is i + 1.
    let ruleStages: [String]
    let policy: ErrorPolicy
    let cancellation: Cancellation
    /// Nil when the build does not deduplicate.
    let dedup: DedupSpilling?

    static let readStage = "read"

    func scan(_ file: InputFile, number: Int, sourceIndex: Int, source: SourceConfig, tokenFile: String,
              state: inout ScanState, progress: BuildProgress) -> FileScan {
        var sketches: DedupSpillWriter?
        if let dedup {
            do {
                sketches = try DedupSpillWriter(folder: dedup.folder, file: number, bands: dedup.settings.bands)
            } catch {
                var scan = FileScan(tokenFile: tokenFile)
                scan.sketchFailure = error as? GristError ?? GristError(.io, "\(error)")
                return scan
            }
        }
        var scan = read(file, sourceIndex: sourceIndex, source: source, tokenFile: tokenFile, state: &state,
                        sketches: sketches, progress: progress)
        do {
            try sketches?.finish()
            scan.sketched = sketches?.documentCount ?? 0
        } catch {
            scan.sketchFailure = scan.sketchFailure ?? error as? GristError ?? GristError(.io, "\(error)")
        }
        return scan
    }

    private func read(_ file: InputFile, sourceIndex: Int, source: SourceConfig, tokenFile: String,
                      state: inout ScanState, sketches: DedupSpillWriter?, progress: BuildProgress) -> FileScan {
        var scan = FileScan(tokenFile: tokenFile)
        if cancellation.isCancelled {
            scan.finished = false
            return scan
        }
        var sketch = DocumentSketch()
        do {
            let spill = try BufferedFileWriter(path: tokenFile, capacity: 1 << 20)
            defer { try? spill.close() }
            var reader = try Readers.open(path: file.path, source: source)
            var tokens: [UInt32] = []
            var tokenOffset = 0
            var textOffset = 0
            var ordinal = 0
            while let event = try reader.next() {
                if cancellation.isCancelled {
                    scan.finished = false
                    return scan
                }
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
                        scanned.charCount = TextMetrics.scalarCount(document.text)
                        scanned.fingerprint = Fingerprint(of: document.text)
                        if let sketches, let dedup {
                            do {
                                document.text.withUnsafeBytes { state.sketcher.sketch($0, into: &sketch) }
                                scanned.dedupIndex = sketches.documentCount
                                try sketches.add(sketch, byteCount: document.text.count,
                                                 priority: dedup.sourcePriority[sourceIndex])
                            } catch {
                                scan.sketchFailure = error as? GristError ?? GristError(.io, "\(error)")
                                cancellation.cancel()
                                return scan
                            }
                        }
                        if state.encoder != nil {
                            tokens.removeAll(keepingCapacity: true)
                            document.text.withUnsafeBytes { state.encoder?.encodeOrdinary($0, into: &tokens) }
                            try tokens.withUnsafeBytes { try spill.write($0) }
                            scanned.tokenCount = tokens.count
                            tokenOffset += tokens.count
                        } else {
                            try document.text.withUnsafeBytes { try spill.write($0) }
                            scanned.textOffset = textOffset
                            textOffset += document.text.count
                        }
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
