import GristCore

/// One column's chunk of the row group being written. Values go into the page in progress; a page
/// that reaches `pageBytes` or `pageRows` is encoded and compressed into `bodies`, its header kept in
/// `pages`, until the row group ends and `write(to:)` stores the chunk: its dictionary page first,
/// then the data pages.
///
/// A page holds the definition levels of a nullable column (1 a value, 0 a null; RLE / bit-packed,
/// bit width 1) and the non-null values: PLAIN, or for a string column, while its dictionary stays
/// within `dictionaryPageBytes`, RLE_DICTIONARY indices (a bit-width byte, then RLE / bit-packed).
/// The value that takes the dictionary past the limit still goes in it; the page is closed there and
/// the rest of the chunk is PLAIN, as Arrow and parquet-mr fall back. The next chunk starts a new
/// dictionary.
final class ColumnChunkWriter {
    let column: ParquetColumnSpec
    private let options: ParquetWriterOptions
    private let compressor: PageCompressor

    // The page in progress.
    private var levels: [UInt8] = []
    /// PLAIN values; booleans one byte each until the page is packed.
    private var values: [UInt8] = []
    private var indices: [UInt32] = []
    private var pageRows = 0
    private var pageNulls = 0
    // Scratch of a closing page: its encoded levels (v1: with their length), its encoded values
    // (dictionary indices, packed booleans), and v1's levels and values joined for the codec.
    private var levelSection: [UInt8] = []
    private var valueSection: [UInt8] = []
    private var joined: [UInt8] = []

    // The chunk so far.
    private var dictionary = ByteArrayDictionary()
    private var encodesDictionary: Bool
    private var dictionaryPages = 0
    /// The chunk's data pages: each header, and where its body lies in `bodies`.
    private var pages: [(header: [UInt8], body: Range<Int>)] = []
    private let bodies = ChunkBuffer()
    private var pagesUncompressedSize = 0
    private var rows = 0
    private var statistics = ColumnStatistics()
    private var pageCounts: [ParquetFooterEncoder.ColumnChunk.PageCount] = []

    init(column: ParquetColumnSpec, options: ParquetWriterOptions, compressor: PageCompressor) {
        self.column = column
        self.options = options
        self.compressor = compressor
        encodesDictionary = Self.startsWithDictionary(column, options)
    }

    private static func startsWithDictionary(_ column: ParquetColumnSpec, _ options: ParquetWriterOptions) -> Bool {
        options.dictionary && column.kind == .string
    }

    /// Adds one row's value; the caller has checked that it fits the column (nil only when nullable).
    func append(_ value: ParquetValue?) throws {
        pageRows += 1
        if let value {
            if column.nullable { levels.append(1) }
            switch value {
            case .bytes(let bytes): try append(bytes: bytes)
            case .byteArray(let array): try array.withUnsafeBytes { try append(bytes: $0) }
            case .int64(let number):
                withUnsafeBytes(of: number.littleEndian) { values.append(contentsOf: $0) }
                if options.statistics { statistics.add(number) }
            case .double(let number):
                withUnsafeBytes(of: number.bitPattern.littleEndian) { values.append(contentsOf: $0) }
                if options.statistics { statistics.add(number) }
            case .bool(let flag):
                values.append(flag ? 1 : 0)
                if options.statistics { statistics.add(flag) }
            }
        } else {
            levels.append(0)
            pageNulls += 1
        }
        if pageRows >= options.pageRows || estimatedPageBytes >= options.pageBytes { try closePage() }
    }

    private func append(bytes: UnsafeRawBufferPointer) throws {
        assert(bytes.count <= ParquetValue.maxByteCount, "ParquetWriter.append checks the length")
        if encodesDictionary {
            let (index, isNew) = dictionary.index(of: bytes)
            indices.append(index)
            if isNew && options.statistics { statistics.add(bytes, limit: options.statisticsMaxBytes) }
            if dictionary.plain.count > options.dictionaryPageBytes {
                try closePage()
                encodesDictionary = false
            }
            return
        }
        var length = UInt32(bytes.count).littleEndian
        withUnsafeBytes(of: &length) { values.append(contentsOf: $0) }
        values.append(contentsOf: bytes)
        if options.statistics { statistics.add(bytes, limit: options.statisticsMaxBytes) }
    }

    /// The page's encoded size so far, roughly: what `pageBytes` is compared with.
    private var estimatedPageBytes: Int {
        let levelBytes = levels.count / 8
        if encodesDictionary { return levelBytes + indices.count * RLEHybridEncoder.bitWidth(forValuesBelow: dictionary.count) / 8 }
        return levelBytes + (column.kind == .boolean ? values.count / 8 : values.count)
    }

