/// A document's rank under `keep: highest_quality`, for the dedup sketches' priority field (lower wins):
/// higher scores get lower ranks, ordered as the scores are as 32-bit floats (scores closer than that
/// tie, and a tie goes to the first document); a missing or non-numeric score ranks last.
public enum QualityRank {
    public static let unscored = Int(UInt32.max)

    /// The rank of `value`, a metadata value holding a number (`0.93`, `3`, `"3"`).
    public static func rank(_ value: String?) -> Int {
        guard var text = value?.utf8[...] else { return unscored }
        if text.first == UInt8(ascii: "\""), text.last == UInt8(ascii: "\""), text.count >= 2 {
            text = text.dropFirst().dropLast()
        }
        guard let score = Double(String(decoding: text, as: UTF8.self)), score.isFinite else { return unscored }
        let bits = Float(score).bitPattern
        // the float's bits as an unsigned integer in the floats' order, then reversed: higher, lower rank
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return Int(~ascending)
    }
}
