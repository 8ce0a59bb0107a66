import GristCore

/// Writes fixed-size records (plain structs of integers, no padding) to a file, buffered.
final class RecordWriter<Record: BitwiseCopyable> {
    let path: String
    private let file: BufferedFileWriter
    private var buffer: [Record] = []
    private let capacity: Int
    private(set) var count = 0

    init(path: String, bufferBytes: Int = 1 << 16) throws {
        self.path = path
        file = try BufferedFileWriter(path: path, capacity: max(bufferBytes, 1 << 12))
        capacity = max(1, bufferBytes / MemoryLayout<Record>.stride)
        buffer.reserveCapacity(capacity)
    }

    func append(_ record: Record) throws {
        buffer.append(record)
        count += 1
        if buffer.count >= capacity { try flush() }
    }

    func append(contentsOf records: UnsafeBufferPointer<Record>) throws {
        try flush()
        try file.write(UnsafeRawBufferPointer(records))
        count += records.count
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try file.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; with `durable`, fsyncs first.
    func close(durable: Bool = false) throws {
        try flush()
        if durable { try file.sync() }
        try file.close()
    }
}

/// Reads the records a ``RecordWriter`` wrote, in order, through a buffer.
final class RecordReader<Record: BitwiseCopyable> {
    let path: String
    private let file: FileDescriptor
    private let buffer: UnsafeMutableBufferPointer<Record>
    private var filled = 0
    private var position = 0
    /// Records in the file.
    let count: Int

    init(path: String, bufferBytes: Int = 1 << 16) throws {
        self.path = path
        file = try FileDescriptor(reading: path)
        let size = Int(try file.status().st_size)
        let stride = MemoryLayout<Record>.stride
        guard size % stride == 0 else {
            throw GristError(.badFormat, "work file has \(size) bytes, not a whole number of \(stride)-byte records",
                             at: InputPosition(path: path), hint: "it was cut short by a crash: run again")
        }
        count = size / stride
        buffer = .allocate(capacity: max(1, min(bufferBytes / stride, max(count, 1))))
    }

    deinit { buffer.deallocate() }

    /// The next record, or nil at the end.
    @inline(__always)
    func next() throws -> Record? {
        if position == filled {
            try refill()
            if filled == 0 { return nil }
        }
        defer { position += 1 }
        return buffer[position]
    }

    private func refill() throws {
        position = 0
        filled = 0
        let stride = MemoryLayout<Record>.stride
        let bytes = try file.readFully(into: UnsafeMutableRawBufferPointer(buffer))
        guard bytes % stride == 0 else {
            throw GristError(.badFormat, "work file ends inside a record", at: InputPosition(path: path))
        }
        filled = bytes / stride
    }
}
