import GristCore

#if canImport(Glibc)
import Glibc
#endif

/// Why a line is not an acceptable JSON record: `.skip(.notJSON)` or `.skip(.invalidUTF8)`, at a byte of the line.
struct JSONScanError: Error, Sendable {
    var kind: GristError.Kind
    /// 0-based index in the line of the offending byte.
    var index: Int
    var message: String
}

/// The JSON type of a value, as named in messages.
enum JSONValueType: Sendable {
    case object, array, string, number, bool, null

    var described: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// Where a wanted value is in the line: `start..<end` is its JSON text (strings with their quotes).
struct JSONValueSpan: Sendable {
    var start: Int
    var end: Int
    var type: JSONValueType
    /// For strings: whether the contents hold a backslash escape.
    var escaped: Bool
}

/// Validates one JSON Lines record and finds the configured fields in the same pass.
///
/// Hand-rolled on raw bytes because it is the hot loop of JSONL reading (about 4x faster than
/// `JSONDecoder`). It accepts exactly RFC 8259 JSON whose top level is an object, with strict
/// UTF-8 (raw bytes and `\u` escapes: a lone surrogate is `.skip(.invalidUTF8)`) and at most
/// `maxDepth` nested objects/arrays, so hostile input cannot exhaust the stack.
/// It records where the wanted values are; `JSONString.decode` turns a string span into bytes.
/// Duplicate keys: the last one wins (as in Python's `json` and orjson).
struct JSONScanner {
    static let maxDepth = 128

    private struct Target {
        var keys: [[UInt8]]
        var field: Int
        var rank: Int
    }

    let fields: [JSONFieldPath]
    /// Accept invalid UTF-8 and lone surrogate escapes in strings (the `replace` policy): such strings
    /// are marked `escaped`, and the caller repairs their decoded bytes.
    let repairUTF8: Bool
    private let targets: [Target]
    private let rootMask: UInt64
    private var found: [(span: JSONValueSpan, rank: Int)?]
    private var collectingKeys = false
    private var keys: [String] = []

    init(fields: [JSONFieldPath], repairUTF8: Bool = false) {
        self.fields = fields
        self.repairUTF8 = repairUTF8
        var targets: [Target] = []
        for (field, path) in fields.enumerated() {
            for (rank, keys) in path.candidates.enumerated() {
                targets.append(Target(keys: keys, field: field, rank: rank))
            }
        }
        precondition(targets.count <= 64, "too many field paths")
        self.targets = targets
        rootMask = targets.count == 64 ? ~0 : (1 << UInt64(targets.count)) - 1
        found = Array(repeating: nil, count: fields.count)
    }

    /// Where field `index` (in `fields` order) was found by the last `scan`, nil when absent.
    func value(ofField index: Int) -> JSONValueSpan? { found[index]?.span }

    /// Checks that `line` is one JSON object and locates the fields in it.
    mutating func scan(_ line: UnsafeRawBufferPointer) throws(JSONScanError) {
        for index in found.indices { found[index] = nil }
        guard let p = line.baseAddress?.assumingMemoryBound(to: UInt8.self), line.count > 0 else {
            throw JSONScanError(kind: .skip(.notJSON), index: 0, message: "expected a JSON object, found an empty line")
        }
        let n = line.count
        var i = Self.skipSpace(p, n, 0)
        guard i < n, p[i] == UInt8(ascii: "{") else {
            throw JSONScanError(kind: .skip(.notJSON), index: i,
                                message: "expected a JSON object, found \(Self.describeValue(p, n, i))")
        }
        i = try parseObject(p, n, i, depth: 1, mask: rootMask)
        i = Self.skipSpace(p, n, i)
        if i < n {
            throw JSONScanError(kind: .skip(.notJSON), index: i,
                                message: "unexpected \(Self.describe(p, n, i)) after the end of the object")
        }
    }

    /// The top-level keys of a valid record, for "field not found" messages (slow path).
    mutating func topLevelKeys(of line: UnsafeRawBufferPointer) -> [String] {
        collectingKeys = true
        keys = []
        defer { collectingKeys = false }
        try? scan(line)
        return keys
    }

