import GristCore

/// Reads the pages of one column chunk (already in memory): page headers, decompression, definition
/// levels; the values go to a `ColumnValueDecoder`.
///
/// Pages: an optional dictionary page first, then data pages (v1: levels and values compressed
/// together, each level stream with a 4-byte length; v2: levels first, uncompressed, their lengths in
/// the header, then the values, compressed when `is_compressed`). Index pages are skipped. Reading
/// stops once the chunk's values are all read; every size is checked against the bytes left in the
/// chunk and against `ReadLimits` before a buffer is sized by it.
struct ColumnChunkReader {
    /// The chunk's stored bytes (page headers and pages).
    let chunk: UnsafeRawBufferPointer
    /// Where the chunk starts in the file, for messages.
    let location: ChunkLocation
    let codec: PageCodec
    /// Rows of the row group: the chunk's value count (columns here are flat).
    let rows: Int
    /// Whether the column is optional (definition levels of one bit, max level 1).
    let isOptional: Bool

    /// Decompressed pages (reused from page to page).
    private let pageBuffer = ScratchBuffer<UInt8>()
    /// Definition levels of one page.
    private let levelBuffer = ScratchBuffer<UInt32>()

    init(chunk: UnsafeRawBufferPointer, location: ChunkLocation, codec: PageCodec, rows: Int, isOptional: Bool) {
        self.chunk = chunk
        self.location = location
        self.codec = codec
        self.rows = rows
        self.isOptional = isOptional
    }

