import GristCollect
import GristCore
import GristDedup

#if canImport(Glibc)
import Glibc
#endif

/// What `grist dedup` did.
public struct DedupJobSummary: Sendable {
    public var files: Int
    public var documents: Int
    public var recordsSkipped: Int
    public var dedup: DedupSummary
    /// Files whose sketches an earlier, interrupted run had finished.
    public var filesResumed: Int
    public var seconds: Double
    /// With a write folder: documents written to the deduplicated files, and duplicates left out.
    public var documentsWritten: Int?
    public var duplicatesLeftOut: Int?
    /// The ids of the documents the audit names (its sampled pairs and largest clusters), by document number.
    public var auditIds: [Int: String] = [:]
    /// The first lines (`FirstLine`) of the largest clusters' listed members, by document number (only
    /// when asked for: the inputs are read once more, up to the last such document of each).
    public var auditFirstLines: [Int: String] = [:]

    /// The audit as one JSON document (`grist dedup --audit FILE`; docs/dedup.md#the-audit): documents by
    /// their ids, clusters by the numbers of the output lines.
    public var auditJSON: String {
        let a = dedup.audit
        func id(_ document: Int) -> String { JSONText.quoted(auditIds[document] ?? "\(document)") }
        func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "null" }
        func estimate(_ e: DedupAudit.Estimate) -> String {
            "{\"pairs\": \(e.pairs), \"atOrAbove\": \(e.atOrAbove), \"precision\": \(number(e.precision)), "
                + "\"low\": \(number(e.interval?.low)), \"high\": \(number(e.interval?.high))}"
        }
        let sizes = a.sizes.map {
            "{\"lowerBound\": \($0.lowerBound), \"upperBound\": \($0.upperBound), \"clusters\": \($0.clusters), "
                + "\"documents\": \($0.documents)}"
        }
        let pairs = a.pairs.map {
            "{\"cluster\": \($0.cluster), \"kind\": \"\($0.kind.rawValue)\", \"id\": \(id($0.document)), "
                + "\"other\": \(id($0.other)), \"similarity\": \($0.similarity), \"exact\": \($0.exact)}"
        }
        func member(_ document: Int) -> String {
            "{\"id\": \(id(document)), \"firstLine\": "
                + (auditFirstLines[document].map(JSONText.quoted) ?? "null") + "}"
        }
        let largest = a.largest.map {
            "{\"cluster\": \($0.cluster), \"size\": \($0.size), \"kept\": \(id($0.kept)), \"members\": ["
                + $0.members.map(member).joined(separator: ", ") + "]}"
        }
        let g = a.guardCounts
        return "{\"schema\": \"gristmill.dedup-audit/1\", \"threshold\": \(a.threshold), \"seed\": \(a.seed), "
            + "\"verify\": \(a.verify),\n \"clusters\": \(a.clusters), \"documents\": \(a.documents), "
            + "\"nearClusters\": \(a.nearClusters), \"sampledClusters\": \(a.sampledClusters),\n"
            + " \"toKept\": \(estimate(a.toKept)),\n \"betweenMembers\": \(estimate(a.betweenMembers)),\n"
            + " \"exactPairs\": \(a.exactPairs),\n"
            + " \"guard\": {\"maxClusterSize\": \(g.maxClusterSize), \"bySize\": \(g.bySize), \"bySimilarity\": "
            + "\(g.bySimilarity), \"clusters\": \(g.clusters), \"splitOffDocuments\": \(g.splitOffDocuments)},\n"
            + " \"sizes\": [\(sizes.joined(separator: ", "))],\n"
            + " \"largest\": [\(largest.joined(separator: ",\n    "))],\n"
            + " \"pairs\": [\(pairs.joined(separator: ",\n    "))]}\n"
    }
}

