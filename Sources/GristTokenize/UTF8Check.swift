/// Finds malformed UTF-8, so tools can report where text stops being valid (the encoder itself takes
/// any bytes: see `BPEEncoder`).
public enum UTF8Check {
    /// Byte offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629:
    /// no overlong forms, surrogates or code points above U+10FFFF), or nil if all of `bytes` is valid.
    public static func firstInvalid(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let raw = bytes.baseAddress, !bytes.isEmpty else { return nil }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let splitter = PreTokenizer(base: base, count: bytes.count)
        var i = 0
        while i < bytes.count {
            if base[i] < 0x80 {
                i += 1
                continue
            }
            let length = splitter.validSequenceLength(at: i)
            if length == 0 { return i }
            i += length
        }
        return nil
    }
}
