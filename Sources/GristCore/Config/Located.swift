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
///
/// Two spellings: `{kind: NAME, option: value, …}`, or a single-key map `{NAME: {option: value, …}}`.
public struct DeferredConfig: Decodable, Sendable {
    /// The value of the `kind` key.
    public let kind: String
    public let location: ConfigLocation?
    /// `rejects: true` in a filter's options: keep the documents it drops, for audit.
    public let rejects: Bool
    /// `warn_above: F` in a filter's options: the share of a source's documents it may drop before the
    /// build warns (0.5 by default; 1 never warns).
    public let warnAbove: Double
    private let decoder: ConfigNodeDecoder?

    /// Where the options are: the entry itself (`{kind: length, min_words: 20}`) or the value of
    /// its single key (`{length: {min_words: 20}}`, or `{length: {}}` / `length:` for the defaults).
    private let optionsAreEntry: Bool

    public init(from decoder: any Decoder) throws {
        enum Keys: String, CodingKey { case kind }
        location = decoder.configLocation
        let node = decoder as? ConfigNodeDecoder
        if let node, case .mapping(let mapping) = node.node, mapping.count == 1,
           let (key, value) = mapping.first, case .scalar(let name) = key, name.string != "kind" {
            guard !name.string.isEmpty else { throw node.error("expected a filter name, got nothing") }
            kind = name.string
            optionsAreEntry = false
            let child = node.child(value, key: AnyCodingKey(stringValue: name.string))
            switch value {
            case .mapping: self.decoder = child
            case .scalar(let scalar) where ["", "~", "null"].contains(scalar.string) && scalar.style == .plain:
                self.decoder = node.child(.mapping(Node.Mapping([])), key: AnyCodingKey(stringValue: name.string))
            default: throw child.mismatch(expected: "a mapping of options (or {} for the defaults)")
            }
            rejects = try Self.rejectsFlag(in: self.decoder)
            warnAbove = try Self.warnShare(in: self.decoder)
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        kind = try container.value(.kind, .nonEmpty)
        optionsAreEntry = true
        self.decoder = node
        rejects = try Self.rejectsFlag(in: node)
        warnAbove = try Self.warnShare(in: node)
    }

    /// The `rejects` option of an entry's options, checked to be true or false.
    private static func rejectsFlag(in decoder: ConfigNodeDecoder?) throws -> Bool {
        try option("rejects", in: decoder, expected: Bool.expectation) { Bool(configScalar: $0) } ?? false
    }

    /// The default of `warn_above`: a filter that drops more than half of a source is worth a look.
    public static let defaultWarnAbove = 0.5

    /// The `warn_above` option of an entry's options, checked to be a number in 0...1.
    private static func warnShare(in decoder: ConfigNodeDecoder?) throws -> Double {
        try option("warn_above", in: decoder, expected: "a number in 0...1") { scalar in
            Double(configScalar: scalar).flatMap { (0...1).contains($0) ? $0 : nil }
        } ?? defaultWarnAbove
    }

    /// The value of option `name` among an entry's options, read by `parse`; nil when it is not given.
    private static func option<T>(_ name: String, in decoder: ConfigNodeDecoder?, expected: String,
                                  parse: (Node.Scalar) -> T?) throws -> T? {
        guard let decoder, case .mapping(let mapping) = decoder.node else { return nil }
        for (key, value) in mapping {
            guard case .scalar(let key) = key, key.string == name else { continue }
            guard case .scalar(let scalar) = value, let parsed = parse(scalar) else {
                throw decoder.child(value, key: AnyCodingKey(stringValue: name)).mismatch(expected: expected)
            }
            return parsed
        }
        return nil
    }

    /// Makes an entry for code that builds configurations without a file (tests, defaults).
    public init(kind: String, yaml: String = "{}") throws {
        self.kind = kind
        location = nil
        guard let node = try Yams.compose(yaml: yaml) else {
            throw ConfigError("empty options", at: ConfigLocation(file: "<inline>", line: nil, path: kind))
        }
        decoder = ConfigNodeDecoder(node: node, codingPath: [], file: "<inline>")
        optionsAreEntry = true
        rejects = try Self.rejectsFlag(in: decoder)
        warnAbove = try Self.warnShare(in: decoder)
    }

    /// Decodes the options of this entry (every key but `kind`, `rejects` and `warn_above`) as `T`, with unknown
    /// keys rejected.
    public func decodeOptions<T: Decodable>(_ type: T.Type) throws -> T {
        guard let decoder else {
            throw ConfigError("options can only be decoded from a configuration file",
                              at: location ?? ConfigLocation(file: "<unknown>", line: nil, path: kind))
        }
        guard case .mapping(let mapping) = decoder.node else { throw decoder.mismatch(expected: "a mapping") }
        let rest = mapping.filter { pair in
            if case .scalar(let key) = pair.key {
                return key.string != "rejects" && key.string != "warn_above" && (key.string != "kind" || !optionsAreEntry)
            }
            return true
        }
        let node = Node.mapping(Node.Mapping(rest.map { ($0.key, $0.value) }, mapping.tag, mapping.style, mapping.mark))
        // Every mistake of the entry at once, as for the file (ConfigErrorCollector).
        let (value, errors) = ConfigErrorCollector.decode(T.self, from: node, codingPath: decoder.codingPath,
                                                          file: decoder.file)
        if let value, errors.isEmpty { return value }
        throw errors.count == 1 ? errors[0] as any Error : ConfigErrors(errors)
    }
}
