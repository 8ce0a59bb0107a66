import GristCore

/// Random access to the phase-1 sketches of every input file, by global document number, through
/// `pread` into small reused buffers. (Not memory maps: pages of a map count in the process's resident
/// memory once touched, and verification touches pages all over the shingle files; read calls leave
/// them to the kernel's page cache, so memory stays within the budget.)
final class SketchStore {
    private let documentFiles: [FileDescriptor]
    private let shingleFiles: [FileDescriptor]
    /// Global number of each file's first document, plus the total at the end.
    let bases: [Int]
    private var left: [UInt32] = []
    private var right: [UInt32] = []

    init(folder: DedupWorkFolder, documentCounts: [Int], withShingles: Bool) throws {
        var bases = [0]
        for count in documentCounts { bases.append((bases.last ?? 0) + count) }
        self.bases = bases
        var documents: [FileDescriptor] = [], shingles: [FileDescriptor] = []
        for (file, count) in documentCounts.enumerated() {
            let path = folder.documentsPath(file)
            guard FileSystem.size(path) == count * MemoryLayout<SketchedDocument>.stride else {
                throw GristError(.badFormat, "work file does not hold \(count) documents", at: InputPosition(path: path),
                                 hint: "remove the work folder and run again")
            }
            documents.append(try FileDescriptor(reading: path))
            if withShingles { shingles.append(try FileDescriptor(reading: folder.shinglesPath(file))) }
        }
        documentFiles = documents
        shingleFiles = shingles
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

    func document(_ index: Int) throws -> SketchedDocument {
        let (file, local) = locate(index)
        var record = SketchedDocument(shingleOffset: 0, shingleCount: 0, byteCount: 0, exactHigh: 0, exactLow: 0,
                                      priority: 0)
        let stride = MemoryLayout<SketchedDocument>.stride
        try withUnsafeMutableBytes(of: &record) { buffer in
            try readFully(documentFiles[file], into: buffer, at: local * stride)
        }
        return record
    }

    /// Jaccard similarity of two documents' shingle sets.
    func similarity(_ a: Int, _ b: Int) throws -> Double {
        try load(a, into: &left)
        try load(b, into: &right)
        return left.withUnsafeBufferPointer { l in right.withUnsafeBufferPointer { r in Jaccard.similarity(l, r) } }
    }

    private func load(_ index: Int, into set: inout [UInt32]) throws {
        let record = try document(index)
        let count = Int(record.shingleCount)
        set.removeAll(keepingCapacity: true)
        guard count > 0, !shingleFiles.isEmpty else { return }
        let (file, _) = locate(index)
        set.append(contentsOf: repeatElement(0, count: count))
        try set.withUnsafeMutableBytes { buffer in
            try readFully(shingleFiles[file], into: buffer, at: Int(record.shingleOffset) * 4)
        }
    }

    /// Fills `buffer` from byte `offset` of `file`; a work file that ends first was damaged.
    private func readFully(_ file: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        if try file.readFully(into: buffer, at: offset) < buffer.count {
            throw GristError(.badFormat, "work file ends early", at: InputPosition(path: file.path),
                             hint: "remove the work folder and run again")
        }
    }
}