    // MARK: - Grammar

    private mutating func parseObject(_ p: UnsafePointer<UInt8>, _ n: Int, _ open: Int,
                                      depth: Int, mask: UInt64) throws(JSONScanError) -> Int {
        if depth > Self.maxDepth {
            throw JSONScanError(kind: .skip(.notJSON), index: open, message: "nesting is deeper than \(Self.maxDepth) levels")
        }
        var i = Self.skipSpace(p, n, open + 1)
        if i < n, p[i] == UInt8(ascii: "}") { return i + 1 }
        while true {
            guard i < n, p[i] == UInt8(ascii: "\"") else {
                throw Self.expected("a key in double quotes", p, n, i)
            }
            let keyStart = i + 1
            let (keyEnd, keyEscaped) = try Self.scanString(p, n, keyStart, repair: repairUTF8)
            if collectingKeys, depth == 1 {
                keys.append(String(decoding: JSONString.decode(p, from: keyStart, to: keyEnd, escaped: keyEscaped),
                                   as: UTF8.self))
            }
            var child: UInt64 = 0
            var terminal: UInt64 = 0
            if mask != 0 {
                (child, terminal) = match(p, keyStart, keyEnd, keyEscaped, level: depth - 1, mask: mask)
            }
            i = Self.skipSpace(p, n, keyEnd + 1)
            guard i < n, p[i] == UInt8(ascii: ":") else { throw Self.expected("\":\" after a key", p, n, i) }
            i = Self.skipSpace(p, n, i + 1)
            let valueStart = i
            let (valueEnd, type, escaped) = try parseValue(p, n, i, depth: depth, mask: child)
            if terminal != 0 {
                record(terminal, JSONValueSpan(start: valueStart, end: valueEnd, type: type, escaped: escaped))
            }
            i = Self.skipSpace(p, n, valueEnd)
            guard i < n else { throw Self.expected("\",\" or \"}\"", p, n, i) }
            if p[i] == UInt8(ascii: ",") {
                i = Self.skipSpace(p, n, i + 1)
                continue
            }
            if p[i] == UInt8(ascii: "}") { return i + 1 }
            throw Self.expected("\",\" or \"}\" after a value", p, n, i)
        }
    }

    private mutating func parseArray(_ p: UnsafePointer<UInt8>, _ n: Int, _ open: Int,
                                     depth: Int) throws(JSONScanError) -> Int {
        if depth > Self.maxDepth {
            throw JSONScanError(kind: .skip(.notJSON), index: open, message: "nesting is deeper than \(Self.maxDepth) levels")
        }
        var i = Self.skipSpace(p, n, open + 1)
        if i < n, p[i] == UInt8(ascii: "]") { return i + 1 }
        while true {
            i = try parseValue(p, n, i, depth: depth, mask: 0).end
            i = Self.skipSpace(p, n, i)
            guard i < n else { throw Self.expected("\",\" or \"]\"", p, n, i) }
            if p[i] == UInt8(ascii: ",") {
                i = Self.skipSpace(p, n, i + 1)
                continue
            }
            if p[i] == UInt8(ascii: "]") { return i + 1 }
            throw Self.expected("\",\" or \"]\" after a value", p, n, i)
        }
    }

