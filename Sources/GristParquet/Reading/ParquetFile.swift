import GristCore

#if canImport(Glibc)
import Glibc
#endif

/// A Parquet file opened for reading: its footer is read and checked when it opens, its column
/// chunks one at a time on demand, with positioned reads (so one value may serve several threads).
///
/// Every size and offset of the metadata is checked against the file's size and `ReadLimits` before
/// anything is allocated by it. Errors are `GristError`s naming the file (and, for a column read,
/// the row group, column and page, counted from 0, at the page's byte):
/// - the file cannot be opened or read: `.io`;
/// - empty: `.skip(.emptyFile)`; too short, or not ending with `PAR1`: `.skip(.truncated)`;
/// - not starting with `PAR1` (not Parquet), or encrypted: `.badFormat`;
/// - a footer that does not parse, sizes or offsets that lie, bad page data: `.skip(.corrupt)`;
/// - a page (or column chunk) that expands more than `ReadLimits` allow: `.skip(.decompressionBomb)`;
/// - a codec or encoding this reader does not implement (LZO, Hadoop LZ4): `.badFormat`;
/// - asking for a nested column, or for a row group or column that does not exist: `.usage`.
public final class ParquetFile: @unchecked Sendable {
    /// The file's path, as given.
    public let path: String
    /// Rows in the file (the sum of its row groups').
    public let rowCount: Int
    /// The top-level columns in schema order (nested ones included, marked `isNested`).
    public let columns: [ParquetColumnDescriptor]
    public let rowGroups: [ParquetRowGroupInfo]

    private let file: FileDescriptor
    private let metadata: FileMetaData
    /// The first byte of the footer: column chunks lie in `4 ..< dataEnd`.
    private let dataEnd: Int

    /// Opens `path` and reads its magic numbers and footer.
    public init(path: String) throws {
        self.path = path
        let file = try FileDescriptor(reading: path)
        self.file = file
        let info = try file.status()
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw GristError(.io, "not a regular file", at: InputPosition(path: path))
        }
        let size = Int(info.st_size)
        let (metadata, dataEnd) = try Self.readFooter(file, size: size)
        self.metadata = metadata
        self.dataEnd = dataEnd

        let at = InputPosition(path: path, byteOffset: dataEnd)
        let columns: [ParquetColumnDescriptor]
        let leaves: Int
        switch ParquetSchema.columns(of: metadata.schema) {
        case .success(let schema): (columns, leaves) = schema
        case .failure(let failure): throw GristError(.skip(.corrupt), "bad schema in the file metadata: \(failure.message)", at: at)
        }
        self.columns = columns

