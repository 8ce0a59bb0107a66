/// Decodes the values of one column chunk's pages into one row group's `ParquetColumnValues`; one
/// implementation per family of physical types (fixed-width values, byte arrays). The page loop
/// (`ColumnChunkReader`) handles headers, decompression and definition levels, and hands each
/// decoder the values section of every page.
protocol ColumnValueDecoder {
    /// Bytes of output each row costs before any value's own bytes (spent from the budget up front).
    var bytesPerRow: Int { get }

    /// Reads a dictionary page of `count` PLAIN values.
    mutating func readDictionary(_ data: UnsafeRawBufferPointer, count: Int, budget: inout ColumnBudget) throws(DecodeFailure)

    /// Decodes a data page's `valueCount` values (its rows less its nulls) in `encoding` and puts them
    /// in rows `rowStart ..< rowStart + rowCount`. `levels` holds a definition level per row (nonzero:
    /// a value), or is nil when the page has no nulls.
    mutating func readPage(
        _ data: UnsafeRawBufferPointer, encoding: ParquetEncoding, valueCount: Int,
        levels: UnsafePointer<UInt32>?, rowStart: Int, rowCount: Int, budget: inout ColumnBudget
    ) throws(DecodeFailure)

    /// The values of all pages read, with `validity` (nil: no nulls).
    func finish(validity: [Bool]?) -> ParquetColumnValues
}
