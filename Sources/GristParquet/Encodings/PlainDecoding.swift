/// PLAIN, the encoding every physical type has: fixed-width values little-endian back to back,
/// booleans one bit each (least significant first), byte arrays as a 4-byte little-endian length and
/// the bytes, INT96 as 8 bytes of nanoseconds in the day and 4 of the Julian day.
enum PlainDecoding {
    /// Copies `count` values of `width` bytes each (a little-endian machine's layout) into `out`;
    /// returns the bytes read.
    @discardableResult
    static func fixed<T: BitwiseCopyable>(
        _ data: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<T>
    ) throws(DecodeFailure) -> Int {
        let bytes = count * MemoryLayout<T>.size
        guard bytes <= data.count else {
            throw .corrupt("\(count) plain values of \(MemoryLayout<T>.size) bytes need \(bytes) bytes, the page has \(data.count)")
        }
        if bytes > 0 { UnsafeMutableRawPointer(out).copyMemory(from: data.baseAddress!, byteCount: bytes) }
        return bytes
    }

    /// Unpacks `count` booleans stored one bit each, least significant bit first.
    @discardableResult
    static func booleans(_ data: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<Bool>) throws(DecodeFailure) -> Int {
        let bytes = (count + 7) / 8
        guard bytes <= data.count else {
            throw .corrupt("\(count) plain booleans need \(bytes) bytes, the page has \(data.count)")
        }
        for i in 0..<count { out[i] = (data[i >> 3] >> UInt8(i & 7)) & 1 == 1 }
        return bytes
    }

    /// Nanoseconds since 1970 of Julian day 2440588 (the Unix epoch).
    static let unixEpochJulianDay: Int64 = 2_440_588
    static let nanosecondsPerDay: Int64 = 86_400_000_000_000

    /// Converts `count` INT96 timestamps (Impala's: nanoseconds of the day, then the Julian day) to
    /// nanoseconds since 1970, as pyarrow reads them (wrapping as it does outside Int64's range).
    @discardableResult
    static func int96(_ data: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<Int64>) throws(DecodeFailure) -> Int {
        let bytes = count * 12
        guard bytes <= data.count else {
            throw .corrupt("\(count) INT96 values need \(bytes) bytes, the page has \(data.count)")
        }
        let base = data.baseAddress!
        for i in 0..<count {
            let nanos = Int64(littleEndian: base.loadUnaligned(fromByteOffset: i * 12, as: Int64.self))
            let day = Int64(Int32(littleEndian: base.loadUnaligned(fromByteOffset: i * 12 + 8, as: Int32.self)))
            out[i] = (day &- unixEpochJulianDay) &* nanosecondsPerDay &+ nanos
        }
        return bytes
    }

    /// Finds `count` length-prefixed byte arrays; `views` gets their places in `data`. Returns the
    /// bytes read.
    @discardableResult
    static func byteArrays(_ data: UnsafeRawBufferPointer, count: Int, into views: inout ByteArrayViews) throws(DecodeFailure) -> Int {
        // Each value takes at least its 4-byte length: more values cannot be there (checked before
        // `views` makes room for them).
        guard count <= data.count / 4 else {
            throw .corrupt("\(count) plain byte arrays cannot fit in a page of \(data.count) bytes")
        }
        var position = 0
        try views.fill(count: count) { starts, lengths throws(DecodeFailure) in
            guard let base = data.baseAddress else {
                if count == 0 { return 0 }
                throw .corrupt("\(count) plain byte arrays in an empty page")
            }
            let end = data.count
            var total = 0
            for i in 0..<count {
                guard end - position >= 4 else {
                    throw .corrupt("plain byte array \(i) of \(count): its length runs past the end of the page")
                }
                let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                position += 4
                guard length <= end - position else {
                    throw .corrupt("plain byte array \(i) of \(count) is \(length) bytes long, the page has \(end - position) left")
                }
                starts[i] = position
                lengths[i] = length
                position += length
                total += length
            }
            return total
        }
        return position
    }

    /// Finds `count` fixed-length byte arrays of `width` bytes; returns the bytes read.
    @discardableResult
    static func fixedLengthByteArrays(
        _ data: UnsafeRawBufferPointer, count: Int, width: Int, into views: inout ByteArrayViews
    ) throws(DecodeFailure) -> Int {
        let bytes = count * width
        guard bytes <= data.count else {
            throw .corrupt("\(count) plain values of \(width) bytes need \(bytes) bytes, the page has \(data.count)")
        }
        views.fillFixed(count: count, width: width)
        return bytes
    }
}
