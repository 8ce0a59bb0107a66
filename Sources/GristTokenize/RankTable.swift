#if canImport(Glibc)
import Glibc
#endif

/// Token bytes → rank, for the merge loop: all token bytes in one arena, an open-addressing hash
/// table of rank slots over it, and a direct 64k table for two-byte pairs (the first merge round).
///
/// No `String` or `[UInt8]` keys and no allocation per lookup. Immutable after `init`, so it is
/// shared freely between threads (the memory lives as long as the owning vocabulary).
final class RankTable: @unchecked Sendable {
    /// Marks an absent rank everywhere (`UInt32.max` is never a valid rank).
    static let missing = UInt32.max

    /// Concatenated bytes of every ordinary token, in rank order.
    let arena: UnsafeMutablePointer<UInt8>
    /// `offsets[r] ..< offsets[r + 1]` are the bytes of rank `r`; absent ranks have an empty range.
    let offsets: UnsafeMutablePointer<UInt32>
    /// One past the largest rank.
    let rankLimit: Int
    /// Slots of `(hash tag << 32) | rank`, `UInt64.max` when empty; power-of-two sized, load ≤ 0.5.
    private let slots: UnsafeMutablePointer<UInt64>
    private let slotMask: Int
    /// `pairs[a << 8 | b]` is the rank of the two bytes `a b`, or `missing`.
    let pairs: UnsafeMutablePointer<UInt32>
    /// `singles[a]` is the rank of the single byte `a`, or `missing`.
    let singles: UnsafeMutablePointer<UInt32>

    /// Builds the table from `(bytes, rank)` entries whose bytes and ranks are already known to be
    /// unique and non-empty (`TiktokenFile` checks that).
    init(entries: [(bytes: ArraySlice<UInt8>, rank: UInt32)]) {
        var limit = 0
        var total = 0
        for entry in entries {
            limit = max(limit, Int(entry.rank) + 1)
            total += entry.bytes.count
        }
        rankLimit = limit

        // Arena in rank order (tiktoken files are sorted already; sort defensively).
        let byRank = entries.sorted { $0.rank < $1.rank }
        arena = .allocate(capacity: max(total, 1))
        offsets = .allocate(capacity: limit + 1)
        var written = 0
        var nextRank = 0
        for entry in byRank {
            while nextRank <= Int(entry.rank) {
                offsets[nextRank] = UInt32(written)
                nextRank += 1
            }
            for byte in entry.bytes {
                arena[written] = byte
                written += 1
            }
        }
        while nextRank <= limit {
            offsets[nextRank] = UInt32(written)
            nextRank += 1
        }

        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: UInt64.max, count: capacity)
        slotMask = capacity - 1

        pairs = .allocate(capacity: 1 << 16)
        pairs.initialize(repeating: RankTable.missing, count: 1 << 16)
        singles = .allocate(capacity: 256)
        singles.initialize(repeating: RankTable.missing, count: 256)

        for entry in byRank {
            let start = Int(offsets[Int(entry.rank)])
            let length = entry.bytes.count
            let key = UnsafePointer(arena + start)
            let hash = RankTable.hash(key, length)
            var slot = Int(truncatingIfNeeded: hash) & slotMask
            while slots[slot] != UInt64.max { slot = (slot + 1) & slotMask }
            slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(entry.rank)
            if length == 1 { singles[Int(key[0])] = entry.rank }
            if length == 2 { pairs[Int(key[0]) << 8 | Int(key[1])] = entry.rank }
        }
    }

    deinit {
        arena.deallocate()
        offsets.deallocate()
        slots.deallocate()
        pairs.deallocate()
        singles.deallocate()
    }

    /// The rank of the `length` bytes at `key`, or `RankTable.missing`.
    @inline(__always)
    func rank(_ key: UnsafePointer<UInt8>, _ length: Int) -> UInt32 {
        rank(key, length, hash: RankTable.hash(key, length))
    }

    /// `rank(key, length)` when the caller already has `RankTable.hash(key, length)`.
    @inline(__always)
    func rank(_ key: UnsafePointer<UInt8>, _ length: Int, hash: UInt64) -> UInt32 {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let entry = slots[slot]
            if entry == UInt64.max { return RankTable.missing }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let rank = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
                let start = Int(offsets[rank])
                if Int(offsets[rank + 1]) - start == length, memcmp(arena + start, key, length) == 0 {
                    return UInt32(truncatingIfNeeded: rank)
                }
            }
            slot = (slot + 1) & slotMask
        }
    }

    /// The bytes of ordinary rank `rank` (empty when the rank is absent or out of range).
    func bytes(of rank: Int) -> UnsafeBufferPointer<UInt8> {
        guard rank >= 0, rank < rankLimit else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = Int(offsets[rank])
        return UnsafeBufferPointer(start: arena + start, count: Int(offsets[rank + 1]) - start)
    }

    /// A fast 64-bit hash of a short byte string: 8-byte words, an overlapping tail read, and a
    /// final avalanche (index from the low bits, tag from the high bits).
    @inline(__always)
    static func hash(_ key: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        let raw = UnsafeRawPointer(key)
        var h = UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= length {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        let tail = length - i
        if tail >= 4 {
            let low = UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self))
            h = (h ^ (low | high << 32)) &* 0xBF58_476D_1CE4_E5B9
        } else if tail > 0 {
            let word = UInt64(key[i]) | UInt64(key[i + tail / 2]) << 8 | UInt64(key[length - 1]) << 16
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
        }
        h ^= h >> 31
        h = h &* 0x94D0_49BB_1331_11EB
        h ^= h >> 32
        return h
    }
}
