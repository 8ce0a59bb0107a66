import GristCore

/// `pii`: replaces e-mail addresses and public IPv4 addresses, as datatrove 0.10.1's `PIIFormatter`.
///
/// The patterns are datatrove's (an RFC 5322-style address: `\b` local-part `@` domain or
/// `[IPv4]`; a dotted quad of 0–255 octets with no word boundaries), found left to right without
/// overlaps. An IP is replaced only when Python 3.11's `ipaddress` accepts it (no leading zeros)
/// and calls it global (not private, reserved or shared). Replacements are used in turn from their
/// lists; unlike datatrove, whose turn carries over from one document to the next (and so depends
/// on document order and worker), the turn restarts with every document, so outputs are reproducible.
public struct PIICleaner: DocumentRule {
    public struct Options: Decodable, Sendable, ConfigSection {
        public var removeEmails = true
        public var removeIPs = true
        public var onlyRemovePublicIPs = true
        /// datatrove's defaults: example.com/org addresses kept by IANA as examples.
        public var emailReplacement = ["email@example.com", "firstname.lastname@example.org"]
        /// datatrove's defaults: addresses that did not answer when its list was made.
        public var ipReplacement = ["22.214.171.124", "126.96.36.199", "188.8.131.52", "184.108.40.206",
                                    "220.127.116.11", "18.104.22.168"]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case removeEmails = "remove_emails", removeIPs = "remove_ips"
            case onlyRemovePublicIPs = "only_remove_public_ips"
            case emailReplacement = "email_replacement", ipReplacement = "ip_replacement"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try c.decode(.removeEmails, into: &removeEmails)
            try c.decode(.removeIPs, into: &removeIPs)
            try c.decode(.onlyRemovePublicIPs, into: &onlyRemovePublicIPs)
            emailReplacement = try Self.list(c, .emailReplacement, emailReplacement)
            ipReplacement = try Self.list(c, .ipReplacement, ipReplacement)
        }

