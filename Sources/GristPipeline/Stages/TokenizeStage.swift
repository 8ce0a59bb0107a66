import GristCore
import GristTokenize

/// `tokenizer.train`, after the vocabulary: tokenizes the scanned documents of each part from its text
/// spill, in parallel (one part per work item, one encoder per worker). Each part's tokens and where
/// each document's are (written last) are stored in the vocabulary's folder, so a rerun reuses the
/// parts already done.
///
/// Work: `vocab/KEY/tokens-N.{u32,loc}` (`VocabularyFolder`); key: the vocabulary stage's.
struct TokenizeStage: BuildStage {
    static let name = StageName.tokenize
    let context: BuildContext
    let vocabulary: BPEVocabulary
    /// The vocabulary stage's key and folder.
    let key: String
    let scans: [FileScan]
    let jobs: [ScanJob]

    var folder: VocabularyFolder { context.layout.vocabulary(key) }
    var workItems: [String] { jobs.indices.map(String.init) }

    /// Each part's token file, and where each of its documents' tokens are.
    struct Tokens {
        var files: [String]
        var locations: [[(offset: Int, count: Int)]]
    }

    /// Tokenizes the parts not done yet.
    func run() throws -> StageRun<Tokens> {
        let scans = scans, folder = folder, workers = context.workers
        let jobs = jobs.indices.map { index in
            var job = self.jobs[index]
            job.tokenFile = folder.tokens(part: index)
            return job
        }
        let vocabulary = vocabulary
        let order = jobs.indices.sorted { (scans[$0].bytesRead, $1) > (scans[$1].bytesRead, $0) }
        let results = Parallel.map(items: jobs.count, workers: workers, order: order,
                                   makeState: { BPEEncoder(vocabulary: vocabulary) }) { index, encoder in
            Result { try Self.tokenize(scans[index], job: jobs[index], locationsPath: folder.tokenLocations(part: index),
                                       encoder: &encoder) }
        }
        var tokens = Tokens(files: jobs.map(\.tokenFile), locations: [])
        var tokenized = 0
        for result in results {
            let (locations, ran) = try result.get()
            tokens.locations.append(locations)
            if ran { tokenized += 1 }
        }
        return StageRun(output: tokens, reused: jobs.count - tokenized, ran: tokenized)
    }

    static func progress(of record: StageRecord, in layout: WorkLayout) -> StageProgress? {
        let folder = layout.vocabulary(record.key)
        let stored = record.items.compactMap(Int.init).filter { FileSystem.exists(folder.tokenLocations(part: $0)) }.count
        return StageProgress(stage: name, stored: stored, planned: record.items.count, finished: stored == record.items.count)
    }

    private static func tokenize(_ scan: FileScan, job: ScanJob, locationsPath: String, encoder: inout BPEEncoder) throws
        -> (locations: [(offset: Int, count: Int)], ran: Bool) {
        if let stored = try? loadLocations(locationsPath, count: scan.documents.count) { return (stored, false) }
        let text = try MappedFile(path: job.textFile)
        let temporary = job.tokenFile + ".partial"
        let spill = try BufferedFileWriter(path: temporary, capacity: 1 << 20)
        var locations: [(offset: Int, count: Int)] = []
        locations.reserveCapacity(scan.documents.count)
        var tokens: [UInt32] = []
        var offset = 0
        for document in scan.documents {
            guard document.fingerprint != nil else {
                locations.append((offset, 0))
                continue
            }
            let range = document.textOffset..<(document.textOffset + document.byteCount)
            guard range.upperBound <= text.count else {
                throw GristError(.mismatch, "text spill is shorter than recorded", at: InputPosition(path: text.path))
            }
            tokens.removeAll(keepingCapacity: true)
            encoder.encodeOrdinary(UnsafeRawBufferPointer(rebasing: text.bytes[range]), into: &tokens)
            try tokens.withUnsafeBytes { try spill.write($0) }
            locations.append((offset, tokens.count))
            offset += tokens.count
        }
        try spill.sync()
        try spill.close()
        try AtomicFile.commit(temporary: temporary, to: job.tokenFile)
        var w = BinaryWriter()
        w.int(locations.count)
        for location in locations {
            w.int(location.offset)
            w.int(location.count)
        }
        try AtomicFile.write(path: locationsPath) { try $0.write(w.bytes) }
        Fault.point("tokenize-part")
        return (locations, true)
    }

    private static func loadLocations(_ path: String, count: Int) throws -> [(offset: Int, count: Int)] {
        let file = try MappedFile(path: path)
        var r = BinaryReader(file.bytes, path: path)
        guard try r.int() == count else { throw GristError(.mismatch, "location count", at: InputPosition(path: path)) }
        return try (0..<count).map { _ in (try r.int(), try r.int()) }
    }
}