    /// Reads every page into `decoder`; returns the validity of the rows (nil when none is null).
    func read<Decoder: ColumnValueDecoder>(into decoder: inout Decoder, budget: inout ColumnBudget) throws(GristError) -> [Bool]? {
        var validity: [Bool] = isOptional ? [Bool](repeating: true, count: rows) : []
        var nulls = 0
        var rowsRead = 0
        var position = 0
        var page = 0
        var sawDataPage = false
        var sawDictionary = false
        var here = location
        /// How both data page versions end: the values decoded (the definition levels in `levelBuffer`
        /// place them when the page has nulls), the nulls marked, the rows counted.
        func readValues(_ values: UnsafeRawBufferPointer, encoding: Int32, count: Int,
                        pageNulls: Int) throws(DecodeFailure) {
            try decoder.readPage(
                values, encoding: try Self.encoding(encoding), valueCount: count - pageNulls,
                levels: pageNulls > 0 ? UnsafePointer(levelBuffer.pointer) : nil, rowStart: rowsRead, rowCount: count,
                budget: &budget)
            if pageNulls > 0 { markNulls(&validity, rowStart: rowsRead, count: count) }
            nulls += pageNulls
            rowsRead += count
            sawDataPage = true
        }
        do throws(DecodeFailure) {
            while rowsRead < rows {
                here.page = page
                here.fileOffset = location.fileOffset + position
                guard position < chunk.count else {
                    throw .corrupt("the column chunk's \(chunk.count) bytes end after \(rowsRead) of its \(rows) values")
                }
                var headerReader = ThriftCompactReader(chunk, position: position)
                let header: PageHeader
                do {
                    header = try PageHeader(from: &headerReader)
                } catch {
                    throw .corrupt("page header does not parse: \(error.message) (header byte \(error.offset - position))")
                }
                let bodyStart = headerReader.position
                let stored = Int(header.compressedPageSize)
                let declared = Int(header.uncompressedPageSize)
                guard stored >= 0, declared >= 0 else {
                    throw .corrupt("page declares negative sizes (\(stored) stored, \(declared) decompressed)")
                }
                guard stored <= chunk.count - bodyStart else {
                    throw .corrupt("page of \(stored) bytes runs past the end of its column chunk (\(chunk.count - bodyStart) bytes left)")
                }
                if let failure = ReadLimits.checkPage(compressed: stored, uncompressed: declared) { throw failure }
                let body = UnsafeRawBufferPointer(rebasing: chunk[bodyStart..<(bodyStart + stored)])

                switch ParquetPageType(rawValue: header.type) {
                case .dictionaryPage:
                    guard let dictionary = header.dictionaryPage else { throw .corrupt("dictionary page without its header") }
                    guard !sawDictionary, !sawDataPage else { throw .corrupt("a second dictionary page, or one after data pages") }
                    guard dictionary.encoding == ParquetEncoding.plain.rawValue
                        || dictionary.encoding == ParquetEncoding.plainDictionary.rawValue
                    else { throw .unsupported("dictionary page in encoding \(ParquetEncoding.thriftName(dictionary.encoding))") }
                    guard dictionary.numValues >= 0 else { throw .corrupt("dictionary page of \(dictionary.numValues) values") }
                    let data = try decompress(body, declared: declared)
                    try decoder.readDictionary(data, count: Int(dictionary.numValues), budget: &budget)
                    sawDictionary = true
                case .dataPage:
                    guard let dataPage = header.dataPage else { throw .corrupt("data page without its header") }
                    let count = try pageRows(Int(dataPage.numValues), left: rows - rowsRead)
                    let data = try decompress(body, declared: declared)
                    var values = data
                    var pageNulls = 0
                    if isOptional {
                        let levelBytes = try definitionLevelsV1(data, encoding: dataPage.definitionLevelEncoding, count: count)
                        pageNulls = try readLevels(levelBytes.levels, count: count, isBitPacked: levelBytes.isBitPacked)
                        values = UnsafeRawBufferPointer(rebasing: data[levelBytes.end...])
                    }
                    try readValues(values, encoding: dataPage.encoding, count: count, pageNulls: pageNulls)
                case .dataPageV2:
                    guard let v2 = header.dataPageV2 else { throw .corrupt("data page v2 without its header") }
                    let count = try pageRows(Int(v2.numValues), left: rows - rowsRead)
                    guard Int(v2.numRows) == count else {
                        throw .corrupt("data page v2 of a flat column holds \(count) values in \(v2.numRows) rows")
                    }
                    let repeatBytes = Int(v2.repetitionLevelsByteLength)
                    let defineBytes = Int(v2.definitionLevelsByteLength)
                    guard repeatBytes >= 0, defineBytes >= 0, repeatBytes + defineBytes <= min(stored, declared) else {
                        throw .corrupt("data page v2's levels (\(repeatBytes) + \(defineBytes) bytes) do not fit in the page")
                    }
                    let levelEnd = repeatBytes + defineBytes
                    var pageNulls = 0
                    if isOptional {
                        let levelBytes = UnsafeRawBufferPointer(rebasing: body[repeatBytes..<levelEnd])
                        pageNulls = try readLevels(levelBytes, count: count, isBitPacked: false)
                        guard pageNulls == Int(v2.numNulls) else {
                            throw .corrupt("data page v2 declares \(v2.numNulls) nulls, its definition levels hold \(pageNulls)")
                        }
                    } else if v2.numNulls != 0 {
                        throw .corrupt("data page v2 of a required column declares \(v2.numNulls) nulls")
                    }
                    let storedValues = UnsafeRawBufferPointer(rebasing: body[levelEnd...])
                    let values: UnsafeRawBufferPointer
                    if v2.isCompressed, codec.kind != .uncompressed {
                        values = try decompress(storedValues, declared: declared - levelEnd)
                    } else {
                        guard storedValues.count == declared - levelEnd else {
                            throw .corrupt("uncompressed data page v2 stores \(stored) bytes but declares \(declared)")
                        }
                        values = storedValues
                    }
                    try readValues(values, encoding: v2.encoding, count: count, pageNulls: pageNulls)
                case .indexPage:
                    break
                case nil:
                    throw .corrupt("unknown page type \(header.type)")
                }
                position = bodyStart + stored
                page += 1
            }
        } catch {
            throw here.error(error)
        }
        return nulls > 0 ? validity : nil
    }

