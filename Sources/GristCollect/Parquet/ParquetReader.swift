import GristCore
import GristParquet

/// Reads a Parquet file, one document per row: the text from `text_column`, the id from `id_column`
/// (or `FILE:ROW`), metadata from `metadata_columns` (`format: parquet`, and the files of
/// `format: hf_dataset`).
///
/// Row groups are read one at a time, only the columns needed. A row group that cannot be read (a
/// damaged page, a bad codec, a dictionary index out of range) is one `.skipped` event naming the row
/// group, column and page, and reading goes on with the next; a row whose text is null or not UTF-8
/// (under `invalid_utf8: reject`) or too large is skipped alone. A file that is not Parquet, or whose
/// footer is damaged, throws from `init`. A document's `line` is its 1-based row number and its byte
/// offset the first byte of its row group, so a build's parts follow row groups.
///
/// With a `range` of file bytes, only the row groups that start in it are read: the ranges of a
/// partition of the file read every row group once, so one big file is read by several workers.
/// Rows are then numbered from the range's first row (`recordsRead` tells the next range where to go
/// on), and ids are always the whole file's.
public struct ParquetReader: DocumentReader, RangeReader {
    public let path: String
    private let options: ParquetReaderOptions
    private let policy: InputPolicy
    private let file: ParquetFile
    private let textColumn: Int
    private let idColumn: Int?
    /// (stored name, column index) of each metadata column the file has.
    private let metadataColumns: [(String, Int)]
    /// The row groups to read, in file order.
    private let groups: [Int]
    private var groupCursor = 0
    /// The row group being read: its first row's number, its columns' values, the row inside it.
    private var current: LoadedGroup?
    /// Rows read so far in this range (or file).
    public private(set) var recordsRead = 0
    public var linesRead: Int { recordsRead }
    private var reportedEmpty = false

    private struct LoadedGroup {
        var firstRow: Int
        var rowCount: Int
        var offset: Int
        var text: ParquetColumnValues
        var id: ParquetColumnValues?
        var metadata: [(String, ParquetColumnValues)]
        var row = 0
    }

    /// - Throws: `GristError` naming the file when it is not Parquet, its footer is damaged, or it has no
    ///   column `text_column` (or that column is not text).
    public init(path: String, options: ParquetReaderOptions, policy: InputPolicy = .init(), range: Range<Int>? = nil) throws {
        self.path = path
        self.options = options
        self.policy = policy
        let file = try ParquetFile(path: path)
        self.file = file
        guard let text = file.columnIndex(named: options.textColumn) else {
            let names = file.columns.map(\.name)
            let shown = names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : "")
            throw GristError(.skip(.missingField), "no column \"\(options.textColumn)\" (columns: \(shown))",
                             at: InputPosition(path: path), hint: "set parquet.text_column to the column that holds the text")
        }
        let descriptor = file.columns[text]
        guard descriptor.physicalType == .byteArray || descriptor.physicalType == .fixedLenByteArray, !descriptor.isNested else {
            throw GristError(.skip(.missingField), "column \"\(options.textColumn)\" is not a string column",
                             at: InputPosition(path: path), hint: "set parquet.text_column to the column that holds the text")
        }
        textColumn = text
        idColumn = file.columnIndex(named: options.idColumn).flatMap { file.columns[$0].isNested ? nil : $0 }
        metadataColumns = options.metadataColumns.compactMap { name in
            file.columnIndex(named: name).flatMap { file.columns[$0].isNested ? nil : (name, $0) }
        }
        groups = file.rowGroups.indices.filter { index in
            guard let range else { return true }
            return range.contains(file.rowGroups[index].fileOffset)
        }
        firstRows = file.rowGroups.reduce(into: [0]) { $0.append($0.last! + $1.rowCount) }
        isRange = range != nil
    }

    /// The whole file's number of the first row of each row group (and the total last).
    private let firstRows: [Int]
    private let isRange: Bool

    public mutating func next() throws -> ReaderEvent? {
        while true {
            if var group = current {
                if group.row < group.rowCount {
                    let event = document(in: group)
                    group.row += 1
                    recordsRead += 1
                    current = group
                    return event
                }
                current = nil
            }
            guard groupCursor < groups.count else {
                if !isRange, file.rowCount == 0, !reportedEmpty {
                    reportedEmpty = true
                    return .skipped(GristError(.skip(.emptyFile), "file has no rows", at: InputPosition(path: path)))
                }
                return nil
            }
            let index = groups[groupCursor]
            groupCursor += 1
            do {
                current = try load(index)
            } catch let error as GristError {
                // The whole row group is skipped; its rows still count, so later rows keep their numbers.
                recordsRead += file.rowGroups[index].rowCount
                return .skipped(error)
            }
        }
    }

    private func load(_ index: Int) throws -> LoadedGroup {
        let info = file.rowGroups[index]
        return LoadedGroup(
            firstRow: firstRows[index], rowCount: info.rowCount, offset: info.fileOffset,
            text: try file.readColumn(rowGroup: index, column: textColumn),
            id: try idColumn.map { try file.readColumn(rowGroup: index, column: $0) },
            metadata: try metadataColumns.map { ($0.0, try file.readColumn(rowGroup: index, column: $0.1)) })
    }

    private func document(in group: LoadedGroup) -> ReaderEvent {
        let row = group.firstRow + group.row
        let ordinal = isRange ? recordsRead : row
        let position = InputPosition(path: path, line: ordinal + 1, byteOffset: group.offset)
        guard var text = group.text.text(ofRow: group.row) else {
            return .skipped(GristError(.skip(.missingField), "row \(row + 1): \"\(options.textColumn)\" is null",
                                       at: position))
        }
        if text.count > options.maxDocumentBytes {
            return .skipped(GristError(.skip(.recordTooLarge),
                                       "row \(row + 1): text is \(text.count) bytes, more than max_document_bytes "
                                       + "(\(options.maxDocumentBytes))", at: position,
                                       hint: "raise parquet.max_document_bytes to keep such documents"))
        }
        if let bad = UTF8Validation.firstInvalid(text.span, rejectNUL: false) {
            if policy.repairsUTF8 {
                UTF8Validation.repair(&text)
            } else {
                return .skipped(GristError(.skip(.invalidUTF8), "row \(row + 1): text is not UTF-8 (byte \(bad))",
                                           at: position, hint: "set invalid_utf8: replace to keep it with U+FFFD"))
            }
        }
        var metadata = DocumentMetadata()
        for (name, values) in group.metadata {
            if let value = values.string(ofRow: group.row) { metadata[name] = value }
        }
        let id = group.id?.string(ofRow: group.row) ?? "\(path):\(row + 1)"
        return .document(Document(id: id, text: text, ordinal: ordinal, line: ordinal + 1,
                                  byteOffset: group.offset, metadata: metadata))
    }
}
