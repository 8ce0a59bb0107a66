/// Cleaning applied to every document before filtering.
public struct CleanConfig: Decodable, Sendable {
    public enum UnicodeForm: String, ConfigEnum { case nfc, nfkc, none }

    public var unicode: UnicodeForm
    /// Remove C0/C1 control characters other than tab, newline and carriage return, and a byte-order
    /// mark at the start of the document.
    public var removeControl: Bool
    /// Unify line endings, strip trailing spaces, collapse runs of blank lines, trim the document.
    public var normalizeWhitespace: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case unicode, removeControl = "remove_control", normalizeWhitespace = "normalize_whitespace"
    }

    public init(unicode: UnicodeForm = .nfc, removeControl: Bool = true, normalizeWhitespace: Bool = true) {
        self.unicode = unicode
        self.removeControl = removeControl
        self.normalizeWhitespace = normalizeWhitespace
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unicode = try c.decodeIfPresent(UnicodeForm.self, forKey: .unicode) ?? .nfc
        removeControl = try c.value(.removeControl, default: true)
        normalizeWhitespace = try c.value(.normalizeWhitespace, default: true)
    }
}
