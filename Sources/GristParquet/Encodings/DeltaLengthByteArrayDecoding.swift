/// DELTA_LENGTH_BYTE_ARRAY: the lengths of all values as one DELTA_BINARY_PACKED stream, then the
/// values' bytes back to back.
enum DeltaLengthByteArrayDecoding {
    /// Finds the `count` values of the stream at the start of `data` (its length stream must hold
    /// exactly `count`: a page's stream holds its values, and a larger count would only cost time and
    /// memory); `views` gets their places in `data`. Returns the bytes read.
    @discardableResult
    static func decode(
        _ data: UnsafeRawBufferPointer, count: Int, lengths scratch: inout [Int64], into views: inout ByteArrayViews
    ) throws(DecodeFailure) -> Int {
        var lengths = try DeltaBinaryPackedDecoder(data)
        guard lengths.totalCount == count else {
            throw .corrupt("DELTA_LENGTH_BYTE_ARRAY holds \(lengths.totalCount) lengths, the page has \(count) values")
        }
        let total = count
        var position = try lengths.decodeRest(into: &scratch)
        let stored = scratch
        try views.fill(count: count) { starts, lengthsOut throws(DecodeFailure) in
            var sum = 0
            for i in 0..<total {
                let length = stored[i]
                guard length >= 0, length <= Int64(data.count - position) else {
                    throw .corrupt("DELTA_LENGTH_BYTE_ARRAY value \(i) of \(total) is \(length) bytes long, \(data.count - position) are left")
                }
                if i < count {
                    starts[i] = position
                    lengthsOut[i] = Int(length)
                    sum += Int(length)
                }
                position += Int(length)
            }
            return sum
        }
        return position
    }
}
