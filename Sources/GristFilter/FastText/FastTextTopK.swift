/// fastText's top-k: a min-heap of (log-probability, label) pairs kept with the same sift steps as
/// libstdc++'s `push_heap` / `pop_heap` / `sort_heap` (with fastText's "greater first" comparison), so
/// ties come out in the order fastText gives them.
struct FastTextTopK {
    var items: [(score: Float, label: Int32)] = []

    @inline(__always)
    private static func before(_ a: (score: Float, label: Int32), _ b: (score: Float, label: Int32)) -> Bool {
        a.score > b.score
    }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    var count: Int { items.count }
    var front: Float { items[0].score }

    private mutating func siftUp(hole start: Int, top: Int, value: (score: Float, label: Int32)) {
        var hole = start
        var parent = (hole - 1) / 2
        while hole > top && Self.before(items[parent], value) {
            items[hole] = items[parent]
            hole = parent
            parent = (hole - 1) / 2
        }
        items[hole] = value
    }

    private mutating func adjust(hole start: Int, length: Int, value: (score: Float, label: Int32)) {
        let top = start
        var hole = start
        var second = start
        while second < (length - 1) / 2 {
            second = 2 * (second + 1)
            if Self.before(items[second], items[second - 1]) { second -= 1 }
            items[hole] = items[second]
            hole = second
        }
        if length & 1 == 0 && second == (length - 2) / 2 {
            second = 2 * (second + 1)
            items[hole] = items[second - 1]
            hole = second - 1
        }
        siftUp(hole: hole, top: top, value: value)
    }

    /// Moves the heap's front to `last` and re-heaps `0..<last`.
    private mutating func popFront(last: Int) {
        let value = items[last]
        items[last] = items[0]
        adjust(hole: 0, length: last, value: value)
    }

    /// Adds a candidate, keeping at most k.
    mutating func push(_ score: Float, _ label: Int32, k: Int) {
        items.append((score, label))
        siftUp(hole: items.count - 1, top: 0, value: items[items.count - 1])
        if items.count > k {
            if items.count > 1 { popFront(last: items.count - 1) }
            items.removeLast()
        }
    }

    /// Sorts best first (fastText's `sort_heap`).
    mutating func sort() {
        var last = items.count
        while last > 1 {
            last -= 1
            popFront(last: last)
        }
    }
}
