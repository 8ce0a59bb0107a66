import GristCore

/// `length`: drops documents outside character and word bounds.
///
/// Characters are Unicode scalars; words are runs of non-whitespace separated by ASCII whitespace.
/// Reasons: `too_short`, `too_long`.
public struct LengthFilter: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        public var minChars = 0
        public var maxChars: Int?
        public var minWords = 0
        public var maxWords: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case minChars = "min_chars", maxChars = "max_chars", minWords = "min_words", maxWords = "max_words"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try c.decode(.minChars, into: &minChars, .atLeast(0))
            maxChars = try c.optionalValue(.maxChars, .atLeast(1))
            try c.decode(.minWords, into: &minWords, .atLeast(0))
            maxWords = try c.optionalValue(.maxWords, .atLeast(1))
            if let maxChars, maxChars < minChars {
                throw ConfigError("max_chars (\(maxChars)) is below min_chars (\(minChars)): every document would be dropped",
                                  at: c.location(of: .maxChars) ?? ConfigLocation(file: "<config>", line: nil, path: "max_chars"))
            }
            if let maxWords, maxWords < minWords {
                throw ConfigError("max_words (\(maxWords)) is below min_words (\(minWords)): every document would be dropped",
                                  at: c.location(of: .maxWords) ?? ConfigLocation(file: "<config>", line: nil, path: "max_words"))
            }
        }
    }

    public static let kind = "length"
    public let options: Options

    public init(options: Options) { self.options = options }

    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        let (chars, words) = Self.count(document.text)
        if chars < options.minChars || words < options.minWords { return .drop(reason: "too_short") }
        if let max = options.maxChars, chars > max { return .drop(reason: "too_long") }
        if let max = options.maxWords, words > max { return .drop(reason: "too_long") }
        return .keep
    }

    /// Unicode scalars and whitespace-separated words of UTF-8 `text`, in one branch-light pass.
    public static func count(_ text: [UInt8]) -> (chars: Int, words: Int) {
        text.withUnsafeBufferPointer { bytes in
            var chars = 0, words = 0
            var previousWasSpace = 1
            for b in bytes {
                chars &+= (b & 0xC0) != 0x80 ? 1 : 0
                let isSpace = (b == 0x20 || (b >= 0x09 && b <= 0x0D)) ? 1 : 0
                words &+= previousWasSpace & (1 - isSpace)
                previousWasSpace = isSpace
            }
            return (chars, words)
        }
    }
}
