#if canImport(Glibc)
import Glibc
#endif

/// A selection of special tokens by name, for `BPEEncoder.encode`'s `allowedSpecial` and
/// `disallowedSpecial` (tiktoken's `allowed_special` / `disallowed_special`).
public struct SpecialTokens: Sendable, Hashable {
    enum Selection: Sendable, Hashable {
        case all
        case named(Set<String>)
    }

    let selection: Selection

    /// No special token (tiktoken's `set()`).
    public static let none = SpecialTokens(selection: .named([]))
    /// Every special token of the vocabulary (tiktoken's `"all"`). As `disallowedSpecial` it means
    /// every special token that is not in `allowedSpecial`.
    public static let all = SpecialTokens(selection: .all)

    /// These names only, e.g. `.named(["<|endoftext|>"])`.
    public static func named(_ names: Set<String>) -> SpecialTokens { SpecialTokens(selection: .named(names)) }
}

/// A special token: text that, when allowed, encodes to one fixed id instead of being split.
public struct SpecialToken: Sendable, Hashable {
    public var name: String
    public var id: UInt32
    /// The UTF-8 bytes of `name`, matched against raw text.
    var bytes: [UInt8]

    init(name: String, id: UInt32) {
        self.name = name
        self.id = id
        self.bytes = Array(name.utf8)
    }
}

/// Finds literal byte strings (special token texts) in raw text.
enum SpecialTokenSearch {
    /// The leftmost occurrence at or after `from` of any of `needles` (the longest one when several
    /// start at the same byte): its index in `needles` and its start, or nil.
    static func first(of needles: [[UInt8]], in text: UnsafeBufferPointer<UInt8>, from: Int) -> (needle: Int, start: Int)? {
        var best: (needle: Int, start: Int)?
        for (index, needle) in needles.enumerated() {
            let limit = best.map { $0.start + needle.count } ?? text.count
            guard let start = firstIndex(of: needle, in: text, from: from, endingBefore: min(limit, text.count))
            else { continue }
            if let current = best, current.start < start
                || (current.start == start && needles[current.needle].count >= needle.count) {
                continue
            }
            best = (index, start)
        }
        return best
    }

    /// Start of the first occurrence of `needle` entirely inside `text[from ..< end]`.
    private static func firstIndex(of needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from: Int,
                                   endingBefore end: Int) -> Int? {
        guard let first = needle.first, let base = text.baseAddress, end - from >= needle.count else { return nil }
        var i = from
        let lastStart = end - needle.count
        while i <= lastStart {
            guard let hit = memchr(base + i, Int32(first), lastStart - i + 1) else { return nil }
            let start = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + start, needle, needle.count) == 0 { return start }
            i = start + 1
        }
        return nil
    }
}
