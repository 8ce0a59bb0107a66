/// DELTA_BYTE_ARRAY (incremental encoding): each value is a prefix of the previous value and a
/// suffix; the prefix lengths are one DELTA_BINARY_PACKED stream, the suffixes DELTA_LENGTH_BYTE_ARRAY.
enum DeltaByteArrayDecoding {
    /// Rebuilds `count` values into `buffer` (resized; the views point into it). `maxBytes` bounds the
    /// rebuilt bytes: prefixes let a few bytes stand for many (a decompression bomb of sorts).
    static func decode(
        _ data: UnsafeRawBufferPointer, count: Int, maxBytes: Int,
        prefixScratch: inout [Int64], lengthScratch: inout [Int64], suffixes: inout ByteArrayViews, buffer: inout [UInt8], into views: inout ByteArrayViews
    ) throws(DecodeFailure) {
        var prefixDecoder = try DeltaBinaryPackedDecoder(data)
        guard prefixDecoder.totalCount == count else {
            throw .corrupt("DELTA_BYTE_ARRAY holds \(prefixDecoder.totalCount) prefix lengths, the page has \(count) values")
        }
        let suffixStart = try prefixDecoder.decodeRest(into: &prefixScratch)
        let prefixes = prefixScratch
        let suffixData = UnsafeRawBufferPointer(rebasing: data[suffixStart...])
        try DeltaLengthByteArrayDecoding.decode(suffixData, count: count, lengths: &lengthScratch, into: &suffixes)

        // Sizes first (checking each prefix against the value before), then the bytes.
        var total = 0
        var previousLength = 0
        for i in 0..<count {
            let prefix = prefixes[i]
            guard prefix >= 0, prefix <= Int64(previousLength) else {
                throw .corrupt("DELTA_BYTE_ARRAY value \(i) takes a prefix of \(prefix) bytes from a value of \(previousLength)")
            }
            previousLength = Int(prefix) + suffixes.lengths[i]
            total += previousLength
            if total > maxBytes {
                throw DecodeFailure(kind: .skip(.decompressionBomb),
                                    message: "DELTA_BYTE_ARRAY values expand to over \(maxBytes) bytes")
            }
        }
        if buffer.count < total { buffer = [UInt8](repeating: 0, count: total) }
        let suffixViews = suffixes
        var failure: DecodeFailure?
        buffer.withUnsafeMutableBytes { out in
            do throws(DecodeFailure) {
                try views.fill(count: count) { starts, lengths throws(DecodeFailure) in
                    var position = 0
                    var previousStart = 0
                    for i in 0..<count {
                        let prefix = Int(prefixes[i])
                        let suffix = suffixViews.lengths[i]
                        if prefix > 0 {
                            (out.baseAddress! + position).copyMemory(from: out.baseAddress! + previousStart, byteCount: prefix)
                        }
                        if suffix > 0 {
                            (out.baseAddress! + position + prefix).copyMemory(
                                from: suffixData.baseAddress! + suffixViews.starts[i], byteCount: suffix)
                        }
                        starts[i] = position
                        lengths[i] = prefix + suffix
                        previousStart = position
                        position += prefix + suffix
                    }
                    return position
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}