        /// A string or a non-empty list of strings.
        private static func list(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, _ d: [String]) throws -> [String] {
            guard c.contains(key) else { return d }
            if let one = try? c.decode(String.self, forKey: key) { return [one] }
            let many = try c.decode([String].self, forKey: key)
            if many.isEmpty {
                throw ConfigError("expected at least one replacement",
                                  at: c.location(of: key) ?? ConfigLocation(file: "<config>", line: nil, path: key.rawValue))
            }
            return many
        }
    }

    public static let kind = "pii"
    public let options: Options
    private let emailReplacements: [[UInt32]]
    private let ipReplacements: [[UInt32]]

    public init(options: Options) {
        self.options = options
        emailReplacements = options.emailReplacement.map { $0.unicodeScalars.map(\.value) }
        ipReplacements = options.ipReplacement.map { $0.unicodeScalars.map(\.value) }
    }

    public var name: String { Self.kind }

    public func apply(to document: inout Document) -> Verdict {
        // Both patterns need an '@' or a '.' next to a digit; most documents are left alone cheaply.
        let hasAt = document.text.contains(0x40), hasDot = document.text.contains(0x2E)
        guard (options.removeEmails && hasAt) || (options.removeIPs && hasDot) else { return .keep }
        var t = String(decoding: document.text, as: UTF8.self).unicodeScalars.map(\.value)
        var changed = false
        if options.removeEmails, hasAt { changed = replaceEmails(&t) || changed }
        if options.removeIPs, hasDot { changed = replaceIPs(&t) || changed }
        if changed {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: t.compactMap(Unicode.Scalar.init))
            document.text = Array(String(s).utf8)
        }
        return .keep
    }

    // MARK: e-mail addresses

    private func replaceEmails(_ t: inout [UInt32]) -> Bool {
        var out: [UInt32] = []
        var turn = 0
        var last = 0
        var i = 0
        var changed = false
        t.withUnsafeBufferPointer { p in
            while i < p.count {
                if let end = Self.emailMatch(p, at: i) {
                    out.append(contentsOf: p[last..<i])
                    out.append(contentsOf: emailReplacements[turn % emailReplacements.count])
                    turn += 1
                    changed = true
                    last = end
                    i = end
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: p[last..<p.count])
        }
        if changed { t = out }
        return changed
    }

    @inline(__always) static func isLocalChar(_ c: UInt32) -> Bool {
        // [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]
        if c &- 0x61 < 26 || c &- 0x41 < 26 || c &- 0x30 < 10 { return true }
        switch c {
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2F, 0x3D, 0x3F, 0x5E, 0x5F, 0x60, 0x7B, 0x7C, 0x7D,
             0x7E, 0x2D: return true
        default: return false
        }
    }

    @inline(__always) static func isAlnum(_ c: UInt32) -> Bool { c &- 0x61 < 26 || c &- 0x41 < 26 || c &- 0x30 < 10 }

    /// Python `re`'s `\w` (letters, digits and numbers of any script, and `_`).
    static func isWord(_ c: UInt32) -> Bool {
        if c < 0x80 { return isAlnum(c) || c == 0x5F }
        guard let s = Unicode.Scalar(c) else { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber: return true
        default: return s.properties.numericType != nil
        }
    }

    /// The end of the e-mail address starting at `i`, if one does.
    static func emailMatch(_ t: UnsafeBufferPointer<UInt32>, at i: Int) -> Int? {
        let n = t.count
        guard isLocalChar(t[i]) else { return nil }
        // \b before the first character.
        let before = i > 0 && isWord(t[i - 1])
        if before == isWord(t[i]) { return nil }
        // local part: run (\. run)*, then '@'
        var j = i
        while j < n, isLocalChar(t[j]) { j += 1 }
        while j + 1 < n, t[j] == 0x2E, isLocalChar(t[j + 1]) {
            j += 1
            while j < n, isLocalChar(t[j]) { j += 1 }
        }
        guard j < n, t[j] == 0x40 else { return nil }
        let d = j + 1
        if let end = domainMatch(t, d) { return end }
        return bracketMatch(t, d)
    }

    /// `(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?`, greedy.
    private static func domainMatch(_ t: UnsafeBufferPointer<UInt32>, _ d: Int) -> Int? {
        let n = t.count
        // Labels: maximal runs of [A-Za-z0-9-] that start and end with an alphanumeric, each followed by '.'.
        var labelEnds: [Int] = []  // position of the '.' after each label
        var p = d
        while p < n, isAlnum(t[p]) {
            var q = p
            while q < n, isAlnum(t[q]) || t[q] == 0x2D { q += 1 }
            guard isAlnum(t[q - 1]), q < n, t[q] == 0x2E else { break }
            labelEnds.append(q)
            p = q + 1
        }
        // Greedy: as many labels as possible, then a final label; back off one label at a time.
        for k in stride(from: labelEnds.count, through: 1, by: -1) {
            let start = labelEnds[k - 1] + 1
            guard start < n, isAlnum(t[start]) else { continue }
            var q = start
            while q < n, isAlnum(t[q]) || t[q] == 0x2D { q += 1 }
            while q > start, !isAlnum(t[q - 1]) { q -= 1 }
            return q
        }
        return nil
    }

    /// `\[(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?|[A-Za-z0-9-]*[A-Za-z0-9]:)]`
    private static func bracketMatch(_ t: UnsafeBufferPointer<UInt32>, _ d: Int) -> Int? {
        let n = t.count
        guard d < n, t[d] == 0x5B else { return nil }
        func octets(_ p: Int, _ remaining: Int) -> Int? {
            for e in octetEnds(t, p) {
                if remaining > 0 {
                    if e < n, t[e] == 0x2E, let r = octets(e + 1, remaining - 1) { return r }
                } else if e < n, t[e] == 0x5D {
                    return e + 1
                }
            }
            if remaining == 0 {
                // [A-Za-z0-9-]*[A-Za-z0-9]: then ']'
                var q = p
                while q < n, isAlnum(t[q]) || t[q] == 0x2D { q += 1 }
                var r = q
                while r > p {
                    if isAlnum(t[r - 1]), r + 1 < n, t[r] == 0x3A, t[r + 1] == 0x5D { return r + 2 }
                    r -= 1
                }
            }
            return nil
        }
        return octets(d + 1, 3)
    }

    /// End positions of `25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?` at `p`, in the order `re` tries them.
    static func octetEnds(_ t: UnsafeBufferPointer<UInt32>, _ p: Int) -> [Int] {
        let n = t.count
        func c(_ k: Int) -> UInt32? { p + k < n ? t[p + k] : nil }
        func digit(_ k: Int, _ range: ClosedRange<UInt32> = 0x30...0x39) -> Bool { c(k).map { range.contains($0) } ?? false }
        var ends: [Int] = []
        if digit(0, 0x32...0x32), digit(1, 0x35...0x35), digit(2, 0x30...0x35) { ends.append(p + 3) }
        if digit(0, 0x32...0x32), digit(1, 0x30...0x34), digit(2) { ends.append(p + 3) }
        if digit(0, 0x30...0x31), digit(1) {
            if digit(2) { ends.append(p + 3) }
            ends.append(p + 2)
        }
        if digit(0) {
            if digit(1) { ends.append(p + 2) }
            ends.append(p + 1)
        }
        return ends
    }

    // MARK: IP addresses

    private func replaceIPs(_ t: inout [UInt32]) -> Bool {
        var out: [UInt32] = []
        var turn = 0
        var last = 0
        var i = 0
        var changed = false
        t.withUnsafeBufferPointer { p in
            while i < p.count {
                guard p[i] &- 0x30 < 10, let end = Self.ipMatch(p, at: i) else {
                    i += 1
                    continue
                }
                if !options.removeIPs || !Self.isReplaceable(p, i, end, publicOnly: options.onlyRemovePublicIPs) {
                    i = end
                    continue
                }
                out.append(contentsOf: p[last..<i])
                out.append(contentsOf: ipReplacements[turn % ipReplacements.count])
                turn += 1
                changed = true
                last = end
                i = end
            }
            out.append(contentsOf: p[last..<p.count])
        }
        if changed { t = out }
        return changed
    }

    /// The end of the dotted quad `re` finds at `i` (first alternative that completes, in backtracking order).
    static func ipMatch(_ t: UnsafeBufferPointer<UInt32>, at i: Int) -> Int? {
        func quad(_ p: Int, _ remaining: Int) -> Int? {
            for e in octetEnds(t, p) {
                if remaining == 0 { return e }
                if e < t.count, t[e] == 0x2E, let r = quad(e + 1, remaining - 1) { return r }
            }
            return nil
        }
        return quad(i, 3)
    }

    /// Python 3.11's `ipaddress.ip_address(s)` succeeds (no octet with a leading zero) and, when
    /// `publicOnly`, the address `is_global`.
    static func isReplaceable(_ t: UnsafeBufferPointer<UInt32>, _ s: Int, _ e: Int, publicOnly: Bool) -> Bool {
        var octets: [UInt32] = []
        var value: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for i in s...e {
            if i == e || t[i] == 0x2E {
                if leadingZero && digits > 1 { return false }
                octets.append(value)
                value = 0
                digits = 0
                continue
            }
            if digits == 0 { leadingZero = t[i] == 0x30 }
            value = value * 10 + (t[i] - 0x30)
            digits += 1
        }
        guard octets.count == 4 else { return false }
        guard publicOnly else { return true }
        let a = (octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]
        func inNet(_ base: UInt32, _ bits: UInt32) -> Bool {
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
            return a & mask == base & mask
        }
        func ip(_ x: UInt32, _ y: UInt32, _ z: UInt32, _ w: UInt32) -> UInt32 { x << 24 | y << 16 | z << 8 | w }
        // ipaddress._IPv4Constants (Python 3.11): _public_network and _private_networks.
        if inNet(ip(100, 64, 0, 0), 10) { return false }
        let privateNetworks: [(UInt32, UInt32)] = [
            (ip(0, 0, 0, 0), 8), (ip(10, 0, 0, 0), 8), (ip(127, 0, 0, 0), 8), (ip(169, 254, 0, 0), 16),
            (ip(172, 16, 0, 0), 12), (ip(192, 0, 0, 0), 29), (ip(192, 0, 0, 170), 31), (ip(192, 0, 2, 0), 24),
            (ip(192, 168, 0, 0), 16), (ip(198, 18, 0, 0), 15), (ip(198, 51, 100, 0), 24), (ip(203, 0, 113, 0), 24),
            (ip(240, 0, 0, 0), 4), (ip(255, 255, 255, 255), 32),
        ]
        return !privateNetworks.contains { inNet($0.0, $0.1) }
    }
}