    /// Encodes, compresses and keeps the page in progress (nothing when it is empty).
    private func closePage() throws {
        guard pageRows > 0 else { return }
        let usesDictionary = encodesDictionary && dictionary.count > 0
        let encoding: ParquetEncoding = usesDictionary ? .rleDictionary : .plain
        levelSection.removeAll(keepingCapacity: true)
        if column.nullable {
            // v1 prefixes the levels with their length, v2 gives it in the header.
            let lengthPrefix = options.dataPageVersion == .v1 ? 4 : 0
            levelSection.append(contentsOf: repeatElement(0, count: lengthPrefix))
            levels.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 1, into: &levelSection) }
            let length = UInt32(levelSection.count - lengthPrefix)
            for byte in 0..<lengthPrefix { levelSection[byte] = UInt8(truncatingIfNeeded: length >> (8 * byte)) }
        }
        valueSection.removeAll(keepingCapacity: true)
        if usesDictionary {
            let bitWidth = RLEHybridEncoder.bitWidth(forValuesBelow: dictionary.count)
            valueSection.append(UInt8(bitWidth))
            indices.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: bitWidth, into: &valueSection) }
        } else if column.kind == .boolean {
            packBooleans()
        }
        // PLAIN strings and numbers go to the codec from where they were appended.
        let encodedValues = usesDictionary || column.kind == .boolean
        try (encodedValues ? valueSection : values).withUnsafeBytes { try store(encoding: encoding, values: $0) }

        count(options.dataPageVersion == .v1 ? .dataPage : .dataPageV2, encoding)
        if usesDictionary { dictionaryPages += 1 }
        rows += pageRows
        statistics.nullCount += pageNulls
        levels.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
        pageRows = 0
        pageNulls = 0
    }

    /// Compresses the page of `levelSection` and `values` into `bodies` and keeps its header.
    private func store(encoding: ParquetEncoding, values: UnsafeRawBufferPointer) throws {
        let uncompressedSize = levelSection.count + values.count
        guard uncompressedSize <= Int(Int32.max) else {
            throw GristError(.usage, "column \(column.name): a page of \(uncompressedSize) bytes is past Parquet's 2 GiB")
        }
        let start = bodies.count
        let header: [UInt8]
        if options.dataPageVersion == .v1 {
            // The codec takes the whole page: levels and values together.
            if levelSection.isEmpty {
                try compressor.compress(values, appendingTo: bodies)
            } else {
                joined.removeAll(keepingCapacity: true)
                joined.append(contentsOf: levelSection)
                joined.append(contentsOf: values)
                try joined.withUnsafeBytes { try compressor.compress($0, appendingTo: bodies) }
            }
            header = PageHeaderEncoder.dataPage(values: pageRows, encoding: encoding, uncompressedSize: uncompressedSize,
                                                compressedSize: bodies.count - start)
        } else {
            // v2: the levels stay uncompressed ahead of the compressed values.
            bodies.append(levelSection)
            try compressor.compress(values, appendingTo: bodies)
            header = PageHeaderEncoder.dataPageV2(
                values: pageRows, nulls: pageNulls, encoding: encoding, levelBytes: levelSection.count,
                isCompressed: compressor.codec != .uncompressed,
                uncompressedSize: uncompressedSize, compressedSize: bodies.count - start)
        }
        guard bodies.count - start <= Int(Int32.max) else {
            throw GristError(.usage, "column \(column.name): a compressed page of \(bodies.count - start) bytes is past Parquet's 2 GiB")
        }
        pages.append((header, start..<bodies.count))
        pagesUncompressedSize += header.count + uncompressedSize
    }

    /// PLAIN booleans: one bit each, the first value in the lowest bit.
    private func packBooleans() {
        var byte: UInt8 = 0
        for (index, flag) in values.enumerated() {
            byte |= flag << UInt8(index & 7)
            if index & 7 == 7 {
                valueSection.append(byte)
                byte = 0
            }
        }
        if values.count & 7 != 0 { valueSection.append(byte) }
    }

    private func count(_ type: ParquetPageType, _ encoding: ParquetEncoding) {
        if let index = pageCounts.firstIndex(where: { $0.type == type && $0.encoding == encoding }) {
            pageCounts[index].count += 1
        } else {
            pageCounts.append(.init(type: type, encoding: encoding, count: 1))
        }
    }

    /// Closes the last page, writes the chunk (dictionary page, then data pages) at the file's end,
    /// and starts an empty chunk for the next row group; returns what the footer records of it.
    func write(to file: BufferedFileWriter) throws -> ParquetFooterEncoder.ColumnChunk {
        try closePage()
        let start = file.bytesWritten
        var uncompressedSize = pagesUncompressedSize
        var dictionaryPageOffset: Int?
        var counts = pageCounts
        if dictionaryPages > 0 {
            dictionaryPageOffset = start
            let bodyStart = bodies.count
            try dictionary.plain.withUnsafeBytes { try compressor.compress($0, appendingTo: bodies) }
            let header = PageHeaderEncoder.dictionaryPage(count: dictionary.count, uncompressedSize: dictionary.plain.count,
                                                          compressedSize: bodies.count - bodyStart)
            try file.write(header)
            try bodies.withBytes(bodyStart..<bodies.count) { try file.write($0) }
            uncompressedSize += header.count + dictionary.plain.count
            counts.insert(.init(type: .dictionaryPage, encoding: .plain, count: 1), at: 0)
        }
        let dataPageOffset = file.bytesWritten
        for page in pages {
            try file.write(page.header)
            try bodies.withBytes(page.body) { try file.write($0) }
        }
        let compressedSize = file.bytesWritten - start

        var encodings: Set<ParquetEncoding> = []
        for pages in counts { encodings.insert(pages.encoding) }
        if column.nullable { encodings.insert(.rle) }
        let range = options.statistics ? statistics.encodedRange(column.kind) : nil
        let chunk = ParquetFooterEncoder.ColumnChunk(
            encodings: encodings.sorted { $0.rawValue < $1.rawValue }, valueCount: rows,
            uncompressedSize: uncompressedSize, compressedSize: compressedSize,
            dataPageOffset: dataPageOffset, dictionaryPageOffset: dictionaryPageOffset,
            nullCount: options.statistics ? statistics.nullCount : nil,
            minValue: range?.min, maxValue: range?.max, pageCounts: counts)

        pages.removeAll(keepingCapacity: true)
        bodies.removeAll()
        pagesUncompressedSize = 0
        dictionary.removeAll()
        encodesDictionary = Self.startsWithDictionary(column, options)
        dictionaryPages = 0
        rows = 0
        statistics = ColumnStatistics()
        pageCounts = []
        return chunk
    }
}
