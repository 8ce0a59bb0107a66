/// LSD radix sort of 32-bit values, a byte per pass (insertion sort for short arrays): the shingle
/// sets are sorted once per document, and this is about twice as fast as the standard library's
/// merge sort on them.
enum RadixSort {
    /// Sorts `values` ascending; `scratch` is resized and reused.
    static func sort(_ values: inout [UInt32], scratch: inout [UInt32]) {
        let n = values.count
        if n < 64 {
            values.withUnsafeMutableBufferPointer { v in
                for i in 1..<max(n, 1) {
                    let x = v[i]
                    var j = i
                    while j > 0, v[j - 1] > x {
                        v[j] = v[j - 1]
                        j -= 1
                    }
                    v[j] = x
                }
            }
            return
        }
        if scratch.count < n { scratch = [UInt32](repeating: 0, count: n) }
        var counts = [Int](repeating: 0, count: 256 * 4)
        values.withUnsafeMutableBufferPointer { v in
            scratch.withUnsafeMutableBufferPointer { s in
                counts.withUnsafeMutableBufferPointer { c in
                    for x in v {
                        c[Int(x & 0xFF)] += 1
                        c[256 + Int((x >> 8) & 0xFF)] += 1
                        c[512 + Int((x >> 16) & 0xFF)] += 1
                        c[768 + Int(x >> 24)] += 1
                    }
                    var source = v, target = UnsafeMutableBufferPointer(rebasing: s[0..<n])
                    for pass in 0..<4 {
                        let base = pass * 256, shift = UInt32(pass * 8)
                        var sum = 0
                        for bucket in 0..<256 {
                            let count = c[base + bucket]
                            c[base + bucket] = sum
                            sum += count
                        }
                        for x in source {
                            let bucket = base + Int((x >> shift) & 0xFF)
                            target[c[bucket]] = x
                            c[bucket] += 1
                        }
                        swap(&source, &target)
                    }
                    // Four passes: the result is back in `v`.
                }
            }
        }
    }
}