    /// Parses the value at `i`; `mask` holds the targets that continue inside it (if it is an object).
    private mutating func parseValue(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, depth: Int,
                                     mask: UInt64) throws(JSONScanError) -> (end: Int, type: JSONValueType, escaped: Bool) {
        guard i < n else { throw Self.expected("a value", p, n, i) }
        switch p[i] {
        case UInt8(ascii: "\""):
            let (close, escaped) = try Self.scanString(p, n, i + 1, repair: repairUTF8)
            return (close + 1, .string, escaped)
        case UInt8(ascii: "{"):
            return (try parseObject(p, n, i, depth: depth + 1, mask: mask), .object, false)
        case UInt8(ascii: "["):
            return (try parseArray(p, n, i, depth: depth + 1), .array, false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return (try Self.scanNumber(p, n, i), .number, false)
        case UInt8(ascii: "t"):
            return (try Self.literal("true", p, n, i), .bool, false)
        case UInt8(ascii: "f"):
            return (try Self.literal("false", p, n, i), .bool, false)
        case UInt8(ascii: "n"):
            return (try Self.literal("null", p, n, i), .null, false)
        default:
            throw Self.expected("a value", p, n, i)
        }
    }

    // MARK: - Field matching

    /// Which targets in `mask` the key `p[start..<end]` matches at `level`:
    /// `terminal` ones end at this key, `child` ones continue into its value.
    private func match(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ escaped: Bool,
                       level: Int, mask: UInt64) -> (child: UInt64, terminal: UInt64) {
        var child: UInt64 = 0
        var terminal: UInt64 = 0
        var decoded: [UInt8]?
        var rest = mask
        while rest != 0 {
            let t = rest.trailingZeroBitCount
            rest &= rest &- 1
            let keys = targets[t].keys
            guard level < keys.count else { continue }
            let equal: Bool
            if escaped {
                let key = decoded ?? JSONString.decode(p, from: start, to: end)
                decoded = key
                equal = key == keys[level]
            } else {
                equal = keys[level].withUnsafeBytes { want in
                    guard want.count == end - start else { return false }
                    guard let base = want.baseAddress else { return true }  // both empty
                    return memcmp(base, p + start, want.count) == 0
                }
            }
            if equal {
                if level + 1 == keys.count { terminal |= 1 << UInt64(t) } else { child |= 1 << UInt64(t) }
            }
        }
        return (child, terminal)
    }

    /// Keeps `span` for each target in `bits` unless a better-ranked candidate of its field was found.
    private mutating func record(_ bits: UInt64, _ span: JSONValueSpan) {
        var rest = bits
        while rest != 0 {
            let t = rest.trailingZeroBitCount
            rest &= rest &- 1
            let target = targets[t]
            if let current = found[target.field], current.rank < target.rank { continue }
            found[target.field] = (span, target.rank)
        }
    }

    // MARK: - Tokens

    @inline(__always)
    static func skipSpace(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int) -> Int {
        var i = start
        while i < n {
            switch p[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return i
            }
        }
        return i
    }

    /// Scans string contents from `start` (just after the opening quote) to the closing quote,
    /// validating escapes and UTF-8. Returns the index of the closing quote.
    @inline(__always)
    static func scanString(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int,
                           repair: Bool = false) throws(JSONScanError) -> (close: Int, escaped: Bool) {
        let ones = UTF8Validation.ones
        var i = start
        var escaped = false
        while true {
            // Eight bytes at a time while none is `"`, `\`, a control byte or non-ASCII.
            while i &+ 8 <= n {
                let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let quote = x ^ (ones &* 0x22)
                let backslash = x ^ (ones &* 0x5C)
                let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                    | ((x &- ones &* 0x20) & ~x) | x
                let flags = special & UTF8Validation.highBits
                if flags != 0 {
                    i &+= flags.trailingZeroBitCount >> 3
                    break
                }
                i &+= 8
            }
            guard i < n else {
                throw JSONScanError(kind: .skip(.notJSON), index: start - 1, message: "unterminated string")
            }
            let b = p[i]
            if b == UInt8(ascii: "\"") { return (i, escaped) }
            if b == UInt8(ascii: "\\") {
                escaped = true
                i = try scanEscape(p, n, i, repair: repair)
            } else if b >= 0x80 {
                let length = UTF8Validation.sequenceLength(UnsafeBufferPointer(start: p, count: n).span, at: i)
                if length == 0, repair {
                    escaped = true
                    i &+= 1
                    continue
                }
                if length == 0 {
                    throw JSONScanError(kind: .skip(.invalidUTF8), index: i, message: "invalid UTF-8 byte \(hex(b)) in a string")
                }
                i &+= length
            } else if b < 0x20 {
                throw JSONScanError(kind: .skip(.notJSON), index: i,
                                    message: "control byte \(hex(b)) in a string (it must be escaped)")
            } else {
                i &+= 1
            }
        }
    }

    /// Validates the escape at `p[i]` (a backslash); returns the index after it.
    static func scanEscape(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int,
                           repair: Bool = false) throws(JSONScanError) -> Int {
        guard i + 1 < n else { throw JSONScanError(kind: .skip(.notJSON), index: i, message: "unterminated string") }
        switch p[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i + 2
        case UInt8(ascii: "u"):
            let high = try hex4(p, n, i + 2, escapeAt: i)
            if repair, (0xD800...0xDFFF).contains(high) {
                // A pair is consumed whole; anything else leaves the lone half to become U+FFFD.
                guard high <= 0xDBFF, i + 11 < n, p[i + 6] == UInt8(ascii: "\\"), p[i + 7] == UInt8(ascii: "u"),
                      let low = try? hex4(p, n, i + 8, escapeAt: i + 6), (0xDC00...0xDFFF).contains(low) else {
                    return i + 6
                }
                return i + 12
            }
            if (0xDC00...0xDFFF).contains(high) {
                throw JSONScanError(kind: .skip(.invalidUTF8), index: i,
                                    message: "lone surrogate \(escapeText(p, n, i)) (a low surrogate without a high one)")
            }
            guard (0xD800...0xDBFF).contains(high) else { return i + 6 }
            guard i + 7 < n, p[i + 6] == UInt8(ascii: "\\"), p[i + 7] == UInt8(ascii: "u") else {
                throw JSONScanError(kind: .skip(.invalidUTF8), index: i,
                                    message: "lone surrogate \(escapeText(p, n, i)) (a high surrogate not followed by a low one)")
            }
            let low = try hex4(p, n, i + 8, escapeAt: i + 6)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONScanError(kind: .skip(.invalidUTF8), index: i,
                                    message: "lone surrogate \(escapeText(p, n, i)) (a high surrogate not followed by a low one)")
            }
            return i + 12
        default:
            throw JSONScanError(kind: .skip(.notJSON), index: i, message: "invalid escape \(escapeText(p, n, i, length: 2))")
        }
    }

