/// Decodes pages of BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY values into one buffer and offsets
/// (`ParquetByteArrays`): each value's bytes are copied once, from the page (or dictionary) into the
/// column's buffer; nothing is allocated per value.
struct ByteArrayColumnDecoder: ColumnValueDecoder {
    /// FIXED_LEN_BYTE_ARRAY's width; nil for BYTE_ARRAY.
    let fixedLength: Int?
    private var bytes: [UInt8] = []
    private var offsets: [Int]
    private var dictionaryBytes: [UInt8] = []
    /// `count + 1` offsets of the dictionary's values in `dictionaryBytes`.
    private var dictionaryOffsets: [Int] = []
    private var hasDictionary = false
    private var views = ByteArrayViews()
    private var suffixViews = ByteArrayViews()
    /// Values that are not in the page as they are (DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT), rebuilt.
    private var rebuilt: [UInt8] = []
    private var prefixScratch: [Int64] = []
    private var lengthScratch: [Int64] = []
    private let indices = ScratchBuffer<UInt32>()

    /// A decoder for `rows` rows; `expectedBytes` is a hint of the values' total size.
    init(rows: Int, fixedLength: Int?, expectedBytes: Int) {
        self.fixedLength = fixedLength
        offsets = [Int](repeating: 0, count: rows + 1)
        bytes.reserveCapacity(expectedBytes)
    }

    var bytesPerRow: Int { MemoryLayout<Int>.stride }

