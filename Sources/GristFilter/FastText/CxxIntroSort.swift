/// libstdc++'s `std::sort` step for step (introsort: median-of-three quicksort down to runs of 16,
/// heapsort past 2·log₂(n) levels, then one insertion sort), so elements that compare equal end in the
/// same order as in fastText's dictionary, whose words of equal count are sorted this way. Swift's own
/// sort orders such ties differently, which would renumber the words and change every trained weight.
enum CxxIntroSort {
    static let threshold = 16

    /// Sorts `a` by `less` exactly as `std::sort(a.begin(), a.end(), less)` does.
    static func sort<T>(_ a: inout [T], by less: (T, T) -> Bool) {
        let n = a.count
        guard n > 1 else { return }
        a.withUnsafeMutableBufferPointer { p in
            let depth = 2 * (Int.bitWidth - 1 - n.leadingZeroBitCount)
            introsortLoop(p, 0, n, depth, less)
            finalInsertionSort(p, 0, n, less)
        }
    }

    private static func introsortLoop<T>(_ p: UnsafeMutableBufferPointer<T>, _ first: Int, _ lastIn: Int, _ depthIn: Int,
                                         _ less: (T, T) -> Bool) {
        var last = lastIn
        var depth = depthIn
        while last - first > threshold {
            if depth == 0 {
                heapSort(p, first, last, less)
                return
            }
            depth -= 1
            let cut = partitionPivot(p, first, last, less)
            introsortLoop(p, cut, last, depth, less)
            last = cut
        }
    }

    private static func partitionPivot<T>(_ p: UnsafeMutableBufferPointer<T>, _ first: Int, _ last: Int,
                                          _ less: (T, T) -> Bool) -> Int {
        let mid = first + (last - first) / 2
        moveMedianToFirst(p, first, first + 1, mid, last - 1, less)
        return unguardedPartition(p, first + 1, last, first, less)
    }

    private static func moveMedianToFirst<T>(_ p: UnsafeMutableBufferPointer<T>, _ result: Int, _ a: Int, _ b: Int,
                                             _ c: Int, _ less: (T, T) -> Bool) {
        if less(p[a], p[b]) {
            if less(p[b], p[c]) { p.swapAt(result, b) }
            else if less(p[a], p[c]) { p.swapAt(result, c) }
            else { p.swapAt(result, a) }
        } else if less(p[a], p[c]) { p.swapAt(result, a) }
        else if less(p[b], p[c]) { p.swapAt(result, c) }
        else { p.swapAt(result, b) }
    }

    private static func unguardedPartition<T>(_ p: UnsafeMutableBufferPointer<T>, _ firstIn: Int, _ lastIn: Int,
                                              _ pivot: Int, _ less: (T, T) -> Bool) -> Int {
        var first = firstIn
        var last = lastIn
        while true {
            while less(p[first], p[pivot]) { first += 1 }
            last -= 1
            while less(p[pivot], p[last]) { last -= 1 }
            if !(first < last) { return first }
            p.swapAt(first, last)
            first += 1
        }
    }

    private static func finalInsertionSort<T>(_ p: UnsafeMutableBufferPointer<T>, _ first: Int, _ last: Int,
                                              _ less: (T, T) -> Bool) {
        if last - first > threshold {
            insertionSort(p, first, first + threshold, less)
            for i in (first + threshold)..<last { unguardedLinearInsert(p, i, less) }
        } else {
            insertionSort(p, first, last, less)
        }
    }

    private static func insertionSort<T>(_ p: UnsafeMutableBufferPointer<T>, _ first: Int, _ last: Int,
                                         _ less: (T, T) -> Bool) {
        guard first != last else { return }
        var i = first + 1
        while i != last {
            if less(p[i], p[first]) {
                let value = p[i]
                var j = i
                while j > first { p[j] = p[j - 1]; j -= 1 }
                p[first] = value
            } else {
                unguardedLinearInsert(p, i, less)
            }
            i += 1
        }
    }

    private static func unguardedLinearInsert<T>(_ p: UnsafeMutableBufferPointer<T>, _ lastIn: Int,
                                                 _ less: (T, T) -> Bool) {
        let value = p[lastIn]
        var last = lastIn
        var next = last - 1
        while less(value, p[next]) {
            p[last] = p[next]
            last = next
            next -= 1
        }
        p[last] = value
    }

    // `std::__partial_sort(first, last, last)`: make_heap, then sort_heap.
    private static func heapSort<T>(_ p: UnsafeMutableBufferPointer<T>, _ first: Int, _ last: Int,
                                    _ less: (T, T) -> Bool) {
        let len = last - first
        if len >= 2 {
            var parent = (len - 2) / 2
            while true {
                adjustHeap(p, first, parent, len, p[first + parent], less)
                if parent == 0 { break }
                parent -= 1
            }
        }
        var end = last
        while end - first > 1 {
            end -= 1
            let value = p[end]
            p[end] = p[first]
            adjustHeap(p, first, 0, end - first, value, less)
        }
    }

    private static func adjustHeap<T>(_ p: UnsafeMutableBufferPointer<T>, _ first: Int, _ holeIn: Int, _ len: Int,
                                      _ value: T, _ less: (T, T) -> Bool) {
        let top = holeIn
        var hole = holeIn
        var second = holeIn
        while second < (len - 1) / 2 {
            second = 2 * (second + 1)
            if less(p[first + second], p[first + second - 1]) { second -= 1 }
            p[first + hole] = p[first + second]
            hole = second
        }
        if len & 1 == 0 && second == (len - 2) / 2 {
            second = 2 * (second + 1)
            p[first + hole] = p[first + second - 1]
            hole = second - 1
        }
        var parent = (hole - 1) / 2
        while hole > top && less(p[first + parent], value) {
            p[first + hole] = p[first + parent]
            hole = parent
            parent = (hole - 1) / 2
        }
        p[first + hole] = value
    }
}
