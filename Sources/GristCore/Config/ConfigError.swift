/// Where a value sits in a configuration file: the file, the 1-based line, and the key path.
public struct ConfigLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// Dotted key path with list indices, e.g. `filters[1].min_words`.
    public var path: String

    public init(file: String, line: Int?, path: String) {
        self.file = file
        self.line = line
        self.path = path
    }

    public var description: String {
        let position = line.map { "\(file):\($0)" } ?? file
        return path.isEmpty ? position : "\(position): \(path)"
    }
}

/// A configuration that cannot be used as written.
///
/// Printed as `pipelines/sample.yaml:14: filters[1].min_words: expected an integer ≥ 0, got "ten"`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: ConfigLocation
    public var message: String

    public init(_ message: String, at location: ConfigLocation) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Several errors of one file, in line order (errors without a line first, as found): what a config
/// with more than one mistake gets, so each run shows every mistake decoding could go on past.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = errors.enumerated().sorted { a, b in
            (a.element.location.line ?? 0, a.offset) < (b.element.location.line ?? 0, b.offset)
        }.map(\.element)
    }

    /// One error a line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Renders a coding path the way users write it in YAML: `sources[0].paths[2]`.
func renderPath(_ codingPath: [any CodingKey]) -> String {
    var out = ""
    for key in codingPath {
        if let index = key.intValue {
            out += "[\(index)]"
        } else {
            if !out.isEmpty { out += "." }
            out += key.stringValue
        }
    }
    return out
}
