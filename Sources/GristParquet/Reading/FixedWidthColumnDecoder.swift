/// Decodes pages of a fixed-width physical type into a value per row.
struct FixedWidthColumnDecoder<Value: FixedWidthValue>: ColumnValueDecoder {
    /// Builds the result from the values and validity (the logical type decides the case).
    let wrap: @Sendable ([Value], [Bool]?) -> ParquetColumnValues
    private var values: [Value]
    private var dictionary: [Value] = []
    private var hasDictionary = false
    private let pageValues = ScratchBuffer<Value>()
    private let indices = ScratchBuffer<UInt32>()
    private let integers = ScratchBuffer<Int64>()

    init(rows: Int, wrap: @escaping @Sendable ([Value], [Bool]?) -> ParquetColumnValues) {
        values = [Value](repeating: .zero, count: rows)
        self.wrap = wrap
    }

    var bytesPerRow: Int { MemoryLayout<Value>.stride }

    mutating func readDictionary(_ data: UnsafeRawBufferPointer, count: Int, budget: inout ColumnBudget) throws(DecodeFailure) {
        try budget.spend(count * MemoryLayout<Value>.stride, for: "a dictionary of \(count) values")
        var entries = [Value](repeating: .zero, count: count)
        try entries.withUnsafeMutableBufferPointer { buffer throws(DecodeFailure) in
            if count > 0 { try Value.decodePlain(data, count: count, into: buffer.baseAddress!) }
        }
        dictionary = entries
        hasDictionary = true
    }

    mutating func readPage(
        _ data: UnsafeRawBufferPointer, encoding: ParquetEncoding, valueCount: Int,
        levels: UnsafePointer<UInt32>?, rowStart: Int, rowCount: Int, budget: inout ColumnBudget
    ) throws(DecodeFailure) {
        guard valueCount > 0 else { return }
        let dense = pageValues.reserve(valueCount)
        switch encoding {
        case .plain:
            try Value.decodePlain(data, count: valueCount, into: dense)
        case .plainDictionary, .rleDictionary:
            guard hasDictionary else { throw .corrupt("dictionary-encoded page in a column chunk without a dictionary page") }
            let index = indices.reserve(valueCount)
            try DictionaryIndexDecoding.decode(data, count: valueCount, dictionaryCount: dictionary.count, into: index)
            dictionary.withUnsafeBufferPointer { entries in
                for i in 0..<valueCount { dense[i] = entries[Int(index[i])] }
            }
        default:
            try Value.decode(encoding, data, count: valueCount, into: dense, scratch: integers)
        }
        values.withUnsafeMutableBufferPointer { out in
            let target = out.baseAddress! + rowStart
            if let levels {
                var next = 0
                for row in 0..<rowCount where levels[row] != 0 {
                    target[row] = dense[next]
                    next += 1
                }
            } else {
                target.update(from: dense, count: valueCount)
            }
        }
    }

    func finish(validity: [Bool]?) -> ParquetColumnValues { wrap(values, validity) }
}
