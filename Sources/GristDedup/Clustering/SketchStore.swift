import GristCore

#if canImport(Glibc)
import Glibc
#endif

/// Random access to the phase-1 sketches of every input file, by global document number, through
/// `pread` into small reused buffers. (Not memory maps: pages of a map count in the process's resident
/// memory once touched, and verification touches pages all over the shingle files; read calls leave
/// them to the kernel's page cache, so memory stays within the budget.)
final class SketchStore {
    private let documentFiles: [Int32]
    private let shingleFiles: [Int32]
    private let paths: [String]
    /// Global number of each file's first document, plus the total at the end.
    let bases: [Int]
    private var left: [UInt32] = []
    private var right: [UInt32] = []

    init(folder: DedupWorkFolder, documentCounts: [Int], withShingles: Bool) throws {
        var bases = [0]
        for count in documentCounts { bases.append((bases.last ?? 0) + count) }
        self.bases = bases
        var documents: [Int32] = [], shingles: [Int32] = [], paths: [String] = []
        func open(_ path: String) throws -> Int32 {
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw GristError(.io, "cannot open: \(errnoText())", at: InputPosition(path: path)) }
            return fd
        }
        defer {
            if documents.count + shingles.count < documentCounts.count * (withShingles ? 2 : 1) {
                for fd in documents + shingles { close(fd) }
            }
        }
        for (file, count) in documentCounts.enumerated() {
            let path = folder.documentsPath(file)
            guard FileSystem.size(path) == count * MemoryLayout<SketchedDocument>.stride else {
                throw GristError(.badFormat, "work file does not hold \(count) documents", at: InputPosition(path: path),
                                 hint: "remove the work folder and run again")
            }
            documents.append(try open(path))
            paths.append(path)
            if withShingles { shingles.append(try open(folder.shinglesPath(file))) }
        }
        documentFiles = documents
        shingleFiles = shingles
        self.paths = paths
    }

    deinit { for fd in documentFiles + shingleFiles { close(fd) } }

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
            try readFully(documentFiles[file], into: buffer, at: local * stride, path: paths[file])
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
            try readFully(shingleFiles[file], into: buffer, at: Int(record.shingleOffset) * 4, path: paths[file])
        }
    }

    private func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws {
        var done = 0
        while done < buffer.count, let base = buffer.baseAddress {
            let n = pread(fd, base + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw GristError(.io, "read failed: \(errnoText())", at: InputPosition(path: path))
            }
            if n == 0 {
                throw GristError(.badFormat, "work file ends early", at: InputPosition(path: path),
                                 hint: "remove the work folder and run again")
            }
            done += n
        }
    }
}