        var infos: [ParquetRowGroupInfo] = []
        var total = 0
        for (index, group) in metadata.rowGroups.enumerated() {
            guard group.numRows >= 0, group.numRows <= Int64(ReadLimits.maxRowsPerRowGroup) else {
                throw GristError(.skip(.corrupt), "row group \(index) declares \(group.numRows) rows", at: at)
            }
            guard group.columns.count == leaves else {
                throw GristError(
                    .skip(.corrupt), "row group \(index) has \(group.columns.count) column chunks, the schema \(leaves) columns", at: at)
            }
            let rows = Int(group.numRows)
            total += rows
            let first = group.columns.first?.metaData.map(Self.chunkStart) ?? Int(group.fileOffset ?? 0)
            let compressed = group.totalCompressedSize
                ?? group.columns.reduce(Int64(0)) { $0 &+ max(0, $1.metaData?.totalCompressedSize ?? 0) }
            infos.append(ParquetRowGroupInfo(rowCount: rows, fileOffset: first, compressedBytes: Int(max(0, compressed))))
        }
        guard metadata.numRows == Int64(total) else {
            throw GristError(
                .skip(.corrupt), "the file metadata declares \(metadata.numRows) rows, its row groups hold \(total)", at: at)
        }
        rowCount = total
        rowGroups = infos
    }

    /// The index in `columns` of the top-level column `name`, if there is one.
    public func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// Reads one column chunk whole (all its pages) of one row group: a value per row of the row group.
    public func readColumn(rowGroup: Int, column: Int) throws -> ParquetColumnValues {
        guard rowGroups.indices.contains(rowGroup) else {
            throw GristError(.usage, "row group \(rowGroup) does not exist (the file has \(rowGroups.count))",
                             at: InputPosition(path: path))
        }
        guard columns.indices.contains(column) else {
            throw GristError(.usage, "column \(column) does not exist (the file has \(columns.count))", at: InputPosition(path: path))
        }
        let descriptor = columns[column]
        let rows = rowGroups[rowGroup].rowCount
        var location = ChunkLocation(
            path: path, rowGroup: rowGroup, column: descriptor.name, page: nil, fileOffset: rowGroups[rowGroup].fileOffset)
        guard !descriptor.isNested else {
            throw location.error(.usage, "a nested column (a group or repeated field): only flat columns are read",
                                 hint: "pick a top-level column of a primitive type")
        }
        let chunk = metadata.rowGroups[rowGroup].columns[descriptor.leafIndex]
        guard chunk.filePath == nil else {
            throw location.error(.badFormat, "the column chunk is in another file (\(chunk.filePath!)), which is not supported")
        }
        guard let meta = chunk.metaData else {
            throw location.error(.skip(.corrupt), "the column chunk has no metadata (an encrypted column?)")
        }
        let start = Self.chunkStart(meta)
        location.fileOffset = start
        guard meta.type == descriptor.physicalType.rawValue else {
            throw location.error(.skip(.corrupt), "the column chunk's physical type \(meta.type) is not the schema's "
                                 + descriptor.physicalType.thriftName)
        }
        let codec: PageCodec
        do { codec = try PageCodec(rawCodec: meta.codec) } catch { throw location.error(error) }
        // An empty row group's chunk is not read (pyarrow writes one with no data page, at offset 0).
        let length = rows == 0 ? 0 : meta.totalCompressedSize
        guard rows == 0 || (start >= parquetMagic.count && length >= 0 && Int64(start) + length <= Int64(dataEnd)) else {
            throw location.error(.skip(.corrupt), "the column chunk's bytes \(start) ..< \(Int64(start) + length) lie outside "
                                 + "the file's data (bytes 4 ..< \(dataEnd))")
        }
        guard meta.numValues == Int64(rows) else {
            throw location.error(.skip(.corrupt), "the column chunk holds \(meta.numValues) values for the row group's \(rows) rows")
        }

        let stored = Int(length)
        var budget = ColumnBudget(storedBytes: stored)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(stored, 1), alignment: 16)
        defer { buffer.deallocate() }
        let bytes = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<stored])
        let got = try file.readFully(into: bytes, at: start)
        guard got == stored else {
            throw location.error(.skip(.truncated), "the file ends inside the column chunk (\(got) of its \(stored) bytes)")
        }
        let reader = ColumnChunkReader(
            chunk: UnsafeRawBufferPointer(bytes), location: location, codec: codec, rows: rows, isOptional: descriptor.isOptional)
        // A hint for the byte buffer's first allocation, never more than the data could decode to cheaply.
        let expected = Int(min(max(meta.totalUncompressedSize, 0), Int64(stored) * 8 + (1 << 20)))

        switch descriptor.physicalType {
        case .boolean:
            return try read(reader, FixedWidthColumnDecoder<Bool>(rows: rows) { .booleans(ParquetFixedValues(values: $0, validity: $1)) },
                            &budget, location)
        case .int32:
            if descriptor.isDate {
                return try read(reader, FixedWidthColumnDecoder<Int32>(rows: rows) { .dates(ParquetFixedValues(values: $0, validity: $1)) },
                                &budget, location)
            }
            if descriptor.isUnsigned {
                return try read(reader, FixedWidthColumnDecoder<Int32>(rows: rows) {
                    .int64s(ParquetFixedValues(values: $0.map { Int64(UInt32(bitPattern: $0)) }, validity: $1))
                }, &budget, location)
            }
            return try read(reader, FixedWidthColumnDecoder<Int32>(rows: rows) { .int32s(ParquetFixedValues(values: $0, validity: $1)) },
                            &budget, location)
        case .int64:
            if let unit = descriptor.timestampUnit {
                let utc = descriptor.isAdjustedToUTC
                return try read(reader, FixedWidthColumnDecoder<Int64>(rows: rows) {
                    .timestamps(ParquetFixedValues(values: $0, validity: $1), unit: unit, adjustedToUTC: utc)
                }, &budget, location)
            }
            if descriptor.isUnsigned {
                return try read(reader, FixedWidthColumnDecoder<Int64>(rows: rows) {
                    .uint64s(ParquetFixedValues(values: $0.map { UInt64(bitPattern: $0) }, validity: $1))
                }, &budget, location)
            }
            return try read(reader, FixedWidthColumnDecoder<Int64>(rows: rows) { .int64s(ParquetFixedValues(values: $0, validity: $1)) },
                            &budget, location)
        case .int96:
            return try read(reader, FixedWidthColumnDecoder<Int96Nanoseconds>(rows: rows) {
                .timestamps(ParquetFixedValues(values: $0.map(\.nanoseconds), validity: $1), unit: .nanoseconds, adjustedToUTC: false)
            }, &budget, location)
        case .float:
            return try read(reader, FixedWidthColumnDecoder<Float>(rows: rows) { .floats(ParquetFixedValues(values: $0, validity: $1)) },
                            &budget, location)
        case .double:
            return try read(reader, FixedWidthColumnDecoder<Double>(rows: rows) { .doubles(ParquetFixedValues(values: $0, validity: $1)) },
                            &budget, location)
        case .byteArray:
            return try read(reader, ByteArrayColumnDecoder(rows: rows, fixedLength: nil, expectedBytes: expected), &budget, location)
        case .fixedLenByteArray:
            return try read(reader, ByteArrayColumnDecoder(rows: rows, fixedLength: descriptor.typeLength ?? 0, expectedBytes: expected),
                            &budget, location)
        }
    }

    /// Spends the rows' fixed cost, reads the pages into `decoder` and returns its values.
    private func read<Decoder: ColumnValueDecoder>(
        _ reader: ColumnChunkReader, _ decoder: Decoder, _ budget: inout ColumnBudget, _ location: ChunkLocation
    ) throws(GristError) -> ParquetColumnValues {
        var decoder = decoder
        let perRow = decoder.bytesPerRow + (reader.isOptional ? 1 : 0)
        do {
            try budget.spend(reader.rows * perRow, for: "\(reader.rows) rows of \(perRow) bytes")
        } catch {
            throw location.error(error)
        }
        let validity = try reader.read(into: &decoder, budget: &budget)
        return decoder.finish(validity: validity)
    }

    // MARK: The footer

    /// Where a column chunk's first page is: its dictionary page when it has one before the data
    /// pages (some writers set `dictionary_page_offset` to 0 when there is none).
    static func chunkStart(_ meta: ColumnMetaData) -> Int {
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < meta.dataPageOffset {
            return Int(clamping: dictionary)
        }
        return Int(clamping: meta.dataPageOffset)
    }

    /// Checks the magic numbers and reads the footer: the metadata and where the footer starts.
    private static func readFooter(_ file: FileDescriptor, size: Int) throws -> (FileMetaData, Int) {
        let path = file.path
        guard size > 0 else {
            throw GristError(.skip(.emptyFile), "empty file: not a Parquet file", at: InputPosition(path: path))
        }
        var head = [UInt8](repeating: 0, count: min(4, size))
        _ = try head.withUnsafeMutableBytes { try file.readFully(into: $0, at: 0) }
        if head == Array("PARE".utf8) {
            throw GristError(.badFormat, "an encrypted Parquet file (magic PARE): not supported", at: InputPosition(path: path))
        }
        guard head == Array(parquetMagic.prefix(head.count)) else {
            throw GristError(.badFormat, "not a Parquet file: it starts with \(hex(head)), not PAR1", at: InputPosition(path: path))
        }
        let minimum = 2 * parquetMagic.count + 4
        guard size >= minimum else {
            throw GristError(.skip(.truncated), "truncated Parquet file: \(size) bytes, less than the \(minimum) of the "
                             + "smallest one", at: InputPosition(path: path))
        }
        var tail = [UInt8](repeating: 0, count: 8)
        _ = try tail.withUnsafeMutableBytes { try file.readFully(into: $0, at: size - 8) }
        guard Array(tail[4..<8]) == parquetMagic else {
            throw GristError(.skip(.truncated), "truncated Parquet file: it ends with \(hex(Array(tail[4..<8]))), not PAR1, so "
                             + "its footer is missing", at: InputPosition(path: path, byteOffset: size - 4))
        }
        let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard length <= size - minimum else {
            throw GristError(.skip(.corrupt), "the footer length \(length) points outside the file (\(size) bytes)",
                             at: InputPosition(path: path, byteOffset: size - 8))
        }
        guard length <= ReadLimits.maxFooterBytes else {
            throw GristError(.skip(.corrupt), "the footer of \(length) bytes is over the limit of \(ReadLimits.maxFooterBytes)",
                             at: InputPosition(path: path, byteOffset: size - 8))
        }
        let footerStart = size - 8 - length
        let footer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 1), alignment: 16)
        defer { footer.deallocate() }
        let bytes = UnsafeMutableRawBufferPointer(rebasing: footer[0..<length])
        guard try file.readFully(into: bytes, at: footerStart) == length else {
            throw GristError(.skip(.truncated), "the file ends inside its footer", at: InputPosition(path: path, byteOffset: footerStart))
        }
        var reader = ThriftCompactReader(UnsafeRawBufferPointer(bytes))
        do {
            return (try FileMetaData(from: &reader), footerStart)
        } catch {
            throw GristError(.skip(.corrupt), "the file metadata does not parse: \(error.message) (footer byte \(error.offset))",
                             at: InputPosition(path: path, byteOffset: footerStart + error.offset))
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return bytes.map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }.joined(separator: " ")
    }
}
