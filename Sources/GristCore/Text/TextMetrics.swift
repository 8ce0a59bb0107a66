/// Counts over UTF-8 text that several stages need, written once and fast.
public enum TextMetrics {
    /// Unicode scalars in valid UTF-8 `text`: every byte that is not a continuation byte.
    public static func scalarCount(_ text: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in text { count &+= (byte & 0xC0) != 0x80 ? 1 : 0 }
        return count
    }

    public static func scalarCount(_ text: [UInt8]) -> Int { text.withUnsafeBytes { scalarCount($0) } }
}