    mutating func readDictionary(_ data: UnsafeRawBufferPointer, count: Int, budget: inout ColumnBudget) throws(DecodeFailure) {
        // Its places (two Ints a value while reading, one kept), then its bytes.
        try budget.spend(count * 3 * MemoryLayout<Int>.stride, for: "a dictionary of \(count) values")
        try findPlain(data, count: count)
        try budget.spend(views.totalBytes, for: "a dictionary of \(views.totalBytes) bytes")
        var entries: [UInt8] = []
        entries.reserveCapacity(views.totalBytes)
        var entryOffsets = [Int](repeating: 0, count: count + 1)
        for i in 0..<count {
            let start = views.starts[i]
            entries.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[start..<(start + views.lengths[i])]))
            entryOffsets[i + 1] = entries.count
        }
        dictionaryBytes = entries
        dictionaryOffsets = entryOffsets
        hasDictionary = true
    }

    mutating func readPage(
        _ data: UnsafeRawBufferPointer, encoding: ParquetEncoding, valueCount: Int,
        levels: UnsafePointer<UInt32>?, rowStart: Int, rowCount: Int, budget: inout ColumnBudget
    ) throws(DecodeFailure) {
        switch encoding {
        case .plain:
            try findPlain(data, count: valueCount)
            try budget.spend(views.totalBytes, for: "page values of \(views.totalBytes) bytes")
            append(views, from: data, levels: levels, rowStart: rowStart, rowCount: rowCount)
        case .plainDictionary, .rleDictionary:
            try appendFromDictionary(data, valueCount: valueCount, levels: levels, rowStart: rowStart, rowCount: rowCount,
                                     budget: &budget)
        case .deltaLengthByteArray where fixedLength == nil:
            try DeltaLengthByteArrayDecoding.decode(data, count: valueCount, lengths: &lengthScratch, into: &views)
            try budget.spend(views.totalBytes, for: "page values of \(views.totalBytes) bytes")
            append(views, from: data, levels: levels, rowStart: rowStart, rowCount: rowCount)
        case .deltaByteArray:
            try DeltaByteArrayDecoding.decode(
                data, count: valueCount, maxBytes: budget.limit - budget.spent,
                prefixScratch: &prefixScratch, lengthScratch: &lengthScratch, suffixes: &suffixViews,
                buffer: &rebuilt, into: &views)
            try budget.spend(views.totalBytes, for: "page values of \(views.totalBytes) bytes")
            let values = views
            rebuilt.withUnsafeBytes { source in
                append(values, from: source, levels: levels, rowStart: rowStart, rowCount: rowCount)
            }
        case .byteStreamSplit where fixedLength != nil:
            let width = fixedLength!
            guard valueCount <= data.count / width else {
                throw .corrupt("BYTE_STREAM_SPLIT page of \(data.count) bytes cannot hold \(valueCount) values of \(width) bytes")
            }
            if rebuilt.count < valueCount * width { rebuilt = [UInt8](repeating: 0, count: valueCount * width) }
            try rebuilt.withUnsafeMutableBufferPointer { out throws(DecodeFailure) in
                try ByteStreamSplitDecoding.decode(data, count: valueCount, width: width, into: UnsafeMutableRawPointer(out.baseAddress!))
            }
            views.fillFixed(count: valueCount, width: width)
            try budget.spend(views.totalBytes, for: "page values of \(views.totalBytes) bytes")
            let values = views
            rebuilt.withUnsafeBytes { source in
                append(values, from: source, levels: levels, rowStart: rowStart, rowCount: rowCount)
            }
        default:
            throw .unsupported("encoding \(encoding.thriftName) is not valid for \(fixedLength == nil ? "BYTE_ARRAY" : "FIXED_LEN_BYTE_ARRAY")")
        }
    }

    func finish(validity: [Bool]?) -> ParquetColumnValues {
        .byteArrays(ParquetByteArrays(bytes: bytes, offsets: offsets, validity: validity))
    }

    // MARK: Copying values in

    /// Finds `count` PLAIN values in `data` (length-prefixed, or of the fixed width).
    private mutating func findPlain(_ data: UnsafeRawBufferPointer, count: Int) throws(DecodeFailure) {
        if let fixedLength {
            try PlainDecoding.fixedLengthByteArrays(data, count: count, width: fixedLength, into: &views)
        } else {
            try PlainDecoding.byteArrays(data, count: count, into: &views)
        }
    }

    /// Makes room for `extra` more bytes, at least doubling (one reallocation for many pages).
    private mutating func reserve(_ extra: Int) {
        let needed = bytes.count + extra
        if needed > bytes.capacity { bytes.reserveCapacity(max(needed, bytes.capacity * 2)) }
    }

    /// Copies the values `views` finds in `source` into rows `rowStart...`, skipping null rows.
    private mutating func append(
        _ views: ByteArrayViews, from source: UnsafeRawBufferPointer, levels: UnsafePointer<UInt32>?, rowStart: Int, rowCount: Int
    ) {
        reserve(views.totalBytes)
        guard let base = source.baseAddress else {
            // No bytes at all: every value is empty.
            let end = bytes.count
            for row in 0..<rowCount { offsets[rowStart + row + 1] = end }
            return
        }
        views.starts.withUnsafeBufferPointer { starts in
            views.lengths.withUnsafeBufferPointer { lengths in
                offsets.withUnsafeMutableBufferPointer { offsets in
                    let target = offsets.baseAddress! + rowStart + 1
                    var next = 0
                    for row in 0..<rowCount {
                        if levels == nil || levels![row] != 0 {
                            bytes.append(contentsOf: UnsafeRawBufferPointer(start: base + starts[next], count: lengths[next]))
                            next += 1
                        }
                        target[row] = bytes.count
                    }
                }
            }
        }
    }

    /// Copies dictionary values into rows `rowStart...` by the page's indices.
    private mutating func appendFromDictionary(
        _ data: UnsafeRawBufferPointer, valueCount: Int, levels: UnsafePointer<UInt32>?, rowStart: Int, rowCount: Int,
        budget: inout ColumnBudget
    ) throws(DecodeFailure) {
        guard hasDictionary else { throw .corrupt("dictionary-encoded page in a column chunk without a dictionary page") }
        let index = indices.reserve(max(valueCount, 1))
        try DictionaryIndexDecoding.decode(data, count: valueCount, dictionaryCount: dictionaryOffsets.count - 1, into: index)
        var total = 0
        dictionaryOffsets.withUnsafeBufferPointer { entry in
            for i in 0..<valueCount {
                let k = Int(index[i])
                total += entry[k + 1] - entry[k]
            }
        }
        try budget.spend(total, for: "page values of \(total) bytes")
        reserve(total)
        dictionaryBytes.withUnsafeBytes { source in
            dictionaryOffsets.withUnsafeBufferPointer { entry in
                offsets.withUnsafeMutableBufferPointer { offsets in
                    let target = offsets.baseAddress! + rowStart + 1
                    var next = 0
                    for row in 0..<rowCount {
                        if levels == nil || levels![row] != 0 {
                            let k = Int(index[next])
                            let start = entry[k]
                            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: source[start..<entry[k + 1]]))
                            next += 1
                        }
                        target[row] = bytes.count
                    }
                }
            }
        }
    }
}
