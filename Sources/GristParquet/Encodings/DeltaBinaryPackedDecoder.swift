/// DELTA_BINARY_PACKED: integers as a first value and blocks of deltas, each block a minimum delta
/// (zigzag varint), one bit width per miniblock, and the miniblocks' `delta - minimum` bit-packed.
///
/// Header: block size (a multiple of 128), miniblocks per block (each a multiple of 32 values), total
/// value count, first value (zigzag). Arithmetic wraps, as the spec asks; INT32 columns keep the low
/// 32 bits. A last block's unneeded miniblocks have a bit width byte but no bytes.
struct DeltaBinaryPackedDecoder {
    private let bytes: UnsafeRawBufferPointer
    /// The next byte to read.
    private(set) var position = 0
    /// Values the stream holds, by its header.
    let totalCount: Int
    private let valuesPerMiniblock: Int
    private let miniblocksPerBlock: Int
    private var decoded = 0
    private var previous: Int64

    /// Most values in one block accepted (writers use 128 or 256).
    static let maxBlockSize = 1 << 16

    /// Reads the header of the stream at the start of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) throws(DecodeFailure) {
        self.bytes = bytes
        var position = 0
        let blockSize = try Self.varint(bytes, &position)
        let miniblocks = try Self.varint(bytes, &position)
        let total = try Self.varint(bytes, &position)
        let first = try Self.zigzag(bytes, &position)
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= UInt64(Self.maxBlockSize) else {
            throw .corrupt("DELTA_BINARY_PACKED block size \(blockSize) is not a multiple of 128 up to \(Self.maxBlockSize)")
        }
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw .corrupt("DELTA_BINARY_PACKED block of \(blockSize) values cannot hold \(miniblocks) miniblocks of a multiple of 32")
        }
        guard total <= UInt64(Int32.max) else { throw .corrupt("DELTA_BINARY_PACKED count \(total) is too large") }
        self.position = position
        totalCount = Int(total)
        miniblocksPerBlock = Int(miniblocks)
        valuesPerMiniblock = Int(blockSize / miniblocks)
        previous = first
    }

    /// Decodes the next `count` values (at most `totalCount` in all) into `out`.
    mutating func decode(count: Int, into out: UnsafeMutablePointer<Int64>) throws(DecodeFailure) {
        guard count <= totalCount - decoded else {
            throw .corrupt("DELTA_BINARY_PACKED stream holds \(totalCount) values, \(decoded + count) are needed")
        }
        var done = 0
        if count > 0, decoded == 0 {
            out[0] = previous
            done = 1
            decoded = 1
        }
        while done < count {
            // A block: min delta, bit widths, miniblocks.
            let minDelta = try Self.zigzag(bytes, &position)
            guard bytes.count - position >= miniblocksPerBlock else {
                throw .corrupt("DELTA_BINARY_PACKED block's bit widths run past the end of the data")
            }
            let widthsAt = position
            position += miniblocksPerBlock
            for miniblock in 0..<miniblocksPerBlock where done < count {
                let width = Int(bytes[widthsAt + miniblock])
                guard width <= 64 else { throw .corrupt("DELTA_BINARY_PACKED bit width \(width) is over 64") }
                let take = min(valuesPerMiniblock, count - done)
                let fullBytes = valuesPerMiniblock * width / 8
                let neededBytes = (take * width + 7) / 8
                guard bytes.count - position >= neededBytes else {
                    throw .corrupt("DELTA_BINARY_PACKED miniblock runs past the end of the data")
                }
                let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<min(bytes.count, position + fullBytes)])
                out.withMemoryRebound(to: UInt64.self, capacity: count) { raw in
                    BitUnpacker.unpack64(slice, bitWidth: width, count: take, into: raw + done)
                }
                var value = previous
                for i in done..<(done + take) {
                    value = value &+ minDelta &+ out[i]
                    out[i] = value
                }
                previous = value
                position = min(bytes.count, position + fullBytes)
                done += take
                decoded += take
            }
        }
    }

    /// Decodes the values not decoded yet into `scratch` (resized) and returns where the stream ends.
    /// The caller bounds `totalCount` first (it allocates that many values).
    mutating func decodeRest(into scratch: inout [Int64]) throws(DecodeFailure) -> Int {
        let count = totalCount - decoded
        if scratch.count < count { scratch = [Int64](repeating: 0, count: count) }
        var failure: DecodeFailure?
        scratch.withUnsafeMutableBufferPointer { buffer in
            do throws(DecodeFailure) { try decode(count: count, into: buffer.baseAddress!) } catch { failure = error }
        }
        if let failure { throw failure }
        return position
    }

    private static func varint(_ bytes: UnsafeRawBufferPointer, _ position: inout Int) throws(DecodeFailure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw .corrupt("DELTA_BINARY_PACKED data ends inside a varint") }
            let byte = bytes[position]
            position += 1
            if shift == 63, byte > 1 { throw .corrupt("DELTA_BINARY_PACKED varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private static func zigzag(_ bytes: UnsafeRawBufferPointer, _ position: inout Int) throws(DecodeFailure) -> Int64 {
        let raw = try varint(bytes, &position)
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}
