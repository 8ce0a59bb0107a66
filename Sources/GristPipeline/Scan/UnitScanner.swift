import GristCollect
import GristCore
import GristDedup
import GristTokenize

/// Phase 1 of a build, for one unit (a file, or a byte range of one): read → clean → filter →
/// fingerprint → dedup sketch → tokenize (or spill text) → store, part by part.
///
/// Units are independent, so they run in parallel; each worker brings its own encoder and sketcher.
/// Each part is written under a temporary name and renamed into place whole, and a unit's `done`
/// marker is written after its last part: a rerun after a crash skips the parts that exist (reading
/// past their records without processing them) and goes on from the first missing one.
struct UnitScanner: Sendable {
    let rules: [any DocumentRule]
    /// Stage name of each rule (unique, in order); the read stage is position 0, rule i is i + 1.
    let ruleStages: [String]
    let policy: ErrorPolicy
    let cancellation: Cancellation
    /// Nil when the build does not deduplicate.
    let dedup: DedupSpilling?
    let partBytes: Int
    /// Indices of the rules whose dropped documents are kept (`rejects: true`).
    var rejectingRules: Set<Int> = []
    /// The source names, for the rejects files.
    var sourceNames: [String] = []
    /// Per source, the metadata keys recorded in the manifest (`metadata_fields`, and a language filter's).
    var recordedMetadata: [[String]] = []
    /// The `decontaminate:` section, nil without one; it runs after the rules, at stage position
    /// `decontaminationPosition`.
    var decontamination: Decontaminator?
    var decontaminationPosition = 0
    /// Under `dedup.paragraphs`, the repeated units to remove.
    var paragraphs: ParagraphRemoval? = nil

    enum Outcome: Sendable {
        /// Every part is stored; how many there are.
        case done(parts: Int)
        /// Stopped because another worker failed under policy `fail`.
        case stopped
        /// Storing the results failed (an I/O error): the build cannot go on.
        case failed(GristError)
    }

    /// The number of parts of a unit whose results are all stored, or nil.
    static func storedParts(in folder: String) -> Int? {
        guard let marker = try? MappedFile(path: WorkLayout.unitDoneMarker(folder)) else { return nil }
        return Int(String(decoding: marker.bytes, as: UTF8.self).trimmingSpaces)
    }

    func scan(_ unit: ScanPlan.Unit, path: String, source: SourceConfig, folder: String, state: inout ScanState,
              progress: BuildProgress) -> Outcome {
        if let parts = Self.storedParts(in: folder) { return .done(parts: parts) }
        if cancellation.isCancelled { return .stopped }
        var run = UnitRun(scanner: self, unit: unit, path: path, folder: folder, spillsText: state.encoder == nil)
        do {
            try FileSystem.createDirectory(folder)
            if let range = unit.range {
                var reader = try Readers.open(path: path, source: source, range: range)
                try run.read(&reader, state: &state, progress: progress)
                run.linesRead = reader.linesRead
                run.recordsRead = reader.recordsRead
            } else {
                var reader = try Readers.open(path: path, source: source)
                try run.read(&reader, state: &state, progress: progress)
            }
        } catch let error as UnitRun.Stop {
            switch error {
            case .cancelled: return .stopped
            case .storage(let failure): return .failed(failure)
            }
        } catch {
            // The file could not be read on: a failure of the part being read; the unit still ends.
            let failure = error as? GristError ?? GristError(.io, "\(error)", at: InputPosition(path: path))
            run.fail(failure)
        }
        do {
            return .done(parts: try run.finish())
        } catch {
            return .failed(error as? GristError ?? GristError(.io, "\(error)"))
        }
    }

    /// Runs the rules in order; returns the stage and reason of the first one that drops the document,
    /// and the rule's index.
    func applyRules(to document: inout Document, tally: inout StageTally, in range: Range<Int>? = nil)
        -> (String, String, Int)? {
        defer { document.analysis = nil }  // the rules' shared work is not needed after them
        for index in range ?? rules.indices {
            let rule = rules[index]
            let stage = ruleStages[index]
            let before = document.text
            switch rule.apply(to: &document) {
            case .keep:
                // A rule that rewrote the text (a cleaner, c4's line removal) counts it as "modified".
                let modified = document.text != before
                tally.add(position: index + 1, stage: .rule(stage), .kept, reason: modified ? "modified" : "",
                          bytes: document.text.count)
            case .drop(let reason):
                tally.add(position: index + 1, stage: .rule(stage), .dropped, reason: reason, bytes: document.text.count)
                return (stage, reason, index)
            }
        }
        return nil
    }

