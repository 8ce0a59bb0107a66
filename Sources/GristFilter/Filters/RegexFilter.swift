import Foundation
import GristCore

/// `regex`: drops (or keeps only) documents in which an ICU regular expression finds a match.
///
/// `action: drop` (default) is datatrove's `RegexFilter(regex_exp)`: drop a document when the
/// pattern matches anywhere (reason `match`). `action: keep` keeps only matching documents
/// (reason `no_match`). ICU's syntax is close to Python's `re` for common patterns.
public struct RegexFilter: DocumentRule {
    public enum Action: String, ConfigEnum { case drop, keep }

    public struct Options: Decodable, Sendable, ConfigSection {
        public var pattern: String
        public var action: Action = .drop
        public var ignoreCase = false

        enum CodingKeys: String, CodingKey, CaseIterable { case pattern, action, ignoreCase = "ignore_case" }

        public init(pattern: String) { self.pattern = pattern }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pattern = try c.value(.pattern, .nonEmpty)
            try c.decodeIfPresent(.action, into: &action)
            try c.decode(.ignoreCase, into: &ignoreCase)
            do {
                _ = try NSRegularExpression(pattern: pattern)
            } catch {
                throw ConfigError("not a valid regular expression: \(pattern)",
                                  at: c.location(of: .pattern) ?? ConfigLocation(file: "<config>", line: nil, path: "pattern"))
            }
        }
    }

    public static let kind = "regex"
    public let options: Options
    private let expression: SharedRegex

    public init(options: Options) throws {
        self.options = options
        expression = SharedRegex(try NSRegularExpression(pattern: options.pattern,
                                                         options: options.ignoreCase ? [.caseInsensitive] : []))
    }

    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        let text = String(decoding: document.text, as: UTF8.self)
        let found = expression.regex.firstMatch(in: text, range: NSRange(text.startIndex..<text.endIndex, in: text)) != nil
        switch options.action {
        case .drop: return found ? .drop(reason: "match") : .keep
        case .keep: return found ? .keep : .drop(reason: "no_match")
        }
    }
}

/// `NSRegularExpression` is immutable after creation and safe to share between threads.
struct SharedRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
}
