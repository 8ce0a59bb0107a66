import GristCore

/// Random access to the phase-1 sketches of every input file, by global document number, through
/// memory maps (pages are read on demand and can be dropped by the kernel, so they do not count
/// against the memory budget the way heap memory does).
final class SketchStore {
    private let documents: [MappedFile]
    private let shingles: [MappedFile?]
    /// Global number of each file's first document, plus the total at the end.
    let bases: [Int]

    init(folder: DedupWorkFolder, documentCounts: [Int], withShingles: Bool) throws {
        var bases = [0]
        for count in documentCounts { bases.append((bases.last ?? 0) + count) }
        self.bases = bases
        documents = try documentCounts.indices.map { try MappedFile(path: folder.documentsPath($0)) }
        shingles = try documentCounts.indices.map { withShingles ? try MappedFile(path: folder.shinglesPath($0)) : nil }
        for (file, count) in documentCounts.enumerated()
        where documents[file].count != count * MemoryLayout<SketchedDocument>.stride {
            throw GristError(.badFormat, "work file does not hold \(count) documents",
                             at: InputPosition(path: folder.documentsPath(file)), hint: "remove the work folder and run again")
        }
    }

    /// The file holding global document `index`, and the document's number in it.
    @inline(__always)
    func locate(_ index: Int) -> (file: Int, local: Int) {
        var low = 0, high = bases.count - 2
        while low < high {
            let mid = (low + high + 1) / 2
            if bases[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return (low, index - bases[low])
    }

    func document(_ index: Int) -> SketchedDocument {
        let (file, local) = locate(index)
        return documents[file].bytes.loadUnaligned(fromByteOffset: local * MemoryLayout<SketchedDocument>.stride,
                                                   as: SketchedDocument.self)
    }

    /// The document's sorted shingle set (empty without shingles); valid while the store lives.
    func shingles(_ index: Int) -> UnsafeBufferPointer<UInt32> {
        let (file, local) = locate(index)
        let record = documents[file].bytes.loadUnaligned(
            fromByteOffset: local * MemoryLayout<SketchedDocument>.stride, as: SketchedDocument.self)
        guard let map = shingles[file], record.shingleCount > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = Int(record.shingleOffset) * 4, count = Int(record.shingleCount)
        guard start + count * 4 <= map.count, let base = map.bytes.baseAddress else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: (base + start).bindMemory(to: UInt32.self, capacity: count), count: count)
    }

    func similarity(_ a: Int, _ b: Int) -> Double { Jaccard.similarity(shingles(a), shingles(b)) }
}