    /// Removes the document's repeated units (after the cleaners, before the filters); `scratch` is reused.
    func removeParagraphs(_ document: inout Document, file: Int, number: Int,
                          scratch: inout [UInt8]) -> RepeatedParagraphTable.Removal {
        guard let paragraphs else { return .init() }
        let removal = paragraphs.table.remove(from: document.text, file: file, document: number,
                                              split: paragraphs.split, minBytes: paragraphs.minBytes,
                                              keepFirst: paragraphs.keepFirst, into: &scratch)
        if removal.units > 0 {
            swap(&document.text, &scratch)
            document.analysis = nil
        }
        return removal
    }
}

/// One pass of a unit: routes each record to its part by offset, skips the parts already stored.
private struct UnitRun {
    enum Stop: Error {
        case cancelled
        case storage(GristError)
    }

    let scanner: UnitScanner
    let unit: ScanPlan.Unit
    let path: String
    let folder: String
    let spillsText: Bool
    /// The part being written, if any.
    var current: PartWriter?
    /// Index of the part the last record went to.
    var index = 0
    var linesRead = 0
    var recordsRead = 0
    /// Documents the reader gave so far (stored parts included): a document's number in the unit.
    private var documentNumber = 0
    private var pendingFailure: GristError?

    init(scanner: UnitScanner, unit: ScanPlan.Unit, path: String, folder: String, spillsText: Bool) {
        self.scanner = scanner
        self.unit = unit
        self.path = path
        self.folder = folder
        self.spillsText = spillsText
    }

    private func location(_ index: Int) -> PartLocation { PartLocation(unitFolder: folder, index: index) }

    /// The part of a record at `offset`: by its distance from the unit's start, never going back (a plain
    /// file's range is one part long; a compressed file's may be many).
    private func part(for offset: Int?) -> Int {
        guard let offset else { return index }
        return max(index, (offset - (unit.range?.lowerBound ?? 0)) / scanner.partBytes)
    }

    /// The writer of part `target`, closing the parts before it; nil when `target` is already stored.
    private mutating func writer(for target: Int) throws -> PartWriter? {
        while index < target {
            try close()
            index += 1
        }
        if FileSystem.exists(location(index).result) { return nil }
        if current == nil {
            do {
                current = try PartWriter(location: location(index), dedup: scanner.dedup, sourceIndex: unit.source,
                                         spillsText: spillsText, path: path)
            } catch {
                throw Stop.storage(error as? GristError ?? GristError(.io, "\(error)"))
            }
        }
        return current
    }

    /// Stores the current part (or an empty one for a part no record fell into).
    private mutating func close() throws {
        if FileSystem.exists(location(index).result) {
            current = nil
            return
        }
        do {
            let part = try current ?? PartWriter(location: location(index), dedup: scanner.dedup,
                                                 sourceIndex: unit.source, spillsText: spillsText, path: path)
            try part.finish(linesRead: linesRead, recordsRead: recordsRead)
        } catch {
            throw Stop.storage(error as? GristError ?? GristError(.io, "\(error)"))
        }
        current = nil
        Fault.point("scan-part")
    }

    mutating func read<Reader: DocumentReader>(_ reader: inout Reader, state: inout ScanState,
                                               progress: BuildProgress) throws {
        while let event = try reader.next() {
            if scanner.cancellation.isCancelled { throw Stop.cancelled }
            switch event {
            case .skipped(let error):
                guard let part = try writer(for: part(for: error.position?.byteOffset)) else { continue }
                part.scan.tally.add(position: 0, stage: .read, .skipped, reason: error.kind.code,
                                    bytes: 0)
                if scanner.policy == .fail {
                    part.scan.failure = error
                    scanner.cancellation.cancel()
                    return
                }
                part.scan.skipped.append(error)
            case .document(var document):
                let number = documentNumber
                documentNumber += 1
                guard let part = try writer(for: part(for: document.byteOffset)) else { continue }
                progress.add(documents: 1, bytes: document.text.count)
                do {
                    try part.add(&document, scanner: scanner, state: &state, file: unit.number, number: number)
                } catch let error as GristError where error.kind == .io {
                    scanner.cancellation.cancel()
                    throw Stop.storage(error)
                }
            }
        }
    }

    /// Records a failure that ended the reading early, in the part being read.
    mutating func fail(_ failure: GristError) {
        pendingFailure = failure
        if scanner.policy == .fail { scanner.cancellation.cancel() }
    }

    /// Stores the last part and the unit's `done` marker; returns the number of parts.
    mutating func finish() throws -> Int {
        if let pendingFailure, let part = try writer(for: index) {
            part.scan.failure = pendingFailure
            part.scan.tally.add(position: 0, stage: .read, .skipped, reason: pendingFailure.kind.code,
                                bytes: 0)
        }
        try close()
        let parts = index + 1
        try AtomicFile.write(path: WorkLayout.unitDoneMarker(folder)) { try $0.write(Array("\(parts)\n".utf8)) }
        return parts
    }
}

