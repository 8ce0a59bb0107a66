/// Turns MediaWiki wikitext into plain text: what a reader of the rendered page reads, without
/// the page furniture.
///
/// Removed: comments, templates and parser functions (`{{…}}`, `{{{…}}}`), tables (`{|…|}`),
/// references (`<ref>…</ref>`, `<references/>`), files and images (`[[File:…]]`, `[[Image:…]]`
/// with their captions), categories, interlanguage links, galleries, math and other non-text
/// extension tags, behaviour switches (`__TOC__`), horizontal rules, bold/italic quotes, list and
/// indentation markers, heading `=` signs. Kept: the text of internal links (`[[A|b]]` → `b`,
/// `[[A]]` → `A`), the label of external links (`[http://x label]` → `label`; a bare `[http://x]`
/// vanishes), the content of formatting tags (`<small>`, `<span>`, …), `<nowiki>`, `<pre>` and
/// code tags verbatim, headings as lines of their own, paragraphs separated by blank lines.
/// Character references (`&nbsp;`, `&amp;`, `&#8212;`) are decoded.
///
/// Works on bytes, in two passes: inline markup over the whole text (nested constructs at most
/// `maxDepth` deep; deeper ones are dropped, so hostile nesting costs no stack), then lines.
struct WikitextConverter {
    static let maxDepth = 40

    /// Namespace prefixes of links that are not text (English and the usual localised names).
    static let mediaPrefixes: Set<String> = [
        "file", "image", "media", "category", "datei", "bild", "kategorie", "fichier", "catégorie", "archivo",
        "categoría", "imagen", "файл", "категория", "изображение", "ファイル", "カテゴリ", "画像", "文件", "分类",
        "plik", "kategoria", "bestand", "categorie", "arquivo", "categoria", "immagine", "kategori", "tiedosto",
        "luokka", "fil", "kuva",
    ]

    /// Extension tags whose content is not text.
    static let droppedTags: Set<String> = [
        "ref", "references", "gallery", "math", "chem", "ce", "timeline", "score", "graph", "imagemap", "hiero",
        "templatedata", "inputbox", "mapframe", "maplink", "categorytree", "section", "indicator", "templatestyles",
    ]

    /// Tags whose content is kept as it is, without markup processing.
    static let verbatimTags: Set<String> = ["nowiki", "pre", "syntaxhighlight", "source", "code"]

    /// Where each `{{`/`{{{` and `[[` that is closed ends (index after its closing run), found in
    /// one pass with a stack, so every later lookup is O(1) and no input costs quadratic time.
    private var braceEnds: [Int: Int] = [:]
    private var linkEnds: [Int: Int] = [:]
    /// Tag names whose closing tag is known to be absent from a position on.
    private var missingClose: [String: Int] = [:]

    func plainText(_ wikitext: [UInt8]) -> [UInt8] {
        var converter = self
        var inline: [UInt8] = []
        inline.reserveCapacity(wikitext.count)
        wikitext.withUnsafeBufferPointer { input in
            converter.pairUp(input)
            converter.convertInline(input, 0, input.count, depth: 0, into: &inline)
        }
        return lines(inline)
    }

    private mutating func pairUp(_ s: UnsafeBufferPointer<UInt8>) {
        var braces: [(position: Int, size: Int)] = []
        var links: [Int] = []
        var j = 0
        let n = s.count
        while j < n {
            let c = s[j]
            if c == UInt8(ascii: "{"), j + 1 < n, s[j + 1] == c {
                var run = 0
                while j + run < n, s[j + run] == c { run += 1 }
                var at = j
                while run >= 2 {
                    let size = run == 3 || run > 4 ? 3 : 2
                    braces.append((at, size))
                    at += size
                    run -= size
                }
                j = at + run
            } else if c == UInt8(ascii: "}"), j + 1 < n, s[j + 1] == c {
                var run = 0
                while j + run < n, s[j + run] == c { run += 1 }
                var used = 0
                while let top = braces.last, run - used >= 2 {
                    used += min(top.size, run - used)
                    braces.removeLast()
                    braceEnds[top.position] = j + used
                }
                j += run
            } else if c == UInt8(ascii: "["), j + 1 < n, s[j + 1] == c {
                links.append(j)
                j += 2
            } else if c == UInt8(ascii: "]"), j + 1 < n, s[j + 1] == c {
                if let open = links.popLast() { linkEnds[open] = j + 2 }
                j += 2
            } else {
                if c == 0x0A, j + 1 < n, s[j + 1] == 0x0A { links.removeAll() }  // links do not span paragraphs
                j += 1
            }
        }
    }

