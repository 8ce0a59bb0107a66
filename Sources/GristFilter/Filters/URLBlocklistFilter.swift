import Foundation
import GristCore

/// `url_blocklist`: drops documents whose source URL (metadata `url`) is on a blocklist, after
/// datatrove 0.10.1's `URLFilter`, with lists from files (one entry a line, `#` comments):
/// - `domains_file`: the URL's host is a listed domain or a subdomain of one (`domain`);
/// - `urls_file`: the whole URL is listed (`url`);
/// - `banned_words_file`: a listed word is one of the URL's words (runs of ASCII letters and
///   digits; `hard_blacklisted`);
/// - `soft_banned_words_file`: at least `soft_word_threshold` listed words are (`soft_blacklisted`);
/// - `banned_subwords_file`: a listed string occurs in the URL lowercased with everything but
///   letters and digits removed (`blacklisted_subword`).
/// datatrove ships its own lists (the UT1 blocklist); these are yours. A document without a URL is
/// kept, or dropped with `missing_url` when `require_url` is set.
public struct URLBlocklistFilter: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        public var domainsFile: String?
        public var urlsFile: String?
        public var bannedWordsFile: String?
        public var softBannedWordsFile: String?
        public var bannedSubwordsFile: String?
        public var softWordThreshold = 2
        public var requireURL = false

        enum CodingKeys: String, CodingKey, CaseIterable {
            case domainsFile = "domains_file", urlsFile = "urls_file", bannedWordsFile = "banned_words_file"
            case softBannedWordsFile = "soft_banned_words_file", bannedSubwordsFile = "banned_subwords_file"
            case softWordThreshold = "soft_word_threshold", requireURL = "require_url"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            domainsFile = try c.optionalValue(.domainsFile, .nonEmpty)
            urlsFile = try c.optionalValue(.urlsFile, .nonEmpty)
            bannedWordsFile = try c.optionalValue(.bannedWordsFile, .nonEmpty)
            softBannedWordsFile = try c.optionalValue(.softBannedWordsFile, .nonEmpty)
            bannedSubwordsFile = try c.optionalValue(.bannedSubwordsFile, .nonEmpty)
            try c.decode(.softWordThreshold, into: &softWordThreshold, .atLeast(1))
            try c.decode(.requireURL, into: &requireURL)
            for key in [CodingKeys.domainsFile, .urlsFile, .bannedWordsFile, .softBannedWordsFile, .bannedSubwordsFile] {
                if let path = try c.optionalValue(key, ConfigConstraint<String>.nonEmpty),
                   !FileManager.default.fileExists(atPath: path) {
                    throw ConfigError("file \"\(path)\" does not exist",
                                      at: c.location(of: key) ?? ConfigLocation(file: "<config>", line: nil, path: key.rawValue))
                }
            }
        }
    }

    public static let kind = "url_blocklist"
    public let options: Options

    /// The list files: their contents decide what is dropped.
    public var inputFiles: [String] {
        [options.domainsFile, options.urlsFile, options.bannedWordsFile, options.softBannedWordsFile,
         options.bannedSubwordsFile].compactMap { $0 }
    }
    private let domains: Set<String>
    private let urls: Set<String>
    private let bannedWords: Set<String>
    private let softBannedWords: Set<String>
    private let bannedSubwords: [String]

    public init(options: Options) throws {
        self.options = options
        func list(_ path: String?, normalize: Bool) throws -> [String] {
            guard let path else { return [] }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return text.split(whereSeparator: \.isNewline).compactMap { line -> String? in
                let entry = line.trimmingCharacters(in: .whitespaces)
                guard !entry.isEmpty, !entry.hasPrefix("#") else { return nil }
                return normalize ? Self.normalize(entry) : entry.lowercased()
            }
        }
        domains = Set(try list(options.domainsFile, normalize: false))
        urls = Set(try list(options.urlsFile, normalize: false).map { $0 })
        bannedWords = Set(try list(options.bannedWordsFile, normalize: true))
        softBannedWords = Set(try list(options.softBannedWordsFile, normalize: true))
        bannedSubwords = try list(options.bannedSubwordsFile, normalize: true).filter { !$0.isEmpty }
    }

    public var name: String { Self.kind }

    /// datatrove's `normalize`: drop everything but ASCII letters and digits, lowercase.
    static func normalize(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })).lowercased()
    }

    public func apply(to document: inout Document) -> Verdict {
        guard let url = document.metadata["url"], !url.isEmpty else {
            return options.requireURL ? .drop(reason: "missing_url") : .keep
        }
        if !domains.isEmpty, let host = Self.host(of: url) {
            var candidate = Substring(host)
            while true {
                if domains.contains(String(candidate)) { return .drop(reason: "domain") }
                guard let dot = candidate.firstIndex(of: ".") else { break }
                candidate = candidate[candidate.index(after: dot)...]
            }
        }
        if urls.contains(url) || urls.contains(url.lowercased()) { return .drop(reason: "url") }
        // datatrove splits the URL as written (not lowercased) at non-alphanumeric runs.
        let words = Set(url.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init))
        if bannedWords.contains(where: words.contains) { return .drop(reason: "hard_blacklisted") }
        if softBannedWords.filter(words.contains).count >= options.softWordThreshold {
            return .drop(reason: "soft_blacklisted")
        }
        if !bannedSubwords.isEmpty {
            let normalized = Self.normalize(url)
            if bannedSubwords.contains(where: normalized.contains) { return .drop(reason: "blacklisted_subword") }
        }
        return .keep
    }

    /// The lowercased host of a URL (scheme, user information and port removed).
    static func host(of url: String) -> String? {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let end = rest.firstIndex(where: { "/?#".contains($0) }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if let colon = rest.lastIndex(of: ":") { rest = rest[..<colon] }
        let host = rest.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return host.isEmpty ? nil : host
    }
}
