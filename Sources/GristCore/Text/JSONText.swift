/// JSON text written by hand where a `JSONEncoder` would be too slow or reorder keys.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included: `"`, `\` and control characters (and DEL)
    /// escaped, everything else as it is.
    public static func quoted(_ text: String) -> String { quoted(text, ascii: false) }

    /// `text` as a JSON string literal in ASCII, as Python's `json.dumps` writes it by default
    /// (`ensure_ascii`): `"` and `\` escaped, `\n \r \t \b \f` by name, every other character
    /// outside space…`~` as `\u` and four lowercase hex digits (a surrogate pair above U+FFFF).
    public static func quotedASCII(_ text: String) -> String { quoted(text, ascii: true) }

    private static func quoted(_ text: String, ascii: Bool) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}" where ascii: out += "\\b"
            case "\u{0C}" where ascii: out += "\\f"
            default:
                let plain = ascii ? (0x20...0x7E).contains(scalar.value) : scalar.value >= 0x20 && scalar.value != 0x7F
                if plain {
                    out.unicodeScalars.append(scalar)
                } else {
                    // Below U+10000 one unit; above, a surrogate pair (only reached with `ascii`).
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                }
            }
        }
        return out + "\""
    }
}
