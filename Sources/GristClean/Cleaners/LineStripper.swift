import Foundation
import GristCore

/// `strip_lines`: removes boilerplate lines, those in which one of `patterns` (ICU regular
/// expressions, searched in the line without its line break) finds a match, e.g.
/// `^(Share this|Subscribe)`, `^\s*(Home|Menu)\s*$`. The other lines keep their order and breaks.
/// A document left empty is dropped (`empty`).
public struct LineStripper: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        public var patterns: [String] = []
        /// Match without regard to case.
        public var ignoreCase = false

        enum CodingKeys: String, CodingKey, CaseIterable { case patterns, ignoreCase = "ignore_case" }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            patterns = try c.decode([String].self, forKey: .patterns)
            try c.decode(.ignoreCase, into: &ignoreCase)
            let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "patterns")
            if patterns.isEmpty { throw ConfigError("expected at least one pattern", at: c.location(of: .patterns) ?? here) }
            for pattern in patterns {
                do {
                    _ = try NSRegularExpression(pattern: pattern)
                } catch {
                    throw ConfigError("not a valid regular expression: \(pattern)", at: c.location(of: .patterns) ?? here)
                }
            }
        }
    }

    public static let kind = "strip_lines"
    public let options: Options
    private let expressions: [UncheckedRegex]

    public init(options: Options) throws {
        self.options = options
        expressions = try options.patterns.map {
            UncheckedRegex(try NSRegularExpression(pattern: $0, options: options.ignoreCase ? [.caseInsensitive] : []))
        }
    }

    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        let text = String(decoding: document.text, as: UTF8.self)
        var out = ""
        var changed = false
        var lineStart = text.startIndex
        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
            let next = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
            let line = String(text[lineStart..<lineEnd])
            let range = NSRange(line.startIndex..<line.endIndex, in: line)
            if expressions.contains(where: { $0.regex.firstMatch(in: line, range: range) != nil }) {
                changed = true
            } else {
                out += text[lineStart..<next]
            }
            lineStart = next
        }
        guard changed else { return .keep }
        document.text = Array(out.utf8)
        return document.text.isEmpty ? .drop(reason: "empty") : .keep
    }
}

/// `NSRegularExpression` is immutable after creation and documented as safe to share between threads.
struct UncheckedRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
}
