/// The merge loop of BPE training over distinct pieces ("words") and their counts.
///
/// Holds every word as a run of token ids in one flat array, the count of every adjacent pair (weighted
/// by word counts), for each pair a linked list of the words it occurs in, and a max-heap of pairs by
/// count. The heap is updated lazily: an entry whose count is stale is re-pushed with the current count
/// when it reaches the top, and pairs whose count grows are pushed after each merge, so the top entry
/// that matches its pair's count is always the most frequent pair.
///
/// - Complexity: each merge costs time proportional to the occurrences of its pair (plus heap
///   operations), not to the corpus.
struct PairMerger: ~Copyable {
    /// Token ids of every word, back to back; word `w` is `symbols[start[w] ..< start[w] + length[w]]`.
    private var symbols: [UInt32] = []
    private var start: [Int] = []
    private var length: [Int32] = []
    private var frequency: [Int64] = []
    /// The merge number at which each word was last rewritten (skips repeated list entries).
    private var stamp: [Int32] = []

    private var pairs = PairTable()
    /// Occurrence lists: `nodeWord[n]` is a word, `nodeNext[n]` the next node of the same pair (-1 ends).
    private var nodeWord: [UInt32] = []
    private var nodeNext: [Int32] = []
    private var heap = PairHeap()
    private var mergeNumber: Int32 = 0
    /// Pairs whose count grew during the current merge (pushed on the heap when it ends).
    private var grown: [Int32] = []
    private var grownStamp: [Int32] = []

    init(counter: borrowing PieceCounter) {
        let words = counter.distinctCount
        start.reserveCapacity(words)
        length.reserveCapacity(words)
        frequency.reserveCapacity(words)
        symbols.reserveCapacity(counter.arena.count)
        for word in 0..<words {
            start.append(symbols.count)
            counter.withPiece(word) { piece in
                for byte in piece { symbols.append(UInt32(byte)) }
            }
            length.append(Int32(symbols.count - start[word]))
            frequency.append(counter.counts[word])
        }
        stamp = [Int32](repeating: -1, count: words)
        for word in 0..<words {
            let s = start[word], n = Int(length[word]), f = frequency[word]
            guard n >= 2 else { continue }
            for k in s..<(s + n - 1) {
                let pair = pairs.index(of: Self.key(symbols[k], symbols[k + 1]))
                pairs.counts[pair] += f
                appendOccurrence(pair: pair, word: word)
            }
        }
        grownStamp = [Int32](repeating: -1, count: pairs.counts.count)
        for pair in 0..<pairs.counts.count { heap.push(count: pairs.counts[pair], key: pairs.keys[pair]) }
    }

    @inline(__always)
    static func key(_ left: UInt32, _ right: UInt32) -> UInt64 { UInt64(left) << 32 | UInt64(right) }

    @inline(__always)
    private mutating func appendOccurrence(pair: Int, word: Int) {
        let head = pairs.heads[pair]
        if head >= 0, nodeWord[Int(head)] == UInt32(word) { return }
        nodeWord.append(UInt32(word))
        nodeNext.append(head)
        pairs.heads[pair] = Int32(nodeWord.count - 1)
    }

    /// The most frequent pair (ties: smallest left id, then right id), or nil when no pair is left.
    mutating func bestPair() -> (UInt32, UInt32)? {
        while let (count, key) = heap.pop() {
            guard let pair = pairs.find(key) else { continue }
            let current = pairs.counts[pair]
            if current == count, current > 0 {
                return (UInt32(truncatingIfNeeded: key >> 32), UInt32(truncatingIfNeeded: key))
            }
            if current > 0, current < count { heap.push(count: current, key: key) }
        }
        return nil
    }

    /// Replaces every occurrence of `left right` (left to right, not overlapping) with `token`.
    mutating func merge(_ left: UInt32, _ right: UInt32, into token: UInt32) {
        mergeNumber += 1
        grown.removeAll(keepingCapacity: true)
        guard let pair = pairs.find(Self.key(left, right)) else { return }
        var node = pairs.heads[pair]
        pairs.heads[pair] = -1
        while node >= 0 {
            let word = Int(nodeWord[Int(node)])
            node = nodeNext[Int(node)]
            if stamp[word] == mergeNumber { continue }
            stamp[word] = mergeNumber
            rewrite(word: word, left: left, right: right, token: token)
        }
        for grownPair in grown { heap.push(count: pairs.counts[Int(grownPair)], key: pairs.keys[Int(grownPair)]) }
    }

