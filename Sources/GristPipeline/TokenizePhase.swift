import GristCore
import GristTokenize

/// Tokenizes the scanned documents of each file from its text spill, in parallel (one file per work
/// item, one encoder per worker), after the vocabulary was trained. Writes each file's token spill and
/// returns where every document's tokens are, in document order.
struct TokenizePhase {
    let vocabulary: BPEVocabulary
    let workers: Int

    func run(selection: inout Selection, jobs: [ScanJob]) throws {
        let scans = selection.scans
        let vocabulary = vocabulary
        let order = jobs.indices.sorted { (jobs[$0].file.byteSize, $1) > (jobs[$1].file.byteSize, $0) }
        let results = Parallel.map(items: jobs.count, workers: workers, order: order,
                                   makeState: { BPEEncoder(vocabulary: vocabulary) }) { index, encoder in
            Result { try Self.tokenize(scans[index], job: jobs[index], encoder: &encoder) }
        }
        for (index, result) in results.enumerated() { selection.setTokens(job: index, try result.get()) }
    }

    private static func tokenize(_ scan: FileScan, job: ScanJob, encoder: inout BPEEncoder) throws -> [(offset: Int, count: Int)] {
        let text = try MappedFile(path: job.textFile)
        let spill = try BufferedFileWriter(path: job.tokenFile, capacity: 1 << 20)
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
        try spill.close()
        return locations
    }
}
