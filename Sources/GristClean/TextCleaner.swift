import GristCore

/// The `clean:` stage: Unicode normalization, control characters, whitespace, in that order.
///
/// A document that is empty after cleaning is dropped with reason `empty`.
public struct TextCleaner: DocumentRule {
    public let config: CleanConfig

    public init(config: CleanConfig) { self.config = config }

    public var name: String { "clean" }

    public func apply(to document: inout Document) -> Verdict {
        document.text = clean(document.text)
        return document.text.isEmpty ? .drop(reason: "empty") : .keep
    }

    /// The cleaned form of `text` (valid UTF-8 in, valid UTF-8 out).
    public func clean(_ text: [UInt8]) -> [UInt8] {
        var text = UnicodeNormalizer.normalize(text, form: config.unicode)
        if config.removeControl || config.normalizeWhitespace {
            text = WhitespaceAndControl.clean(text, removeControl: config.removeControl,
                                              normalizeWhitespace: config.normalizeWhitespace)
        }
        return text
    }
}
