import Foundation

/// The normal form of a URL for URL deduplication, on bytes: two URLs that lead to the same page by the
/// usual conventions get the same form.
///
/// 1. Surrounding ASCII whitespace is removed; everything from the first `#` (the fragment) is dropped.
/// 2. The scheme is lowercased; `http` and `https` are treated the same (both become `http`). A URL
///    without a scheme (`www.example.com/a`, `//www.example.com/a`) is read as `http`.
/// 3. The host is lowercased (ASCII letters; a host with other characters, an IDN written in Unicode,
///    is lowercased by Unicode's rules), and a trailing dot is removed. Punycode (`xn--…`) is not
///    converted: `bücher.de` and `xn--bcher-kva.de` stay different. The user information (`user@`)
///    is kept as it is.
/// 4. The default port is removed: `:80` for `http`, `:443` for `https` (and an empty `:`).
/// 5. The path keeps its case; an empty path is `/`, and a trailing `/` is removed from a longer one
///    (`/a/` → `/a`). Percent escapes get uppercase hex digits (`%2f` → `%2F`). Dot segments are not
///    resolved.
/// 6. The query loses its tracking parameters (`isTracking`: `utm_*` and the names of
///    `trackingParameters`, compared without regard to ASCII case) and its empty pieces (`a=1&&b=2`);
///    the other parameters keep their order (`?b=2&a=1` and `?a=1&b=2` stay different: some sites read
///    them in order). A query left empty is removed with its `?`.
///
/// Schemes other than `http` and `https` (`ftp`, `mailto`, …) get steps 1, 2 (lowercased) and the
/// host steps when they have an authority (`//`); no default port is removed for them.
public struct URLNormalizer: Sendable {
    /// Query parameters dropped as tracking parameters, besides every name that starts with `utm_`.
    public static let trackingParameters: [String] = [
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
        "vero_id", "rb_clickid", "s_cid", "wickedid", "li_fat_id", "srsltid",
    ]

    private static let tracking: [[UInt8]] = trackingParameters.map { Array($0.utf8) }

    public init() {}

    /// Whether a query parameter name (bytes) is a tracking parameter: `utm_` followed by anything, or
    /// one of `trackingParameters`, without regard to ASCII case.
    public static func isTracking(_ name: UnsafeRawBufferPointer) -> Bool {
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        if name.count > 4, lower(name[0]) == 0x75, lower(name[1]) == 0x74, lower(name[2]) == 0x6D, name[3] == 0x5F {
            return true
        }
        for entry in tracking where entry.count == name.count {
            var equal = true
            for k in 0..<entry.count where lower(name[k]) != entry[k] {
                equal = false
                break
            }
            if equal { return true }
        }
        return false
    }

    /// The normal form of `url`, into `out` (cleared first).
    public func normalize(_ url: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var start = 0, end = url.count
        while start < end, Self.isSpace(url[start]) { start += 1 }
        while end > start, Self.isSpace(url[end - 1]) { end -= 1 }
        // The fragment goes first: nothing after `#` counts.
        if let hash = (start..<end).first(where: { url[$0] == 0x23 }) { end = hash }
        guard start < end else { return }

        // Scheme: letters, digits, `+`, `-`, `.` up to a `:`, starting with a letter.
        var i = start
        // The scheme's bytes in `url` (empty: none); compared and copied in place, no array per URL.
        var scheme = i..<i
        if Self.isLetter(url[i]) {
            var j = i
            while j < end, Self.isLetter(url[j]) || Self.isDigit(url[j]) || url[j] == 0x2B || url[j] == 0x2D
                || url[j] == 0x2E { j += 1 }
            // `host:8080/x` is a host with a port, not a scheme: a scheme is followed by `//` or is not http-like
            if j < end, url[j] == 0x3A, !(j + 1 < end && Self.isDigit(url[j + 1])) {
                scheme = i..<j
                i = j + 1
            }
        }
        let isHTTPS = Self.scheme(url, scheme, is: Self.https)
        let isWeb = scheme.isEmpty || isHTTPS || Self.scheme(url, scheme, is: Self.http)
        if isWeb {
            out.append(contentsOf: Self.http)
            out.append(0x3A)
        } else {
            for k in scheme { out.append(url[k] | 0x20) }
            out.append(0x3A)
        }
        let hasAuthority = i + 1 < end && url[i] == 0x2F && url[i + 1] == 0x2F
        if hasAuthority { i += 2 }
        if hasAuthority || (isWeb && scheme.isEmpty) {
            // Authority: up to `/`, `?` or the end.
            var j = i
            while j < end, url[j] != 0x2F, url[j] != 0x3F { j += 1 }
            appendAuthority(url, i..<j, defaultPort: !isWeb ? nil : (isHTTPS ? "443" : "80"), into: &out)
            i = j
        } else if !isWeb {
            // `mailto:x@y`: the rest as it is.
            appendEscaped(url, i..<end, into: &out)
            return
        }
        // Path.
        var j = i
        while j < end, url[j] != 0x3F { j += 1 }
        var pathEnd = j
        if isWeb || hasAuthority {
            while pathEnd - i > 1, url[pathEnd - 1] == 0x2F { pathEnd -= 1 }
            if pathEnd == i || (pathEnd - i == 1 && url[i] == 0x2F) {
                out.append(0x2F)
            } else {
                if url[i] != 0x2F { out.append(0x2F) }
                appendEscaped(url, i..<pathEnd, into: &out)
            }
        } else {
            appendEscaped(url, i..<pathEnd, into: &out)
        }
        // Query.
        guard j < end else { return }
        var piece = j + 1
        var first = true
        while piece <= end {
            var stop = piece
            while stop < end, url[stop] != 0x26 { stop += 1 }
            if stop > piece {
                var nameEnd = piece
                while nameEnd < stop, url[nameEnd] != 0x3D { nameEnd += 1 }
                let name = UnsafeRawBufferPointer(rebasing: url[piece..<nameEnd])
                if !Self.isTracking(name) {
                    out.append(first ? 0x3F : 0x26)
                    first = false
                    appendEscaped(url, piece..<stop, into: &out)
                }
            }
            piece = stop + 1
        }
    }

