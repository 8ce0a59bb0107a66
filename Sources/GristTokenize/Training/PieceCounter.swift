#if canImport(Glibc)
import Glibc
#endif

/// Counts distinct pre-tokenizer pieces (the "words" of BPE training) in bounded memory.
///
/// Pieces live back to back in one byte arena; an open-addressing table maps them to counts. When
/// `maxDistinct` pieces are held, the rarest are pruned (count 1 first, then 2, …, until at most
/// half the limit remain), so memory stays bounded whatever the input size. Pruning depends only on
/// the order of the input, so the same input always gives the same counts.
struct PieceCounter: ~Copyable {
    /// Pieces longer than this many bytes are not counted (they are rare and make no useful tokens).
    let maxPieceBytes: Int
    let maxDistinct: Int

    private(set) var arena: [UInt8] = []
    /// Per distinct piece: offset into `arena`, length, count.
    private(set) var offsets: [Int] = []
    private(set) var lengths: [Int32] = []
    private(set) var counts: [Int64] = []
    private var slots: [Int32]
    private var slotMask: Int
    /// Pieces seen (each occurrence), pieces skipped for length, distinct pieces dropped by pruning.
    private(set) var piecesSeen = 0
    private(set) var piecesTooLong = 0
    private(set) var distinctPruned = 0

    init(maxPieceBytes: Int, maxDistinct: Int) {
        precondition(maxPieceBytes >= 1 && maxDistinct >= 16)
        self.maxPieceBytes = maxPieceBytes
        self.maxDistinct = maxDistinct
        slots = [Int32](repeating: -1, count: 1 << 16)
        slotMask = (1 << 16) - 1
    }

    var distinctCount: Int { counts.count }

    /// Counts one occurrence of `length` bytes at `piece`.
    @inline(__always)
    mutating func add(_ piece: UnsafePointer<UInt8>, _ length: Int) {
        piecesSeen += 1
        guard length <= maxPieceBytes else {
            piecesTooLong += 1
            return
        }
        let hash = RankTable.hash(piece, length)
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if Int(lengths[entry]) == length,
               arena.withUnsafeBufferPointer({ buffer in
                   buffer.baseAddress.map { memcmp($0 + offsets[entry], piece, length) == 0 } ?? false
               }) {
                counts[entry] += 1
                return
            }
            slot = (slot + 1) & slotMask
        }
        slots[slot] = Int32(counts.count)
        offsets.append(arena.count)
        lengths.append(Int32(length))
        counts.append(1)
        arena.append(contentsOf: UnsafeBufferPointer(start: piece, count: length))
        if counts.count * 2 > slots.count { rehash(capacity: slots.count * 2) }
        if counts.count >= maxDistinct { prune() }
    }

    /// Bytes of distinct piece `index`.
    func withPiece<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[offsets[index]..<(offsets[index] + Int(lengths[index]))]))
        }
    }

    private mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: -1, count: capacity)
        slotMask = capacity - 1
        arena.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for entry in 0..<counts.count {
                var slot = Int(truncatingIfNeeded: RankTable.hash(base + offsets[entry], Int(lengths[entry]))) & slotMask
                while slots[slot] >= 0 { slot = (slot + 1) & slotMask }
                slots[slot] = Int32(entry)
            }
        }
    }

    /// Drops the rarest pieces until at most half of `maxDistinct` remain.
    private mutating func prune() {
        var threshold: Int64 = 1
        while true {
            let remaining = counts.reduce(0) { $0 + ($1 > threshold ? 1 : 0) }
            if remaining <= maxDistinct / 2 { break }
            threshold += 1
        }
        var newArena: [UInt8] = []
        var newOffsets: [Int] = [], newLengths: [Int32] = [], newCounts: [Int64] = []
        for entry in 0..<counts.count where counts[entry] > threshold {
            newOffsets.append(newArena.count)
            newLengths.append(lengths[entry])
            newCounts.append(counts[entry])
            newArena.append(contentsOf: arena[offsets[entry]..<(offsets[entry] + Int(lengths[entry]))])
        }
        distinctPruned += counts.count - newCounts.count
        arena = newArena
        offsets = newOffsets
        lengths = newLengths
        counts = newCounts
        rehash(capacity: slots.count)
    }
}