    private static func hex4(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int,
                             escapeAt: Int) throws(JSONScanError) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 {
            guard i + k < n, let d = JSONString.hexValue(p[i + k]) else {
                throw JSONScanError(kind: .skip(.notJSON), index: escapeAt,
                                    message: "invalid escape \(escapeText(p, n, escapeAt)) (\\u needs four hex digits)")
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    private static func escapeText(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, length: Int = 6) -> String {
        let bytes = UnsafeBufferPointer(start: p + i, count: max(0, min(length, n - i)))
        return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
    }

    static func scanNumber(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int) throws(JSONScanError) -> Int {
        @inline(__always) func isDigit(_ i: Int) -> Bool { i < n && p[i] &- UInt8(ascii: "0") < 10 }
        var i = start
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { throw expected("a digit in a number", p, n, i) }
        if p[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { throw expected("a digit after the decimal point", p, n, i) }
            while isDigit(i) { i += 1 }
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { throw expected("a digit in the exponent", p, n, i) }
            while isDigit(i) { i += 1 }
        }
        return i
    }

    private static func literal(_ word: StaticString, _ p: UnsafePointer<UInt8>, _ n: Int,
                                _ start: Int) throws(JSONScanError) -> Int {
        let count = word.utf8CodeUnitCount
        for k in 0..<count where start + k >= n || p[start + k] != word.utf8Start[k] {
            throw expected("\(word)", p, n, start + k)
        }
        return start + count
    }

    // MARK: - Messages

    private static func expected(_ what: String, _ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> JSONScanError {
        JSONScanError(kind: .skip(.notJSON), index: i, message: "expected \(what), found \(describe(p, n, i))")
    }

    /// `"x"` for a printable ASCII byte, `end of line`, or `byte 0x..`.
    static func describe(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> String {
        guard i < n else { return "end of line" }
        let b = p[i]
        if b == 0x20 { return "a space" }
        if b > 0x20, b < 0x7F { return "\"" + String(UnicodeScalar(b)) + "\"" }
        return "byte \(hex(b))"
    }

    /// Like `describe`, but names the type when a JSON value starts at `i`.
    static func describeValue(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> String {
        guard i < n else { return "end of line" }
        switch p[i] {
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return describe(p, n, i)
        }
    }
}