/// Accumulates one part: its documents and counts, its token (or text) spill, its dedup sketches; then
/// stores them whole.
private final class PartWriter {
    let location: PartLocation
    let temporary: String
    var scan: FileScan
    private let spill: BufferedFileWriter
    private let sketches: DedupSpillWriter?
    private let priority: Int
    private let rankKey: DedupRankKey?
    /// Under URL dedup: the URL's metadata key, whether this source's records carry `url`, and normalization.
    private let urlField: String?
    private let recordURL: Bool
    private let normalizeURL: Bool
    private let spillsText: Bool
    private let sourceIndex: Int
    private let path: String
    /// JSON lines of dropped documents, per stage of a filter with `rejects: true`.
    private var rejects: [String: [UInt8]] = [:]
    private var tokens: [UInt32] = []
    private var tokenOffset = 0
    private var textOffset = 0
    private var sketch = DocumentSketch()

    init(location: PartLocation, dedup: DedupSpilling?, sourceIndex: Int, spillsText: Bool, path: String) throws {
        self.location = location
        self.sourceIndex = sourceIndex
        self.path = path
        temporary = location.folder + ".partial"
        try FileSystem.remove(temporary)
        try FileSystem.createDirectory(temporary)
        let files = PartLocation(folder: temporary)
        scan = FileScan(tokenFile: spillsText ? location.text : location.tokens)
        spill = try BufferedFileWriter(path: spillsText ? files.text : files.tokens, capacity: 1 << 20)
        if let dedup {
            let folder = files.dedup
            try FileSystem.createDirectory(folder.path)
            sketches = try DedupSpillWriter(folder: folder, file: 0, bands: dedup.settings.bands)
        } else {
            sketches = nil
        }
        priority = dedup?.sourcePriority[sourceIndex] ?? 0
        rankKey = dedup?.rankKey
        urlField = dedup?.settings.url == nil ? nil : dedup?.urlField
        recordURL = sourceIndex < (dedup?.recordURLs.count ?? 0) && dedup?.recordURLs[sourceIndex] == true
        normalizeURL = dedup?.settings.url?.normalize ?? false
        self.spillsText = spillsText
    }

    func add(_ document: inout Document, scanner: UnitScanner, state: inout ScanState, file: Int = 0,
             number: Int = 0) throws {
        scan.bytesRead += document.text.count
        scan.tally.add(position: 0, stage: .read, .kept, bytes: document.text.count)
        var scanned = ScannedDocument(ordinal: document.ordinal, line: document.line, byteOffset: document.byteOffset,
                                      externalId: document.id, byteCount: document.text.count, fingerprint: nil,
                                      tokenOffset: tokenOffset, tokenCount: 0)
        var removal = RepeatedParagraphTable.Removal()
        var verdict: (String, String, Int)?
        if let paragraphs = scanner.paragraphs {
            // The cleaners, the removal of repeated units, then the filters.
            verdict = scanner.applyRules(to: &document, tally: &scan.tally, in: 0..<paragraphs.cleanerCount)
            if verdict == nil {
                removal = scanner.removeParagraphs(&document, file: file, number: number, scratch: &state.paragraphScratch)
                verdict = scanner.applyRules(to: &document, tally: &scan.tally,
                                             in: paragraphs.cleanerCount..<scanner.rules.count)
            }
        } else {
            verdict = scanner.applyRules(to: &document, tally: &scan.tally)
        }
        if removal.units > 0 {
            // What repeated-paragraph removal took: units, and the share of the cleaned text's bytes.
            scanned.metadata[ParagraphRemoval.countKey] = String(removal.units)
            let before = document.text.count + removal.bytes
            scanned.metadata[ParagraphRemoval.fractionKey] = Self.fraction(removal.bytes, of: before)
            scan.paragraphsRemoved += removal.units
            scan.paragraphBytesRemoved += removal.bytes
        }
        scanned.language = document.metadata["language"]
        if sourceIndex < scanner.recordedMetadata.count {
            for key in scanner.recordedMetadata[sourceIndex] {
                if let value = document.metadata[key] { scanned.metadata[key] = value }
            }
        }
        if let (stage, reason, rule) = verdict {
            if scanner.rejectingRules.contains(rule) {
                // The text as it was when the filter dropped it.
                let source = sourceIndex < scanner.sourceNames.count ? scanner.sourceNames[sourceIndex] : ""
                rejects[stage, default: []] += RejectsFile.line(document, reason: stage + ":" + reason, source: source,
                                                                path: path)
            }
            scanned.droppedStage = stage
            scanned.droppedReason = reason
            scanned.byteCount = document.text.count
            scan.documents.append(scanned)
            return
        }
        guard let decontamination = scanner.decontamination, state.matcher != nil else {
            try keep(document, as: scanned, state: &state)
            return
        }
        let position = scanner.decontaminationPosition, stage = DocumentStage.rule(Decontaminator.stage)
        let result = decontamination.apply(to: document.text, matcher: &state.matcher!, encoder: &state.encoder)
        scanned.contamination = result.record
        switch result.outcome {
        case .clean, .reported:
            scan.tally.add(position: position, stage: stage, .kept, reason: result.record == nil ? "" : "reported",
                           bytes: document.text.count)
            try keep(document, as: scanned, state: &state)
        case .dropped(let reason):
            scan.tally.add(position: position, stage: stage, .dropped, reason: reason, bytes: document.text.count)
            if decontamination.config.rejects {
                let source = sourceIndex < scanner.sourceNames.count ? scanner.sourceNames[sourceIndex] : ""
                rejects[Decontaminator.stage, default: []] += RejectsFile.line(
                    document, reason: Decontaminator.stage + ":" + reason, source: source, path: path)
            }
            scanned.droppedStage = Decontaminator.stage
            scanned.droppedReason = reason
            scanned.byteCount = document.text.count
            scan.documents.append(scanned)
        case .split(let pieces, _):
            // The record goes on as its pieces, each a document of its own (the first carries the matches).
            let text = document.text
            scan.tally.add(position: position, stage: stage, .kept, reason: "split",
                           bytes: pieces.reduce(0) { $0 + $1.count })
            for (number, piece) in pieces.enumerated() {
                document.text = Array(text[piece])
                var copy = scanned
                copy.piece = number
                if number > 0 { copy.contamination = nil }
                try keep(document, as: copy, state: &state)
            }
        }
    }