    // MARK: - Inline pass

    private mutating func convertInline(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, depth: Int,
                               into out: inout [UInt8]) {
        guard depth <= Self.maxDepth else { return }
        var i = from
        while i < to {
            let b = s[i]
            switch b {
            case UInt8(ascii: "{"):
                if i + 1 < to, s[i + 1] == UInt8(ascii: "{") {
                    if let end = braceEnds[i], end <= to { i = end; continue }
                } else if i + 1 < to, s[i + 1] == UInt8(ascii: "|"), atLineStart(s, i, from) {
                    i = skipTable(s, i, to)
                    continue
                }
            case UInt8(ascii: "["):
                if i + 1 < to, s[i + 1] == UInt8(ascii: "[") {
                    if let end = linkEnds[i], end <= to {
                        internalLink(s, i + 2, end - 2, depth: depth, into: &out)
                        i = end
                        continue
                    }
                } else if let end = externalLink(s, i, to, depth: depth, into: &out) {
                    i = end
                    continue
                }
            case UInt8(ascii: "<"):
                if let end = tag(s, i, to, depth: depth, into: &out) {
                    i = end
                    continue
                }
            case UInt8(ascii: "'"):
                var run = 0
                while i + run < to, s[i + run] == UInt8(ascii: "'") { run += 1 }
                if run >= 2 {
                    // '' italic, ''' bold, ''''' both; a fourth quote is a literal apostrophe.
                    if run == 4 || run > 5 { out.append(contentsOf: repeatElement(UInt8(ascii: "'"), count: run == 4 ? 1 : run - 5)) }
                    i += run
                    continue
                }
            case UInt8(ascii: "&"):
                if let (end, decoded) = entity(s, i, to) {
                    out.append(contentsOf: decoded)
                    i = end
                    continue
                }
            case UInt8(ascii: "_"):
                if let end = behaviourSwitch(s, i, to) { i = end; continue }
            default:
                break
            }
            out.append(b)
            i += 1
        }
    }

    private func atLineStart(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ from: Int) -> Bool {
        var j = i - 1
        while j >= from, s[j] == 0x20 || s[j] == 0x09 || s[j] == UInt8(ascii: ":") { j -= 1 }
        return j < from || s[j] == 0x0A
    }

    /// Skips a table `{|…|}` (nested tables included) from `i`; returns the index after it.
    private func skipTable(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ to: Int) -> Int {
        var depth = 0
        var j = i
        while j + 1 < to {
            if s[j] == UInt8(ascii: "{"), s[j + 1] == UInt8(ascii: "|"), atLineStart(s, j, i) {
                depth += 1
                j += 2
            } else if s[j] == UInt8(ascii: "|"), s[j + 1] == UInt8(ascii: "}"), atLineStart(s, j, i) {
                depth -= 1
                j += 2
                if depth == 0 { return j }
            } else {
                j += 1
            }
        }
        return to
    }

    private mutating func internalLink(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, depth: Int,
                              into out: inout [UInt8]) {
        // The target ends at the first `|` outside nested links and templates.
        var pipe: Int?
        var nest = 0
        var j = from
        while j < to {
            let c = s[j]
            if (c == UInt8(ascii: "[") || c == UInt8(ascii: "{")), j + 1 < to, s[j + 1] == c { nest += 1; j += 2; continue }
            if (c == UInt8(ascii: "]") || c == UInt8(ascii: "}")), j + 1 < to, s[j + 1] == c { nest -= 1; j += 2; continue }
            if c == UInt8(ascii: "|"), nest == 0 { pipe = j; break }
            j += 1
        }
        let targetEnd = pipe ?? to
        var targetStart = from
        while targetStart < targetEnd, s[targetStart] == 0x20 { targetStart += 1 }
        let leadingColon = targetStart < targetEnd && s[targetStart] == UInt8(ascii: ":")
        if !leadingColon, let colon = (targetStart..<targetEnd).first(where: { s[$0] == UInt8(ascii: ":") }) {
            let prefix = String(decoding: UnsafeBufferPointer(rebasing: s[targetStart..<colon]), as: UTF8.self)
                .trimmingSpaces().lowercased()
            if Self.mediaPrefixes.contains(prefix) || Self.isLanguageCode(prefix) { return }
        }
        if let pipe {
            convertInline(s, pipe + 1, to, depth: depth + 1, into: &out)
        } else {
            convertInline(s, leadingColon ? targetStart + 1 : targetStart, targetEnd, depth: depth + 1, into: &out)
        }
    }

