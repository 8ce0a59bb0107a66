/// The named fields of a WARC record header or an HTTP response header, names compared
/// case-insensitively; the first occurrence of a name wins.
struct HeaderFields {
    private var fields: [(name: String, value: String)] = []

    mutating func add(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return false }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces()
        fields.append((name, value))
        return true
    }

    /// Continues the last field's value (a line that starts with a space or tab).
    mutating func continueLast(_ line: UnsafeRawBufferPointer) {
        guard let last = fields.popLast() else { return }
        fields.append((last.name, last.value + " " + String(decoding: line, as: UTF8.self).trimmingSpaces()))
    }

    subscript(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The media type of a `Content-Type` value, lowercased, without parameters.
    static func mediaType(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        return contentType.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingSpaces().lowercased() }
    }

    /// A parameter (`charset`, `msgtype`) of a `Content-Type` value.
    static func parameter(_ name: String, of contentType: String?) -> String? {
        guard let contentType else { return nil }
        for part in contentType.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, String(pair[0]).trimmingSpaces().lowercased() == name else { continue }
            var value = String(pair[1]).trimmingSpaces()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
