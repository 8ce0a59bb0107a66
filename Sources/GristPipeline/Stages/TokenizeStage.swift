import GristCore
import GristTokenize

/// Tokenizes the scanned documents of each part from its text spill, in parallel (one part per work
/// item, one encoder per worker), after the vocabulary was trained. Each part's tokens (`tokens-N.u32`)
/// and where each document's are (`tokens-N.loc`, written last) are stored in the vocabulary's folder,
/// so a rerun reuses the parts already done.
struct TokenizePhase {
    let vocabulary: BPEVocabulary
    let workers: Int
    let folder: String

    /// Tokenizes the parts not done yet; returns how many it tokenized.
    func run(selection: inout Selection, jobs: [ScanJob]) throws -> Int {
        let scans = selection.scans
        let vocabulary = vocabulary
        let order = jobs.indices.sorted { (scans[$0].bytesRead, $1) > (scans[$1].bytesRead, $0) }
        let results = Parallel.map(items: jobs.count, workers: workers, order: order,
                                   makeState: { BPEEncoder(vocabulary: vocabulary) }) { index, encoder in
            Result { try Self.tokenize(scans[index], job: jobs[index], encoder: &encoder) }
        }
        var tokenized = 0
        for (index, result) in results.enumerated() {
            let (locations, ran) = try result.get()
            selection.setTokens(job: index, locations)
            if ran { tokenized += 1 }
        }
        return tokenized
    }

    private static func tokenize(_ scan: FileScan, job: ScanJob, encoder: inout BPEEncoder) throws
        -> (locations: [(offset: Int, count: Int)], ran: Bool) {
        let locationsPath = job.tokenFile.replacingSuffix(".u32", with: ".loc")
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

extension String {
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self + replacement
    }
}