    /// `en`, `de`, `zh-yue`, `simple`: an interlanguage link prefix.
    private static func isLanguageCode(_ prefix: String) -> Bool {
        if prefix == "simple" { return true }
        let parts = prefix.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), parts.count <= 3 else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.count <= 8 && $0.allSatisfy { $0 >= "a" && $0 <= "z" } }
    }

    /// `[URL label]` at `i`: writes the label; returns the index after `]`, nil when it is no link.
    private mutating func externalLink(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ to: Int, depth: Int,
                              into out: inout [UInt8]) -> Int? {
        let schemes = ["http://", "https://", "ftp://", "//", "mailto:", "news:", "irc://"]
        let rest = UnsafeBufferPointer(rebasing: s[(i + 1)..<to])
        guard schemes.contains(where: { rest.starts(with: $0.utf8) }) else { return nil }
        var j = i + 1
        let limit = min(to, i + 4096)  // longer is no link; the bound keeps hostile lines linear
        while j < limit, s[j] != UInt8(ascii: "]"), s[j] != 0x0A { j += 1 }
        guard j < limit, s[j] == UInt8(ascii: "]") else { return nil }
        var space = i + 1
        while space < j, s[space] != 0x20 { space += 1 }
        if space < j { convertInline(s, space + 1, j, depth: depth + 1, into: &out) }
        return j + 1
    }

    /// An HTML-like tag or comment at `i`; returns the index after what it consumed, nil when `<` is text.
    private mutating func tag(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ to: Int, depth: Int, into out: inout [UInt8]) -> Int? {
        if i + 3 < to, s[i + 1] == UInt8(ascii: "!"), s[i + 2] == UInt8(ascii: "-"), s[i + 3] == UInt8(ascii: "-") {
            return find(Array("-->".utf8), s, i + 4, to).map { $0 + 3 } ?? to
        }
        var j = i + 1
        let closing = j < to && s[j] == UInt8(ascii: "/")
        if closing { j += 1 }
        let nameStart = j
        while j < to, Self.isNameByte(s[j]) { j += 1 }
        guard j > nameStart else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: s[nameStart..<j]), as: UTF8.self).lowercased()
        guard let gt = (j..<min(to, j + 2000)).first(where: { s[$0] == UInt8(ascii: ">") }) else { return nil }
        if (j..<gt).contains(where: { s[$0] == UInt8(ascii: "<") || s[$0] == 0x0A && name != "ref" }) { return nil }
        let selfClosing = gt > j && s[gt - 1] == UInt8(ascii: "/")
        let afterTag = gt + 1
        if closing {
            if name == "br" || name == "p" || name == "div" { out.append(0x0A) }
            return afterTag
        }
        if name == "br" {
            out.append(0x0A)
            return afterTag
        }
        if selfClosing { return afterTag }
        let verbatim = Self.verbatimTags.contains(name)
        if Self.droppedTags.contains(name) || verbatim {
            guard let close = findClosingTag(name, s, afterTag, to) else {
                return Self.droppedTags.contains(name) ? afterTag : nil
            }
            if verbatim {
                var k = afterTag
                while k < close.start {
                    if s[k] == UInt8(ascii: "&"), let (end, decoded) = entity(s, k, close.start) {
                        out.append(contentsOf: decoded)
                        k = end
                    } else {
                        out.append(s[k])
                        k += 1
                    }
                }
            }
            return close.end
        }
        if name == "p" || name == "div" || name == "blockquote" || name == "poem" { out.append(0x0A) }
        return afterTag  // formatting tags vanish, their content stays
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }

    private mutating func findClosingTag(_ name: String, _ s: UnsafeBufferPointer<UInt8>, _ from: Int,
                                         _ to: Int) -> (start: Int, end: Int)? {
        if let missing = missingClose[name], from >= missing { return nil }
        let needle = Array("</\(name)".utf8)
        var j = from
        while let hit = findCaseless(needle, s, j, to) {
            if let gt = (hit + needle.count..<min(to, hit + needle.count + 20)).first(where: { s[$0] == UInt8(ascii: ">") }) {
                return (hit, gt + 1)
            }
            j = hit + 1
        }
        if to == s.count { missingClose[name] = from }
        return nil
    }

    private func find(_ needle: [UInt8], _ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int? {
        guard to - from >= needle.count else { return nil }
        var j = from
        while j + needle.count <= to {
            if s[j] == needle[0], (1..<needle.count).allSatisfy({ s[j + $0] == needle[$0] }) { return j }
            j += 1
        }
        return nil
    }

    private func findCaseless(_ needle: [UInt8], _ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int? {
        guard to - from >= needle.count else { return nil }
        var j = from
        while j + needle.count <= to {
            if s[j] == needle[0], (1..<needle.count).allSatisfy({ Self.lower(s[j + $0]) == needle[$0] }) { return j }
            j += 1
        }
        return nil
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// `__TOC__`, `__NOTOC__`…: the index after it, or nil.
    private func behaviourSwitch(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ to: Int) -> Int? {
        guard i + 4 < to, s[i + 1] == UInt8(ascii: "_") else { return nil }
        var j = i + 2
        while j < to, s[j] >= 0x41, s[j] <= 0x5A { j += 1 }
        guard j > i + 2, j + 1 < to, s[j] == UInt8(ascii: "_"), s[j + 1] == UInt8(ascii: "_") else { return nil }
        return j + 2
    }

    // MARK: - Character references

    static let entities: [String: String] = [
        "nbsp": "\u{A0}", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "ndash": "–", "mdash": "—",
        "minus": "−", "times": "×", "hellip": "…", "laquo": "«", "raquo": "»", "lsquo": "‘", "rsquo": "’",
        "ldquo": "“", "rdquo": "”", "deg": "°", "middot": "·", "bull": "•", "copy": "©", "reg": "®", "euro": "€",
        "pound": "£", "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}", "shy": "", "zwj": "\u{200D}",
        "zwnj": "\u{200C}", "prime": "′", "Prime": "″", "frac12": "½", "sup2": "²", "plusmn": "±", "micro": "µ",
    ]

    /// `&name;`, `&#N;`, `&#xH;` at `i`: the index after it and its UTF-8 bytes, or nil.
    private func entity(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ to: Int) -> (Int, [UInt8])? {
        var j = i + 1
        while j < to, j - i <= 12, s[j] != UInt8(ascii: ";") {
            guard Self.isNameByte(s[j]) || s[j] == UInt8(ascii: "#") else { return nil }
            j += 1
        }
        guard j < to, s[j] == UInt8(ascii: ";"), j > i + 1 else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: s[(i + 1)..<j]), as: UTF8.self)
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value, let scalar = Unicode.Scalar(value), value != 0 else { return nil }
            return (j + 1, Array(String(Character(scalar)).utf8))
        }
        guard let decoded = Self.entities[name] else { return nil }
        return (j + 1, Array(decoded.utf8))
    }

    // MARK: - Line pass

    /// Headings, list markers, rules; blank-line paragraphs; trimmed lines.
    private func lines(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var blank = 0
        for rawLine in text.split(separator: 0x0A, omittingEmptySubsequences: false) {
            var line = rawLine[...]
            var heading = false
            if let first = line.first, first == UInt8(ascii: "=") {
                let leading = line.prefix { $0 == UInt8(ascii: "=") }.count
                var trimmed = line
                while let last = trimmed.last, last == 0x20 || last == 0x09 || last == 0x0D { trimmed = trimmed.dropLast() }
                let trailing = trimmed.reversed().prefix { $0 == UInt8(ascii: "=") }.count
                if trailing > 0, leading + trailing < trimmed.count {
                    line = trimmed.dropFirst(leading).dropLast(trailing)
                    heading = true
                }
            } else {
                while let first = line.first, first == UInt8(ascii: "*") || first == UInt8(ascii: "#")
                    || first == UInt8(ascii: ":") || first == UInt8(ascii: ";") {
                    line = line.dropFirst()
                }
                if line.count >= 4, line.allSatisfy({ $0 == UInt8(ascii: "-") }) { line = line.dropFirst(line.count) }
            }
            // Collapse runs of spaces and trim.
            var cleaned: [UInt8] = []
            var space = false
            for b in line {
                if b == 0x20 || b == 0x09 || b == 0x0D {
                    space = !cleaned.isEmpty
                } else {
                    if space { cleaned.append(0x20) }
                    space = false
                    cleaned.append(b)
                }
            }
            if cleaned.isEmpty {
                blank += 1
                continue
            }
            if !out.isEmpty { out.append(contentsOf: (blank > 0 || heading) ? [0x0A, 0x0A] : [0x0A]) }
            out.append(contentsOf: cleaned)
            blank = heading ? 1 : 0
        }
        return out
    }
}
