/// Stops a decompression bomb: a compressed member that expands far more than real text does.
///
/// Real text compresses 3-20x (zstd at high levels on repetitive JSON: up to about 50x); a gzip bomb
/// of zeros expands about 1000x, zstd ones far more. The ratio is measured per member (gzip member,
/// zstd frame, bzip2 stream), so one bomb record in a Common Crawl WARC (a gzip member per record)
/// is caught on its own, and only once a member has produced `floorBytes`, so that tiny members
/// (a 20-byte header expanding to 2 KB of zeros) are never flagged.
struct ExpansionGuard {
    static let floorBytes = 1 << 20

    let maxRatio: Double
    /// "gzip member", for the message.
    let format: String

    /// A `.skip(.decompressionBomb)` failure once `output` bytes came from `input` compressed bytes of one
    /// member at a higher ratio than allowed; nil otherwise.
    @inline(__always)
    func check(output: Int, input: Int, at compressedOffset: Int) -> StreamFailure? {
        guard output > Self.floorBytes, Double(output) > maxRatio * Double(max(input, 1)) else { return nil }
        let ratio = Double(output) / Double(max(input, 1))
        return StreamFailure(
            kind: .skip(.decompressionBomb),
            message: "\(format) expands more than max_expansion_ratio (\(Self.format(maxRatio))): "
                + "\(output) bytes from \(input) compressed bytes (\(Self.format(ratio))x) "
                + "near compressed byte \(compressedOffset); the rest of the file is skipped",
            hint: "a decompression bomb, or unusually repetitive data: raise the source's max_expansion_ratio "
                + "to read it")
    }

    private static func format(_ value: Double) -> String {
        value >= 100 || value == value.rounded() ? String(Int(value.rounded())) : String(Double(Int(value * 10)) / 10)
    }
}
