import GristCore

/// `unicode`: Unicode normalization, NFC (default) or NFKC. Changes only the segments that can change.
public struct UnicodeCleaner: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        public var form: CleanConfig.UnicodeForm = .nfc

        enum CodingKeys: String, CodingKey, CaseIterable { case form }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try c.decodeIfPresent(.form, into: &form)
        }
    }

    public static let kind = "unicode"
    public let options: Options
    public init(options: Options) { self.options = options }
    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        let out = UnicodeNormalizer.normalize(document.text, form: options.form)
        if out != document.text { document.text = out }
        return .keep
    }
}

/// `control`: removes C0 controls other than tab, newline and carriage return, DEL, C1 controls,
/// and a byte-order mark at the start. A document left empty is dropped (`empty`).
public struct ControlCleaner: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        enum CodingKeys: String, CodingKey, CaseIterable { case unused }
        public init() {}
        public init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: CodingKeys.self) }
    }

    public static let kind = "control"
    public init(options: Options = .init()) {}
    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        let out = WhitespaceAndControl.clean(document.text, removeControl: true, normalizeWhitespace: false)
        if out != document.text { document.text = out }
        return document.text.isEmpty ? .drop(reason: "empty") : .keep
    }
}

/// `whitespace`: line endings to `\n` (also U+2028/U+2029), no trailing spaces or tabs, at most one
/// blank line in a row, no blank space at the start or end. Spaces inside lines are kept. A
/// document left empty is dropped (`empty`).
public struct WhitespaceCleaner: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        enum CodingKeys: String, CodingKey, CaseIterable { case unused }
        public init() {}
        public init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: CodingKeys.self) }
    }

    public static let kind = "whitespace"
    public init(options: Options = .init()) {}
    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        let out = WhitespaceAndControl.clean(document.text, removeControl: false, normalizeWhitespace: true)
        if out != document.text { document.text = out }
        return document.text.isEmpty ? .drop(reason: "empty") : .keep
    }
}