    /// The normal form of a URL given as a string (for tests and tools).
    public func normalize(_ url: String) -> String {
        var out: [UInt8] = []
        Array(url.utf8).withUnsafeBytes { normalize($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `user@host:port`: the host lowercased without a trailing dot, the default port removed.
    private func appendAuthority(_ url: UnsafeRawBufferPointer, _ range: Range<Int>, defaultPort: String?,
                                 into out: inout [UInt8]) {
        out.append(0x2F)
        out.append(0x2F)
        var hostStart = range.lowerBound
        if let at = range.last(where: { url[$0] == 0x40 }) {
            out.append(contentsOf: url[range.lowerBound...at])
            hostStart = at + 1
        }
        // The port: digits after the last `:` (not inside an IPv6 literal's brackets).
        var hostEnd = range.upperBound
        var port: Range<Int>? = nil
        if let colon = (hostStart..<range.upperBound).last(where: { url[$0] == 0x3A }),
           !(hostStart..<range.upperBound).contains(where: { url[$0] == 0x5D && $0 > colon }),
           (colon + 1..<range.upperBound).allSatisfy({ Self.isDigit(url[$0]) }) {
            hostEnd = colon
            port = colon + 1..<range.upperBound
        }
        while hostEnd > hostStart, url[hostEnd - 1] == 0x2E { hostEnd -= 1 }
        let host = url[hostStart..<hostEnd]
        if host.allSatisfy({ $0 < 0x80 }) {
            for byte in host { out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
        } else {
            // An IDN in Unicode: lowercased by Unicode's rules (the host only, a few bytes: a String is fine).
            out.append(contentsOf: String(decoding: host, as: UTF8.self).lowercased().utf8)
        }
        if let port, !port.isEmpty {
            let digits = url[port].drop(while: { $0 == 0x30 })
            if let defaultPort, digits.elementsEqual(defaultPort.utf8) { return }
            out.append(0x3A)
            out.append(contentsOf: url[port])
        }
    }

    /// Bytes as they are, with the hex digits of percent escapes uppercased.
    private func appendEscaped(_ url: UnsafeRawBufferPointer, _ range: Range<Int>, into out: inout [UInt8]) {
        var k = range.lowerBound
        while k < range.upperBound {
            let byte = url[k]
            if byte == 0x25, k + 2 < range.upperBound, Self.isHex(url[k + 1]), Self.isHex(url[k + 2]) {
                out.append(0x25)
                out.append(Self.upper(url[k + 1]))
                out.append(Self.upper(url[k + 2]))
                k += 3
            } else {
                out.append(byte)
                k += 1
            }
        }
    }

    private static let http = Array("http".utf8), https = Array("https".utf8)

    /// Whether the scheme's bytes, lowercased, are `name`.
    private static func scheme(_ url: UnsafeRawBufferPointer, _ range: Range<Int>, is name: [UInt8]) -> Bool {
        range.count == name.count && zip(range, name).allSatisfy { url[$0] | 0x20 == $1 }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    private static func upper(_ b: UInt8) -> UInt8 { b >= 0x61 && b <= 0x66 ? b - 0x20 : b }
}
