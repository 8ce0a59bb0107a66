/// Cleaning applied to every document before filtering.
///
/// Two forms: a mapping of the built-in cleaner's switches (`{unicode: nfc, remove_control: true,
/// normalize_whitespace: true}`), or a list of cleaners that run in order, each a single-key map
/// (`- unicode: {form: nfkc}`, `- pii: {}`); every key is in docs/config.md.
public struct CleanConfig: Decodable, Sendable, ConfigSection {
    public enum UnicodeForm: String, ConfigEnum { case nfc, nfkc, none }

    public var unicode = UnicodeForm.nfc
    /// Remove C0/C1 control characters other than tab, newline and carriage return, and a byte-order
    /// mark at the start of the document.
    public var removeControl = true
    /// Unify line endings, strip trailing spaces, collapse runs of blank lines, trim the document.
    public var normalizeWhitespace = true
    /// The list form: cleaners in the order they run (kinds in GristClean's `CleanerRegistry`);
    /// nil for the mapping form.
    public var steps: [DeferredConfig]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case unicode, removeControl = "remove_control", normalizeWhitespace = "normalize_whitespace"
    }

    /// The defaults: NFC, control characters removed, whitespace normalized.
    public init() {}

    public init(from decoder: any Decoder) throws {
        if let node = decoder as? ConfigNodeDecoder, case .sequence = node.node {
            self.init()
            steps = try [DeferredConfig](from: decoder)
            return
        }
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decodeIfPresent(.unicode, into: &unicode)
        try c.decode(.removeControl, into: &removeControl)
        try c.decode(.normalizeWhitespace, into: &normalizeWhitespace)
    }
}
