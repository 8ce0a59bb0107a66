#if canImport(Glibc)
import Glibc
#endif

/// A small, fixed-size cache of merge results: piece bytes → tokens, for pieces that are not a
/// single token (those are found by one rank lookup anyway).
///
/// Direct-mapped: a piece's hash picks one slot, a newer piece evicts the older one. Memory is fixed
/// at `slotCount × (maxBytes + 4 × maxTokens + 16)` bytes per encoder, whatever the input. Text
/// repeats words and phrases, so most merges that are not whole tokens are found here
/// (bench/tokenizer measures the gain with and without it).
final class MergeCache {
    static let slotCount = 4096
    /// Longest piece cached, in bytes, and most tokens per cached piece.
    static let maxBytes = 96
    static let maxTokens = 48

    private let hashes: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<UInt8>
    private let tokenCounts: UnsafeMutablePointer<UInt8>
    private let bytes: UnsafeMutablePointer<UInt8>
    private let tokens: UnsafeMutablePointer<UInt32>

    init() {
        hashes = .allocate(capacity: Self.slotCount)
        hashes.initialize(repeating: 0, count: Self.slotCount)
        lengths = .allocate(capacity: Self.slotCount)
        lengths.initialize(repeating: 0, count: Self.slotCount)
        tokenCounts = .allocate(capacity: Self.slotCount)
        tokenCounts.initialize(repeating: 0, count: Self.slotCount)
        bytes = .allocate(capacity: Self.slotCount * Self.maxBytes)
        tokens = .allocate(capacity: Self.slotCount * Self.maxTokens)
    }

    deinit {
        hashes.deallocate()
        lengths.deallocate()
        tokenCounts.deallocate()
        bytes.deallocate()
        tokens.deallocate()
    }

    /// Appends the cached tokens of the piece and returns true, or returns false.
    @inline(__always)
    func lookup(_ piece: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, into out: inout [UInt32]) -> Bool {
        let slot = Int(truncatingIfNeeded: hash >> 20) & (Self.slotCount - 1)
        guard hashes[slot] == hash | 1, Int(lengths[slot]) == length,
              memcmp(bytes + slot * Self.maxBytes, piece, length) == 0 else { return false }
        let base = tokens + slot * Self.maxTokens
        out.append(contentsOf: UnsafeBufferPointer(start: base, count: Int(tokenCounts[slot])))
        return true
    }

    /// Remembers `result` (the tokens of the piece) if it fits.
    @inline(__always)
    func store(_ piece: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, result: UnsafeBufferPointer<UInt32>) {
        guard length <= Self.maxBytes, result.count <= Self.maxTokens, let source = result.baseAddress else { return }
        let slot = Int(truncatingIfNeeded: hash >> 20) & (Self.slotCount - 1)
        hashes[slot] = hash | 1
        lengths[slot] = UInt8(length)
        tokenCounts[slot] = UInt8(result.count)
        memcpy(bytes + slot * Self.maxBytes, piece, length)
        (tokens + slot * Self.maxTokens).update(from: source, count: result.count)
    }
}
