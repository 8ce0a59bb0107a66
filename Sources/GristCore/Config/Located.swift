import Yams

/// A decoded value that remembers where it was written, so that checks made later
/// (a path that matches no file, say) can still point at the line.
public struct Located<Value: Decodable & Sendable>: Decodable, Sendable {
    public var value: Value
    public var location: ConfigLocation?

    public init(_ value: Value, location: ConfigLocation? = nil) {
        self.value = value
        self.location = location
    }

    public init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
        location = decoder.configLocation
    }
}

extension Located: Equatable where Value: Equatable {}

/// A mapping kept undecoded until its type is known, like a filter whose options depend on its `kind`.
public struct DeferredConfig: Decodable, Sendable {
    /// The value of the `kind` key.
    public let kind: String
    public let location: ConfigLocation?
    private let decoder: ConfigNodeDecoder?

    public init(from decoder: any Decoder) throws {
        enum Keys: String, CodingKey { case kind }
        let container = try decoder.container(keyedBy: Keys.self)
        kind = try container.value(.kind, .nonEmpty)
        location = decoder.configLocation
        self.decoder = decoder as? ConfigNodeDecoder
    }

    /// Makes an entry for code that builds configurations without a file (tests, defaults).
    public init(kind: String, yaml: String = "{}") throws {
        self.kind = kind
        location = nil
        guard let node = try Yams.compose(yaml: yaml) else {
            throw ConfigError("empty options", at: ConfigLocation(file: "<inline>", line: nil, path: kind))
        }
        decoder = ConfigNodeDecoder(node: node, codingPath: [], file: "<inline>")
    }

    /// Decodes the options of this entry (every key but `kind`) as `T`, with unknown keys rejected.
    public func decodeOptions<T: Decodable>(_ type: T.Type) throws -> T {
        guard let decoder else {
            throw ConfigError("options can only be decoded from a configuration file",
                              at: location ?? ConfigLocation(file: "<unknown>", line: nil, path: kind))
        }
        guard case .mapping(let mapping) = decoder.node else { throw decoder.mismatch(expected: "a mapping") }
        let rest = mapping.filter { pair in
            if case .scalar(let key) = pair.key { return key.string != "kind" }
            return true
        }
        let node = Node.mapping(Node.Mapping(rest.map { ($0.key, $0.value) }, mapping.tag, mapping.style, mapping.mark))
        return try T(from: ConfigNodeDecoder(node: node, codingPath: decoder.codingPath, file: decoder.file))
    }
}
