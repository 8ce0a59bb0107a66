import GristCore

/// The phase-1 document records of every file, in global order, through buffered reads.
final class DocumentStream {
    private let folder: DedupWorkFolder
    private let counts: [Int]
    private var file = -1
    private var reader: RecordReader<SketchedDocument>?

    init(folder: DedupWorkFolder, counts: [Int]) throws {
        self.folder = folder
        self.counts = counts
    }

    func next() throws -> SketchedDocument? {
        while true {
            if let record = try reader?.next() { return record }
            file += 1
            guard file < counts.count else { return nil }
            reader = try RecordReader(path: folder.documentsPath(file), bufferBytes: 1 << 20)
        }
    }
}
