/// Parquet's RLE/bit-packed hybrid: definition levels, dictionary indices and RLE booleans.
///
/// A run starts with a varint header: even, `count << 1`, a repeated value in `ceil(w/8)` bytes; odd,
/// `groups << 1 | 1`, `groups * 8` values bit-packed in `groups * w` bytes. The last bit-packed run
/// may be padded past the values wanted (and some writers cut its unused bytes off: accepted).
struct RLEHybridDecoder {
    private let bytes: UnsafeRawBufferPointer
    private let bitWidth: Int
    private(set) var position = 0
    /// Values left in the current run; the run is repeated (`repeatedValue`) or bit-packed from `packedStart`.
    private var runLeft = 0
    private var isPackedRun = false
    private var repeatedValue: UInt32 = 0
    private var packedStart = 0
    private var packedIndex = 0
    private var packedAvailable = 0

    /// A decoder of `bytes` with values of `bitWidth` bits (0...32).
    init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(DecodeFailure) {
        guard (0...32).contains(bitWidth) else { throw .corrupt("bit width \(bitWidth) is over 32") }
        self.bytes = bytes
        self.bitWidth = bitWidth
    }

    /// Decodes the next `count` values into `out`; throws if the data ends first.
    mutating func decode(count: Int, into out: UnsafeMutablePointer<UInt32>) throws(DecodeFailure) {
        var done = 0
        while done < count {
            if runLeft == 0 { try nextRun() }
            let take = min(runLeft, count - done)
            if isPackedRun {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[packedStart..<packedEnd])
                BitUnpacker.unpack32(slice, startBit: packedIndex * bitWidth, bitWidth: bitWidth, count: take, into: out + done)
                packedIndex += take
            } else {
                (out + done).update(repeating: repeatedValue, count: take)
            }
            runLeft -= take
            done += take
        }
    }

    /// Skips the next `count` values.
    mutating func skip(count: Int) throws(DecodeFailure) {
        var left = count
        while left > 0 {
            if runLeft == 0 { try nextRun() }
            let take = min(runLeft, left)
            if isPackedRun { packedIndex += take }
            runLeft -= take
            left -= take
        }
    }

    /// The end of the current bit-packed run's bytes (cut at the buffer's end).
    private var packedEnd: Int { min(bytes.count, packedStart + (packedAvailable * bitWidth + 7) >> 3) }

    private mutating func nextRun() throws(DecodeFailure) {
        let header = try readVarint()
        if header & 1 == 1 {
            let groups = header >> 1
            guard groups > 0, groups <= UInt64(Int32.max) else { throw .corrupt("bit-packed run of \(groups) groups") }
            let values = Int(groups) * 8
            let wanted = (values * bitWidth + 7) >> 3
            let left = bytes.count - position
            // A last run cut short holds the values its bytes can.
            let available = wanted <= left ? values : (bitWidth == 0 ? values : (left * 8) / bitWidth)
            guard available > 0 else { throw .corrupt("bit-packed run starts at the end of its data") }
            isPackedRun = true
            packedStart = position
            packedIndex = 0
            packedAvailable = available
            runLeft = available
            position += min(wanted, left)
        } else {
            let count = header >> 1
            guard count > 0, count <= UInt64(Int32.max) else { throw .corrupt("repeated run of \(count) values") }
            let width = (bitWidth + 7) >> 3
            guard bytes.count - position >= width else { throw .corrupt("repeated run's value runs past the end of its data") }
            var value: UInt32 = 0
            for i in 0..<width { value |= UInt32(bytes[position + i]) << UInt32(8 * i) }
            position += width
            isPackedRun = false
            repeatedValue = value
            runLeft = Int(count)
        }
    }

    private mutating func readVarint() throws(DecodeFailure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw .corrupt("levels or indices end before all values are read") }
            let byte = bytes[position]
            position += 1
            if shift > 56 { throw .corrupt("run header varint is too long") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }
}