/// `grist dedup`: the `dedup:` section of a config run over JSON Lines files, printing one line per
/// document of a duplicate cluster: `{"id": …, "cluster": N, "keep": true|false}`, and with a write
/// folder the deduplicated files themselves (`DeduplicatedCorpus`).
///
/// Phase 1 sketches each input file on its own thread (documents numbered in input order: the first
/// file's records, then the second's, …); phase 2 runs the plan's tasks and the clustering. The work
/// folder keeps each finished file and task, so a run that was killed resumes where it stopped when
/// started again with the same inputs, config and work folder, and prints the same clusters.
public struct DedupJob {
    public let config: DedupConfig
    public let settings: DedupSettings
    public let inputs: [String]
    public let jsonl: JSONLReaderOptions
    public let workers: Int
    public let workFolder: String
    public let showProgress: Bool
    /// Where the deduplicated files go (`--write`), planned and checked when the job is made.
    private let corpus: DeduplicatedCorpus?
    /// Under `keep: highest_quality` or `most_recent`, the record field that ranks documents (else the
    /// input's position ranks them).
    private let rankKey: DedupRankKey?

    /// - Parameter writeFolder: write the deduplicated files there; two inputs with the same file name,
    ///   or an output that would replace its input, are refused here, before any work.
    public init(config: DedupConfig, inputs: [String], jsonl: JSONLReaderOptions = .init(), workers: Int,
                workFolder: String, writeFolder: String? = nil, showProgress: Bool = Console.stderrIsTerminal) throws {
        precondition(workers >= 1)
        if let priority = config.minhash, !priority.priority.isEmpty {
            throw ConfigError("grist dedup ranks inputs by their order on the command line; remove \"priority\"",
                              at: priority.priorityLocation ?? ConfigLocation(file: "<config>", line: nil, path: "dedup.minhash"))
        }
        guard config.isEnabled else {
            throw GristError(.usage, "the config's dedup section turns everything off (exact: false, no minhash, no url)")
        }
        // highest_quality and most_recent rank documents by a field of each record (no classifier runs here)
        var jsonl = jsonl
        switch config.minhash?.keep ?? config.url?.keep {
        case .highestQuality?:
            guard let key = config.minhash?.qualityKey else {
                throw ConfigError("grist dedup runs no classifier: keep: highest_quality needs quality_key, a numeric "
                    + "field of the records", at: ConfigLocation(file: "<config>", line: nil, path: "dedup.minhash.keep"))
            }
            rankKey = DedupRankKey(rule: .highestQuality, key: MetadataFields.storedName(key))
            if !jsonl.metadataFields.contains(key) { jsonl.metadataFields.append(key) }
        case .mostRecent?:
            let key = config.minhash?.dateKey ?? "date"
            rankKey = DedupRankKey(rule: .mostRecent, key: MetadataFields.storedName(key))
            if !jsonl.metadataFields.contains(key) { jsonl.metadataFields.append(key) }
        default:
            rankKey = nil
        }
        // URL dedup reads the URL from a field of each record
        if let url = config.url, !jsonl.metadataFields.contains(url.field) { jsonl.metadataFields.append(url.field) }
        self.config = config
        settings = DedupSettings(config)
        self.inputs = inputs
        self.jsonl = jsonl
        self.workers = workers
        self.workFolder = workFolder
        self.showProgress = showProgress
        corpus = try writeFolder.map { try DeduplicatedCorpus(inputs: inputs, folder: $0) }
    }

