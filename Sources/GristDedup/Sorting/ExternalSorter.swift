import GristCore

/// Sorts more records than fit in memory: records collect in a buffer of bounded size; a full buffer is
/// sorted and written as a run; at the end the runs are merged (k-way, in passes of at most `fanIn`).
///
/// Memory: the buffer (`bufferBytes`, counting the temporary space the standard library's sort needs)
/// plus one read buffer per run while merging. Disk: the records once per merge pass.
final class ExternalSorter<Record: BitwiseCopyable & Comparable> {
    let directory: String
    let name: String
    private let capacity: Int
    private let bufferBytes: Int
    private var buffer: [Record] = []
    private var runs: [String] = []
    private var runNumber = 0
    private(set) var count = 0
    /// Most runs merged at once (open files and read buffers).
    let fanIn: Int

    /// - Parameters:
    ///   - directory: where runs go (they are removed as they are merged).
    ///   - name: prefix of the run files; unique among sorters sharing `directory`.
    ///   - bufferBytes: memory for the in-memory buffer.
    ///   - fanIn: most runs merged at once.
    ///   - minimumRecords: smallest buffer, in records (tests lower it to force many runs).
    ///   - expectedCount: records that will come, when known: the buffer is reserved at once (never grown
    ///     by doubling past the budget).
    init(directory: String, name: String, bufferBytes: Int, fanIn: Int = 64, minimumRecords: Int = 1024,
         expectedCount: Int? = nil) {
        precondition(fanIn >= 2)
        self.directory = directory
        self.name = name
        self.fanIn = fanIn
        self.bufferBytes = max(bufferBytes, 1 << 16)
        // Stable sort needs about half the buffer again as scratch.
        capacity = max(minimumRecords, bufferBytes * 2 / 3 / MemoryLayout<Record>.stride)
        if let expectedCount { buffer.reserveCapacity(min(capacity, max(expectedCount, 1))) }
    }

    @inline(__always)
    func append(_ record: Record) throws {
        if buffer.count >= capacity { try spill() }
        buffer.append(record)
        count += 1
    }

    /// Sorted records; the sorter is spent afterwards.
    func finish() throws -> SortedRecords<Record> {
        if runs.isEmpty {
            buffer.sort()
            let records = buffer
            buffer = []
            return SortedRecords(memory: records)
        }
        try spill()
        buffer = []
        while runs.count > fanIn {
            var merged: [String] = []
            for start in stride(from: 0, to: runs.count, by: fanIn) {
                let group = Array(runs[start..<min(start + fanIn, runs.count)])
                let path = nextRunPath()
                let writer = try RecordWriter<Record>(path: path, bufferBytes: 1 << 20)
                let merger = try KWayMerge<Record>(paths: group, bufferBytes: bufferBytes / (group.count + 1))
                while let record = try merger.next() { try writer.append(record) }
                try writer.close()
                for run in group { try FileSystem.remove(run) }
                merged.append(path)
            }
            runs = merged
        }
        let merger = try KWayMerge<Record>(paths: runs, bufferBytes: bufferBytes / (runs.count + 1))
        let paths = runs
        runs = []
        return SortedRecords(merge: merger, cleanup: paths)
    }

    private func spill() throws {
        guard !buffer.isEmpty else { return }
        buffer.sort()
        let path = nextRunPath()
        let writer = try RecordWriter<Record>(path: path)
        try buffer.withUnsafeBufferPointer { try writer.append(contentsOf: $0) }
        try writer.close()
        runs.append(path)
        buffer.removeAll(keepingCapacity: true)
    }

    private func nextRunPath() -> String {
        defer { runNumber += 1 }
        return FileSystem.join(directory, "\(name).run-\(runNumber)")
    }
}

/// The output of an ``ExternalSorter``: an in-memory array or a merge of runs on disk.
final class SortedRecords<Record: BitwiseCopyable & Comparable> {
    private var memory: [Record]
    private var index = 0
    private let merge: KWayMerge<Record>?
    private let cleanup: [String]

    init(memory: [Record]) {
        self.memory = memory
        merge = nil
        cleanup = []
    }

    init(merge: KWayMerge<Record>, cleanup: [String]) {
        memory = []
        self.merge = merge
        self.cleanup = cleanup
    }

    deinit { for path in cleanup { try? FileSystem.remove(path) } }

    @inline(__always)
    func next() throws -> Record? {
        if let merge { return try merge.next() }
        guard index < memory.count else { return nil }
        defer { index += 1 }
        return memory[index]
    }
}

/// Merges sorted record files into one sorted stream (a binary heap of the runs' heads; ties go to
/// the earlier run, so the merge is deterministic).
final class KWayMerge<Record: BitwiseCopyable & Comparable> {
    private struct Head {
        var record: Record
        var reader: Int
    }

    private var readers: [RecordReader<Record>]
    private var heap: [Head] = []

    init(paths: [String], bufferBytes: Int) throws {
        readers = try paths.map { try RecordReader<Record>(path: $0, bufferBytes: max(bufferBytes, 1 << 14)) }
        for (i, reader) in readers.enumerated() {
            if let record = try reader.next() { heap.append(Head(record: record, reader: i)) }
        }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    @inline(__always)
    private func less(_ x: Head, _ y: Head) -> Bool {
        x.record < y.record || (x.record == y.record && x.reader < y.reader)
    }

    func next() throws -> Record? {
        guard let top = heap.first else { return nil }
        if let following = try readers[top.reader].next() {
            heap[0].record = following
        } else {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
        }
        if !heap.isEmpty { siftDown(0) }
        return top.record
    }

    private func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let left = 2 * i + 1
            guard left < n else { return }
            var child = left
            if left + 1 < n, less(heap[left + 1], heap[left]) { child = left + 1 }
            guard less(heap[child], heap[i]) else { return }
            heap.swapAt(i, child)
            i = child
        }
    }
}
