import Foundation
import GristCore

/// Unicode normalization (NFC or NFKC) that touches only the parts of a text that can change.
///
/// Every scalar below U+0300 is already NFC, so a text without a byte ≥ 0xCC is returned as is. Otherwise
/// the text is cut before ASCII characters (no canonical composition ever ends with an ASCII character,
/// and combining marks never reorder across one), and only the segments that hold candidate bytes go
/// through Foundation's normalizer. The result equals normalizing the whole text.
public enum UnicodeNormalizer {
    public static func normalize(_ text: [UInt8], form: CleanConfig.UnicodeForm) -> [UInt8] {
        let threshold: UInt8
        switch form {
        case .none: return text
        case .nfc: threshold = 0xCC  // lead byte of U+0300 and above
        case .nfkc: threshold = 0x80  // compatibility mappings start in Latin-1 (U+00A0)
        }
        guard text.contains(where: { $0 >= threshold }) else { return text }

        var out = [UInt8]()
        out.reserveCapacity(text.count + text.count / 8)
        text.withUnsafeBufferPointer { bytes in
            let n = bytes.count
            var i = 0
            while i < n {
                // Copy an ASCII run, keeping its last character for the following segment:
                // it may compose with the marks after it.
                var j = i
                while j < n, bytes[j] < 0x80 { j += 1 }
                if j == n {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<n]))
                    break
                }
                let start = j > i ? j - 1 : j
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<start]))
                var k = j
                var needs = false
                while k < n, bytes[k] >= 0x80 {
                    if bytes[k] >= threshold { needs = true }
                    k += 1
                }
                let segment = UnsafeBufferPointer(rebasing: bytes[start..<k])
                if needs {
                    let string = String(decoding: segment, as: UTF8.self)
                    let normalized = form == .nfc
                        ? string.precomposedStringWithCanonicalMapping
                        : string.precomposedStringWithCompatibilityMapping
                    out.append(contentsOf: normalized.utf8)
                } else {
                    out.append(contentsOf: segment)
                }
                i = k
            }
        }
        return out
    }
}