    /// Runs the job, writing the cluster lines to `output` (a file, replaced atomically; nil: stdout), then
    /// the deduplicated files when the job has a write folder.
    /// - Parameter auditFirstLines: also read the first lines of the audit's largest clusters' members
    ///   (`DedupJobSummary.auditFirstLines`; the inputs are read again up to the last of them).
    public func run(output: String?, auditFirstLines: Bool = false) throws -> DedupJobSummary {
        let started = monotonicNanoseconds()
        let folder = DedupWorkFolder(path: workFolder)
        try prepare(folder)
        let progress = ProgressLine(enabled: showProgress)

        // Phase 1: sketch every file (parallel; finished files of an interrupted run are kept).
        let settings = settings, jsonl = jsonl, inputs = inputs, rankKey = rankKey
        let scans = Parallel.map(items: inputs.count, workers: workers, makeState: { settings.makeSketcher() }) {
            index, sketcher in
            Self.sketch(file: index, path: inputs[index], folder: folder, settings: settings, jsonl: jsonl,
                        rankKey: rankKey, sketcher: &sketcher)
        }
        progress.update("sketched \(inputs.count) files")
        var counts: [Int] = []
        var skipped: [GristError] = []
        var skippedCount = 0
        for scan in scans {
            let result = try scan.result.get()
            counts.append(result.documents)
            skippedCount += result.skippedCount
            skipped += result.skipped
        }
        for error in skipped.prefix(10) { Console.warning("skipped \(error)") }
        if skippedCount > 10 { Console.warning("… and \(skippedCount - 10) more skipped records") }

        // Phase 2: tasks, then clustering; members arrive in document order and are joined with their ids.
        let plan = try DedupPlan(settings: settings, folder: folder, documentCounts: counts)
        try DedupTasks.run(plan, workers: workers)
        progress.update("clustering \(plan.documentCount) documents")
        let sink = try LineSink(path: output)
        let ids = IdCursor(folder: folder, counts: counts)
        let summary: DedupSummary
        var dropped = DocumentSet(capacity: corpus == nil ? 0 : plan.documentCount)
        do {
            summary = try plan.cluster { member in
                if corpus != nil, !member.isKept { dropped.insert(member.document) }
                let id = try ids.id(of: member.document)
                try sink.write("{\"id\": \(JSONText.quoted(id)), \"cluster\": \(member.cluster), \"keep\": \(member.isKept)}\n")
            }
            try sink.close()
        } catch {
            sink.discard()
            throw error
        }
        // The ids of the few documents the audit names, read once more in document order.
        var auditIds: [Int: String] = [:]
        let named = Set(summary.audit.pairs.flatMap { [$0.document, $0.other] }
            + summary.audit.largest.flatMap(\.members))
        let again = IdCursor(folder: folder, counts: counts)
        for document in named.sorted() { auditIds[document] = try again.id(of: document) }
        let firstLines = auditFirstLines
            ? try Self.firstLines(of: Set(summary.audit.largest.flatMap(\.members)), inputs: inputs, counts: counts, jsonl: jsonl)
            : [:]
        var written: DeduplicatedCorpus.Written?
        if let corpus {
            progress.update("writing the deduplicated files")
            written = try corpus.write(jsonl: jsonl, counts: counts, dropped: dropped, workers: workers)
        }
        progress.finish()
        try FileSystem.remove(workFolder)
        return DedupJobSummary(files: inputs.count, documents: plan.documentCount, recordsSkipped: skippedCount,
                               dedup: summary, filesResumed: scans.filter(\.resumed).count,
                               seconds: Double(monotonicNanoseconds() - started) / 1e9,
                               documentsWritten: written?.documents, duplicatesLeftOut: written?.duplicates,
                               auditIds: auditIds, auditFirstLines: firstLines)
    }

    /// The first lines of `documents` (global numbers), reading each input that holds one of them up to
    /// the last, in the order phase 1 numbered them (skipped records are not numbered).
    private static func firstLines(of documents: Set<Int>, inputs: [String], counts: [Int],
                                   jsonl: JSONLReaderOptions) throws -> [Int: String] {
        var lines: [Int: String] = [:]
        var base = 0
        for (path, count) in zip(inputs, counts) {
            defer { base += count }
            let wanted = documents.filter { $0 >= base && $0 < base + count }
            guard let last = wanted.max() else { continue }
            var reader = try JSONLReader(path: path, options: jsonl)
            var number = base
            while number <= last, let event = try reader.next() {
                guard case .document(let document) = event else { continue }
                if wanted.contains(number) { lines[number] = FirstLine.of(document.text) }
                number += 1
            }
        }
        return lines
    }

    /// Keeps the work folder of an interrupted run of this same job; otherwise starts it afresh.
    private func prepare(_ folder: DedupWorkFolder) throws {
        let stampPath = FileSystem.join(folder.path, "job.txt")
        let stamp = jobStamp()
        if FileSystem.exists(folder.path) {
            let existing = (try? MappedFile(path: stampPath)).map { String(decoding: $0.bytes, as: UTF8.self) }
            if existing != stamp {
                guard existing != nil || FileSystem.contents(of: folder.path).isEmpty else {
                    throw GristError(.usage, "the work folder holds files that are not from grist dedup",
                                     at: InputPosition(path: folder.path), hint: "choose another --work folder")
                }
                try FileSystem.remove(folder.path)
            }
        }
        try folder.create()
        if !FileSystem.exists(stampPath) { try folder.writeMarker(stampPath, stamp) }
    }

