/// Where the byte-array values of one page are: a start and a length per value into one source buffer
/// (the decompressed page, the dictionary or a scratch buffer), so decoders copy nothing and the
/// column reader copies each value once, into the column's one buffer. Reused from page to page.
struct ByteArrayViews {
    private(set) var starts: [Int] = []
    private(set) var lengths: [Int] = []
    /// Values held (the arrays' first `count` elements).
    private(set) var count = 0
    /// The sum of the values' lengths.
    private(set) var totalBytes = 0

    /// Makes room for `count` values and fills them through `body`, which writes the starts and
    /// lengths and returns the total length.
    mutating func fill(
        count: Int,
        _ body: (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>) throws(DecodeFailure) -> Int
    ) throws(DecodeFailure) {
        if starts.count < count {
            starts = [Int](repeating: 0, count: count)
            lengths = [Int](repeating: 0, count: count)
        }
        self.count = 0
        totalBytes = 0
        var result: Result<Int, DecodeFailure> = .success(0)
        starts.withUnsafeMutableBufferPointer { startBuffer in
            lengths.withUnsafeMutableBufferPointer { lengthBuffer in
                do throws(DecodeFailure) {
                    result = .success(try body(startBuffer.baseAddress!, lengthBuffer.baseAddress!))
                } catch {
                    result = .failure(error)
                }
            }
        }
        totalBytes = try result.get()
        self.count = count
    }

    /// `count` values of `width` bytes back to back from the source's start.
    mutating func fillFixed(count: Int, width: Int) {
        try! fill(count: count) { starts, lengths in
            for i in 0..<count {
                starts[i] = i * width
                lengths[i] = width
            }
            return count * width
        }
    }
}
