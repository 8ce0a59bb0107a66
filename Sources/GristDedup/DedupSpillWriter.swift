import GristCore

/// Phase 1 of deduplication for one input file: writes each document's sketch to the work folder.
///
/// Files written (file number F, see ``DedupWorkFolder``): `F.docs` (one ``SketchedDocument`` per
/// document, in order), `F.shingles` (the shingle sets back to back) and `F.band-B` (band B's key of
/// every document that has shingles). Documents are numbered 0, 1, … in the order they are added.
public final class DedupSpillWriter {
    public let folder: DedupWorkFolder
    public let file: Int
    private let documents: RecordWriter<SketchedDocument>
    private let shingles: RecordWriter<UInt32>?
    private let bands: [RecordWriter<BandRecord>]
    private var shingleOffset: UInt64 = 0
    public private(set) var documentCount = 0

    /// - Parameter bands: LSH bands (0 for exact-only deduplication: no shingles or bands are written).
    public init(folder: DedupWorkFolder, file: Int, bands bandCount: Int) throws {
        self.folder = folder
        self.file = file
        documents = try RecordWriter(path: folder.documentsPath(file))
        shingles = bandCount > 0 ? try RecordWriter(path: folder.shinglesPath(file)) : nil
        bands = try (0..<bandCount).map { try RecordWriter(path: folder.bandPath(file, band: $0), bufferBytes: 1 << 14) }
    }

    /// Adds the next document.
    /// - Parameters:
    ///   - byteCount: the text's length in bytes.
    ///   - priority: lower wins under `keep: priority`.
    public func add(_ sketch: DocumentSketch, byteCount: Int, priority: Int) throws {
        guard documentCount < Int(UInt32.max) else {
            throw GristError(.usage, "more than \(UInt32.max) documents in one file cannot be deduplicated")
        }
        let local = UInt32(documentCount)
        try documents.append(SketchedDocument(
            shingleOffset: shingleOffset, shingleCount: UInt32(sketch.shingles.count),
            byteCount: UInt32(clamping: byteCount), exactHigh: sketch.exactKey.high, exactLow: sketch.exactKey.low,
            priority: UInt32(clamping: priority), urlHigh: sketch.urlKey?.high ?? 0, urlLow: sketch.urlKey?.low ?? 0))
        if let shingles, !sketch.shingles.isEmpty {
            try sketch.shingles.withUnsafeBufferPointer { try shingles.append(contentsOf: $0) }
            shingleOffset += UInt64(sketch.shingles.count)
        }
        if !sketch.bandKeys.isEmpty {
            precondition(sketch.bandKeys.count == bands.count, "sketch made with another band count")
            for (band, writer) in bands.enumerated() {
                try writer.append(BandRecord(key: sketch.bandKeys[band], document: local))
            }
        }
        documentCount += 1
    }

    /// Closes the files and marks the file done (the marker is written last); returns its number of documents.
    @discardableResult
    public func finish() throws -> Int {
        try documents.close()
        try shingles?.close()
        for writer in bands { try writer.close() }
        try folder.writeMarker(folder.donePath(file), "\(documentCount)\n")
        return documentCount
    }
}