    /// What identifies this job's intermediate results: the settings, the reader options, each input
    /// file with its size and modification time.
    private func jobStamp() -> String {
        var lines = ["grist dedup work folder, version 2", "settings \(settings)",
                     "jsonl \(jsonl.textField) \(jsonl.idField) \(jsonl.maxRecordBytes) \(jsonl.metadataFields)"]
        for input in inputs {
            var info = stat()
            let known = stat(input, &info) == 0
            lines.append("input \(input) \(known ? Int(info.st_size) : -1) \(known ? Int(info.st_mtim.tv_sec) : -1)"
                + " \(known ? Int(info.st_mtim.tv_nsec) : -1)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private struct FileScanResult: Sendable {
        var documents = 0
        var skippedCount = 0
        /// The first few skipped records.
        var skipped: [GristError] = []
    }

    private struct FileScan: Sendable {
        var result: Result<FileScanResult, any Error>
        var resumed = false
    }

    private static func idsPath(_ folder: DedupWorkFolder, _ file: Int) -> String {
        FileSystem.join(folder.path, "file-\(file).ids")
    }

    private static func sketch(file: Int, path: String, folder: DedupWorkFolder, settings: DedupSettings,
                               jsonl: JSONLReaderOptions, rankKey: DedupRankKey?,
                               sketcher: inout DocumentSketcher) -> FileScan {
        if let count = folder.finishedDocumentCount(file) {
            return FileScan(result: .success(FileScanResult(documents: count)), resumed: true)
        }
        return FileScan(result: Result {
            var result = FileScanResult()
            var reader = try JSONLReader(path: path, options: jsonl)
            let writer = try DedupSpillWriter(folder: folder, file: file, bands: settings.bands)
            let ids = try BufferedFileWriter(path: idsPath(folder, file))
            var sketch = DocumentSketch()
            while let event = try reader.next() {
                switch event {
                case .document(let document):
                    document.text.withUnsafeBytes { sketcher.sketch($0, into: &sketch) }
                    if let url = settings.url {
                        sketcher.sketchURL(document.metadata[MetadataFields.storedName(url.field)],
                                           normalize: url.normalize, into: &sketch)
                    }
                    try writer.add(sketch, byteCount: document.text.count,
                                   priority: rankKey.map { $0.rank(document.metadata[$0.key]) } ?? file)
                    let id = Array(document.id.utf8)
                    try ids.write(littleEndian: UInt32(clamping: id.count))
                    try ids.write(id)
                case .skipped(let error):
                    result.skippedCount += 1
                    if result.skipped.count < 10 { result.skipped.append(error) }
                }
            }
            try ids.close()
            result.documents = try writer.finish()
            return result
        })
    }

    /// Reads document ids back in document order, through a buffer (not a memory map: its pages would
    /// count as resident memory).
    private final class IdCursor {
        private let folder: DedupWorkFolder
        private let bases: [Int]
        private var file = -1
        private var reader: BufferedReader?
        private var next = 0

        init(folder: DedupWorkFolder, counts: [Int]) {
            self.folder = folder
            var bases = [0]
            for count in counts { bases.append((bases.last ?? 0) + count) }
            self.bases = bases
        }

        /// The id of global document `document`; calls come in increasing order.
        func id(of document: Int) throws -> String {
            while file + 1 < bases.count - 1, document >= bases[file + 1] {
                file += 1
                reader = try BufferedReader(path: DedupJob.idsPath(folder, file))
                next = bases[file]
            }
            guard let reader else { throw GristError(.io, "no ids for document \(document)") }
            while true {
                let lengthBytes = try reader.read(4)
                let length = lengthBytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
                let bytes = try reader.read(length)
                next += 1
                if next - 1 == document { return String(decoding: bytes, as: UTF8.self) }
            }
        }
    }
}

/// Sequential reads of a file through a 1 MiB buffer.
final class BufferedReader {
    private let file: FileDescriptor
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var start = 0
    private var end = 0

    init(path: String) throws {
        file = try FileDescriptor(reading: path)
    }

    /// Exactly `count` bytes; the file ending first is an error.
    func read(_ count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            if start == end {
                start = 0
                end = try buffer.withUnsafeMutableBytes { try file.read(into: $0) }
                if end == 0 { throw GristError(.badFormat, "the ids file ends early", at: InputPosition(path: file.path)) }
            }
            let take = min(count - out.count, end - start)
            out.append(contentsOf: buffer[start..<(start + take)])
            start += take
        }
        return out
    }
}