    /// Stores a document that passed every rule: its fingerprint, sketch, and tokens (or text).
    private func keep(_ document: Document, as kept: ScannedDocument, state: inout ScanState) throws {
        var scanned = kept
        scanned.tokenOffset = tokenOffset
        scanned.textOffset = textOffset
        scanned.byteCount = document.text.count
        scanned.charCount = TextMetrics.scalarCount(document.text)
        scanned.fingerprint = Fingerprint(of: document.text)
        if let sketches {
            document.text.withUnsafeBytes { state.sketcher.sketch($0, into: &sketch) }
            if let urlField {
                let url = document.metadata[urlField] ?? (recordURL ? document.metadata["url"] : nil)
                state.sketcher.sketchURL(url, normalize: normalizeURL, into: &sketch)
                scanned.hasURL = sketch.urlKey != nil
            }
            scanned.dedupIndex = sketches.documentCount
            try sketches.add(sketch, byteCount: document.text.count,
                             priority: rankKey.map { $0.rank(document.metadata[$0.key]) } ?? priority)
        }
        if spillsText {
            try document.text.withUnsafeBytes { try spill.write($0) }
            textOffset += document.text.count
        } else {
            tokens.removeAll(keepingCapacity: true)
            document.text.withUnsafeBytes { state.encoder?.encodeOrdinary($0, into: &tokens) }
            try tokens.withUnsafeBytes { try spill.write($0) }
            scanned.tokenCount = tokens.count
            tokenOffset += tokens.count
        }
        scan.documents.append(scanned)
    }

    /// `part / whole` with six decimals ("0.125000"), the same text on every machine.
    static func fraction(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0.000000" }
        let millionths = (part * 1_000_000 + whole / 2) / whole
        let digits = String(millionths % 1_000_000)
        return "\(millionths / 1_000_000)." + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// Writes the part's result and renames its folder into place.
    func finish(linesRead: Int, recordsRead: Int) throws {
        try spill.sync()
        try spill.close()
        if let sketches {
            try sketches.finish()
            scan.sketched = sketches.documentCount
            try FileSystem.syncFiles(in: PartLocation(folder: temporary).dedup.path)
        }
        scan.linesRead = linesRead
        scan.recordsRead = recordsRead
        for stage in rejects.keys.sorted() {
            let frame = try RejectsFile.compress(rejects[stage] ?? [])
            try AtomicFile.write(path: PartLocation(folder: temporary).rejects(stage: stage)) { try $0.write(frame) }
        }
        let result = PartResultFile.encode(scan)
        try AtomicFile.write(path: PartLocation(folder: temporary).result) { try $0.write(result) }
        try FileSystem.remove(location.folder)
        try AtomicFile.commit(temporary: temporary, to: location.folder)
    }
}

extension String {
    /// Without leading and trailing spaces and newlines.
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\n" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\n" { text = text.dropLast() }
        return String(text)
    }
}