    // MARK: Pieces of a page

    /// The page's value count, checked against the rows the chunk has left.
    private func pageRows(_ count: Int, left: Int) throws(DecodeFailure) -> Int {
        guard count >= 0, count <= left else {
            throw .corrupt("data page holds \(count) values, the column chunk has \(left) left of its \(rows)")
        }
        return count
    }

    /// The page's bytes decompressed to exactly `declared` bytes (the stored bytes themselves when
    /// the chunk is not compressed).
    private func decompress(_ stored: UnsafeRawBufferPointer, declared: Int) throws(DecodeFailure) -> UnsafeRawBufferPointer {
        if codec.kind == .uncompressed {
            guard stored.count == declared else {
                throw .corrupt("uncompressed page stores \(stored.count) bytes but declares \(declared)")
            }
            return stored
        }
        let output = UnsafeMutableRawBufferPointer(start: pageBuffer.reserve(max(declared, 1)), count: declared)
        try codec.decompress(stored, into: output)
        return UnsafeRawBufferPointer(output)
    }

    /// Where a v1 page's definition levels are: RLE (a 4-byte length, then the hybrid) or the
    /// deprecated BIT_PACKED (one bit per value, most significant first, no length).
    private func definitionLevelsV1(
        _ data: UnsafeRawBufferPointer, encoding: Int32, count: Int
    ) throws(DecodeFailure) -> (levels: UnsafeRawBufferPointer, end: Int, isBitPacked: Bool) {
        switch ParquetEncoding(rawValue: encoding) {
        case .rle:
            guard data.count >= 4 else { throw .corrupt("definition levels without their 4-byte length") }
            let length = Int(data.loadUnaligned(as: UInt32.self).littleEndian)
            guard length <= data.count - 4 else {
                throw .corrupt("definition levels of \(length) bytes run past the page (\(data.count - 4) bytes left)")
            }
            return (UnsafeRawBufferPointer(rebasing: data[4..<(4 + length)]), 4 + length, false)
        case .bitPacked:
            let length = (count + 7) / 8
            guard length <= data.count else { throw .corrupt("bit-packed definition levels run past the page") }
            return (UnsafeRawBufferPointer(rebasing: data[0..<length]), length, true)
        default:
            throw .unsupported("definition levels in encoding \(ParquetEncoding.thriftName(encoding))")
        }
    }

    /// Decodes `count` definition levels (0 null, 1 a value) into `levelBuffer`; returns the nulls.
    private func readLevels(_ bytes: UnsafeRawBufferPointer, count: Int, isBitPacked: Bool) throws(DecodeFailure) -> Int {
        let levels = levelBuffer.reserve(max(count, 1))
        if isBitPacked {
            for i in 0..<count { levels[i] = UInt32((bytes[i >> 3] >> UInt8(7 - (i & 7))) & 1) }
        } else {
            var decoder = try RLEHybridDecoder(bytes, bitWidth: 1)
            try decoder.decode(count: count, into: levels)
        }
        var values = 0
        for i in 0..<count {
            guard levels[i] <= 1 else { throw .corrupt("definition level \(levels[i]) over the column's maximum of 1") }
            values += Int(levels[i])
        }
        return count - values
    }

    /// Marks the rows whose level in `levelBuffer` is 0 as null.
    private func markNulls(_ validity: inout [Bool], rowStart: Int, count: Int) {
        let levels = levelBuffer.pointer
        for i in 0..<count where levels[i] == 0 { validity[rowStart + i] = false }
    }

    private static func encoding(_ raw: Int32) throws(DecodeFailure) -> ParquetEncoding {
        guard let encoding = ParquetEncoding(rawValue: raw), encoding != .bitPacked else {
            throw .unsupported("values in encoding \(ParquetEncoding.thriftName(raw))")
        }
        return encoding
    }

}