    private mutating func rewrite(word: Int, left: UInt32, right: UInt32, token: UInt32) {
        let s = start[word], n = Int(length[word]), f = frequency[word]
        // Pass 1: is the pair there at all (the list may hold words it has left)?
        var found = false
        var i = s
        while i < s + n - 1 {
            if symbols[i] == left, symbols[i + 1] == right {
                found = true
                break
            }
            i += 1
        }
        guard found else { return }

        // Pass 2: remove the old pairs around each occurrence (each once), then rewrite in place.
        var lastRemoved = s - 1
        i = s
        while i < s + n - 1 {
            if symbols[i] == left, symbols[i + 1] == right {
                for k in max(s, i - 1)...min(s + n - 2, i + 1) where k > lastRemoved {
                    decrement(symbols[k], symbols[k + 1], by: f)
                    lastRemoved = k
                }
                i += 2
            } else {
                i += 1
            }
        }
        var j = s
        i = s
        while i < s + n {
            if i < s + n - 1, symbols[i] == left, symbols[i + 1] == right {
                symbols[j] = token
                i += 2
            } else {
                symbols[j] = symbols[i]
                i += 1
            }
            j += 1
        }
        let newLength = j - s
        length[word] = Int32(newLength)

        // Pass 3: add the new pairs around each new token (each once).
        var lastAdded = s - 1
        guard newLength >= 2 else { return }
        for q in s..<(s + newLength) where symbols[q] == token {
            var k = max(s, q - 1, lastAdded + 1)
            let last = min(s + newLength - 2, q)
            while k <= last {
                increment(symbols[k], symbols[k + 1], by: f, word: word)
                lastAdded = k
                k += 1
            }
        }
    }

    @inline(__always)
    private mutating func decrement(_ a: UInt32, _ b: UInt32, by amount: Int64) {
        guard let pair = pairs.find(Self.key(a, b)) else { return }
        pairs.counts[pair] -= amount
    }

    @inline(__always)
    private mutating func increment(_ a: UInt32, _ b: UInt32, by amount: Int64, word: Int) {
        let pair = pairs.index(of: Self.key(a, b))
        pairs.counts[pair] += amount
        appendOccurrence(pair: pair, word: word)
        if pair >= grownStamp.count { grownStamp.append(contentsOf: repeatElement(-1, count: pair + 1 - grownStamp.count)) }
        if grownStamp[pair] != mergeNumber {
            grownStamp[pair] = mergeNumber
            grown.append(Int32(pair))
        }
    }
}

/// Pair key (`left << 32 | right`) → dense pair index, with each pair's count and occurrence list head.
struct PairTable {
    private(set) var keys: [UInt64] = []
    var counts: [Int64] = []
    var heads: [Int32] = []
    private var slots = [Int32](repeating: -1, count: 1 << 16)
    private var mask = (1 << 16) - 1

    @inline(__always)
    private static func hash(_ key: UInt64) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    func find(_ key: UInt64) -> Int? {
        var slot = Self.hash(key) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if keys[entry] == key { return entry }
            slot = (slot + 1) & mask
        }
    }

    /// The index of `key`, added with count 0 if new.
    mutating func index(of key: UInt64) -> Int {
        var slot = Self.hash(key) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if keys[entry] == key { return entry }
            slot = (slot + 1) & mask
        }
        let index = keys.count
        slots[slot] = Int32(index)
        keys.append(key)
        counts.append(0)
        heads.append(-1)
        if keys.count * 2 > slots.count { grow() }
        return index
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (index, key) in keys.enumerated() {
            var slot = Self.hash(key) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}

/// A max-heap of `(count, pair key)`: larger count first, then smaller key (smaller ids).
struct PairHeap {
    private var counts: [Int64] = []
    private var keys: [UInt64] = []

    @inline(__always)
    private func above(_ i: Int, _ j: Int) -> Bool {
        counts[i] > counts[j] || (counts[i] == counts[j] && keys[i] < keys[j])
    }

    mutating func push(count: Int64, key: UInt64) {
        guard count > 0 else { return }
        counts.append(count)
        keys.append(key)
        var i = counts.count - 1
        while i > 0 {
            let parent = (i - 1) >> 1
            guard above(i, parent) else { break }
            counts.swapAt(i, parent)
            keys.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Int64, UInt64)? {
        guard let topCount = counts.first, let topKey = keys.first else { return nil }
        let last = counts.count - 1
        counts.swapAt(0, last)
        keys.swapAt(0, last)
        counts.removeLast()
        keys.removeLast()
        var i = 0
        let n = counts.count
        while true {
            var best = i
            let l = 2 * i + 1, r = l + 1
            if l < n, above(l, best) { best = l }
            if r < n, above(r, best) { best = r }
            if best == i { break }
            counts.swapAt(i, best)
            keys.swapAt(i, best)
            i = best
        }
        return (topCount, topKey)
    }
}
