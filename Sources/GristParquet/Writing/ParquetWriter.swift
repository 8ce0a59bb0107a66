#if canImport(Glibc)
import Glibc
#endif
import GristCore

/// Writes a flat Parquet file row by row: the kept documents of a build, with their metadata, in a form
/// that pyarrow, polars and DuckDB read (`make parquet-check`).
///
/// Each column's pages are encoded and compressed as they fill (`pageBytes`, `pageRows`) and kept in
/// memory until the row group's values reach `rowGroupBytes`; the column chunks are then written one
/// after another (dictionary page first), and `finish()` adds the footer. The file is written under a
/// temporary name and renamed into place by `finish()`, so `path` holds either the earlier file or the
/// whole new one; a writer dropped before `finish()` (or after an error) removes its temporary file.
/// The same rows and options always give the same bytes. What is written: data page v1 (or v2), PLAIN
/// and RLE_DICTIONARY values, RLE definition levels, SNAPPY, ZSTD or no compression; the subset
/// `GristParquet`'s reader reads.
///
/// Memory: one row group's compressed pages, plus a page of each column in progress.
public final class ParquetWriter {
    public let path: String
    public let columns: [ParquetColumnSpec]
    public let options: ParquetWriterOptions
    /// Rows appended so far.
    public private(set) var rowCount = 0

    private let temporaryPath: String
    /// The finished file's SHA-256 (hex), with `options.hashing`.
    public private(set) var sha256: String?
    /// The finished file's size in bytes.
    public private(set) var byteCount = 0
    private var file: BufferedFileWriter?
    private let chunks: [ColumnChunkWriter]
    private var footer: ParquetFooterEncoder
    private var groupRows = 0
    private var groupBytes = 0
    private var state = State.open

    private enum State { case open, finished, failed }

    /// Creates the temporary file and writes the leading magic.
    /// - Throws: `GristError` `.usage` for no columns, an empty or repeated name, a codec other than
    ///   SNAPPY, ZSTD or UNCOMPRESSED, or sizes below 1; `.io` when the file cannot be created.
    public init(path: String, columns: [ParquetColumnSpec], options: ParquetWriterOptions = ParquetWriterOptions()) throws {
        try Self.check(columns: columns, options: options, path: path)
        self.path = path
        self.columns = columns
        self.options = options
        temporaryPath = path + ".tmp-\(getpid())"
        let compressor = try PageCompressor(codec: options.compression, zstdLevel: options.zstdLevel)
        chunks = columns.map { ColumnChunkWriter(column: $0, options: options, compressor: compressor) }
        footer = ParquetFooterEncoder(columns: columns, codec: options.compression, createdBy: options.createdBy,
                                      metadata: options.metadata)
        // A small buffer: page bodies (most above it) go to the file straight from their chunk.
        let file = try BufferedFileWriter(path: temporaryPath, capacity: 64 << 10, hashing: options.hashing)
        self.file = file
        do {
            try file.write(parquetMagic)
        } catch {
            abandon()
            throw error
        }
    }

    deinit {
        if state != .finished { abandon() }
    }

    /// Adds one row: a value for each column, in column order, nil for null (nullable columns only).
    /// - Throws: `.usage` when the row does not fit the columns (nothing of it is written then);
    ///   `.io` when a row group cannot be written, after which the writer refuses further calls.
    public func append(_ row: [ParquetValue?]) throws {
        guard state == .open else { throw closedError() }
        guard row.count == columns.count else {
            throw GristError(.usage, "a row of \(row.count) values for \(columns.count) columns", at: InputPosition(path: path))
        }
        var bytes = 0
        for (index, value) in row.enumerated() {
            let column = columns[index]
            guard let value else {
                guard column.nullable else {
                    throw GristError(.usage, "column \(column.name) is not nullable: row \(rowCount) gives it null",
                                     at: InputPosition(path: path))
                }
                continue
            }
            guard value.fits(column.kind) else {
                throw GristError(.usage, "column \(column.name) holds \(column.kind) values: row \(rowCount) gives it \(value.kindName)",
                                 at: InputPosition(path: path))
            }
            guard value.byteSize <= ParquetValue.maxByteCount else {
                throw GristError(.usage, "column \(column.name): row \(rowCount) gives a value of \(value.byteSize) bytes, past Parquet's 2 GiB",
                                 at: InputPosition(path: path))
            }
            bytes += value.byteSize
        }
        try failing {
            for (index, value) in row.enumerated() { try chunks[index].append(value) }
            rowCount += 1
            groupRows += 1
            groupBytes += bytes
            if groupBytes >= options.rowGroupBytes { try closeRowGroup() }
        }
    }

    /// Writes the last row group and the footer, makes the file durable and renames it into place.
    /// A file of no rows is valid: its footer lists the columns and no row groups.
    public func finish() throws {
        guard state == .open, let file else { throw closedError() }
        try failing {
            try closeRowGroup()
            let metadata = footer.encoded()
            try file.write(metadata)
            try file.write(littleEndian: UInt32(metadata.count))
            try file.write(parquetMagic)
            try file.sync()
            try file.close()
            sha256 = file.sha256()
            byteCount = file.bytesWritten
            self.file = nil
            try AtomicFile.commit(temporary: temporaryPath, to: path)
            state = .finished
        }
    }

    private func closeRowGroup() throws {
        guard groupRows > 0, let file else { return }
        let start = file.bytesWritten
        let written = try chunks.map { try $0.write(to: file) }
        footer.rowGroups.append(.init(columns: written, rowCount: groupRows, fileOffset: start))
        groupRows = 0
        groupBytes = 0
    }

    /// Runs `body`; an error leaves the writer failed (its temporary file removed).
    private func failing(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            abandon()
            throw error
        }
    }

    private func abandon() {
        state = .failed
        file = nil  // closes the descriptor
        unlink(temporaryPath)
    }

    private func closedError() -> GristError {
        GristError(.usage, state == .finished ? "the Parquet file is already finished" : "an earlier error stopped this Parquet writer",
                   at: InputPosition(path: path))
    }

    private static func check(columns: [ParquetColumnSpec], options: ParquetWriterOptions, path: String) throws {
        let position = InputPosition(path: path)
        guard !columns.isEmpty else { throw GristError(.usage, "a Parquet file needs at least one column", at: position) }
        var names: Set<String> = []
        for column in columns {
            guard !column.name.isEmpty else { throw GristError(.usage, "a Parquet column needs a name", at: position) }
            guard names.insert(column.name).inserted else {
                throw GristError(.usage, "two Parquet columns are named \(column.name)", at: position)
            }
        }
        for (name, value) in [("rowGroupBytes", options.rowGroupBytes), ("pageBytes", options.pageBytes),
                              ("pageRows", options.pageRows), ("dictionaryPageBytes", options.dictionaryPageBytes)] where value < 1 {
            throw GristError(.usage, "ParquetWriterOptions.\(name) is \(value): it must be at least 1", at: position)
        }
    }
}
