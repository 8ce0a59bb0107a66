import Yams

/// Decodes `Decodable` configuration types from YAML, strictly.
///
/// Unlike `YAMLDecoder`, it rejects keys the type does not declare (when the type's `CodingKeys`
/// is `CaseIterable`), refuses quoted numbers, and reports every failure as a ``ConfigError`` that
/// names the file, the line and the key path. Values are checked against ranges through
/// ``KeyedDecodingContainer/value(_:default:_:)``.
public struct ConfigDecoder: Sendable {
    /// Largest number of nodes a document may expand to; stops alias bombs ("billion laughs").
    public var maxNodes = 100_000

    public init() {}

    /// Parses `yaml` and decodes `T` from its root; `file` names the source in errors.
    public func decode<T: Decodable>(_ type: T.Type, from yaml: String, file: String) throws -> T {
        let (value, errors) = try decodeCollecting(T.self, from: yaml, file: file)
        if let value, errors.isEmpty { return value }
        throw errors.count == 1 ? errors[0] as any Error : ConfigErrors(errors)
    }

    /// Decodes `T` like ``decode(_:from:file:)`` but returns every error found instead of throwing, with
    /// the value when decoding could go on to the end (its bad keys at their defaults): what
    /// `grist validate` needs to go on checking the rest of a file. Only unreadable YAML throws.
    public func decodeCollecting<T: Decodable>(_ type: T.Type, from yaml: String, file: String) throws
        -> (value: T?, errors: [ConfigError]) {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ConfigError("the file is empty", at: ConfigLocation(file: file, line: nil, path: ""))
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw ConfigError(yamlErrorMessage(error), at: ConfigLocation(file: file, line: yamlErrorLine(error), path: ""))
        }
        var budget = maxNodes
        guard countNodes(root, budget: &budget) else {
            throw ConfigError("the document expands to more than \(maxNodes) nodes (anchors and aliases?)",
                              at: ConfigLocation(file: file, line: nil, path: ""))
        }
        return ConfigErrorCollector.decode(T.self, from: root, codingPath: [], file: file)
    }

    private func countNodes(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        if budget < 0 { return false }
        switch node {
        case .scalar, .alias: return true
        case .sequence(let seq):
            for child in seq where !countNodes(child, budget: &budget) { return false }
            return true
        case .mapping(let map):
            for (key, value) in map {
                if !countNodes(key, budget: &budget) || !countNodes(value, budget: &budget) { return false }
            }
            return true
        }
    }

    private func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        case .duplicatedKeysInMapping(_, let context):
            return context.mark.line
        default:
            return nil
        }
    }

    private func yamlErrorMessage(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return "not valid YAML: \(prefix)\(problem)"
        case .duplicatedKeysInMapping(let duplicates, _):
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return "a mapping has the key \(keys) more than once"
        default:
            return "not valid YAML: \(error)"
        }
    }
}

/// The `Decoder` behind ``ConfigDecoder``: one YAML node, its coding path and its file.
// Immutable after parsing: Yams nodes are never mutated once composed.
public struct ConfigNodeDecoder: Decoder, @unchecked Sendable {
    let node: Node
    public let codingPath: [any CodingKey]
    let file: String
    /// Where errors that decoding can go on past are recorded (shared by every node of a file).
    let collector: ConfigErrorCollector?
    public var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: Node, codingPath: [any CodingKey], file: String, collector: ConfigErrorCollector? = nil) {
        self.node = node
        self.codingPath = codingPath
        self.file = file
        self.collector = collector
    }

    /// Where this node is, for error messages.
    public var location: ConfigLocation {
        ConfigLocation(file: file, line: node.mark?.line, path: renderPath(codingPath))
    }

    /// The node as the user wrote it, for "got …" in error messages.
    var shownValue: String {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, isNumberLike(scalar.string) { return scalar.string }
            if scalar.style == .plain, scalar.string.isEmpty { return "nothing" }
            return "\"\(scalar.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func error(_ message: String) -> ConfigError { ConfigError(message, at: location) }

    func mismatch(expected: String) -> ConfigError { error("expected \(expected), got \(shownValue)") }

    public func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else { throw mismatch(expected: "a mapping") }
        let container = try ConfigKeyedContainer<Key>(mapping: mapping, decoder: self)
        return KeyedDecodingContainer(container)
    }

    public func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else { throw mismatch(expected: "a list") }
        return ConfigUnkeyedContainer(nodes: Array(sequence), decoder: self)
    }

    public func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ConfigSingleValueContainer(decoder: self)
    }

    func child(_ node: Node, key: any CodingKey) -> ConfigNodeDecoder {
        ConfigNodeDecoder(node: node, codingPath: codingPath + [key], file: file, collector: collector)
    }
}

private func isNumberLike(_ s: String) -> Bool {
    Int(s.replacingOccurrences(of: "_", with: "")) != nil || Double(s) != nil
}

/// A key that is not one of a type's `CodingKeys`: list indices and dictionary keys.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { self.stringValue = "\(intValue)"; self.intValue = intValue }
}

struct ConfigKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ConfigNodeDecoder
    /// Keys in file order, with their key node (for its line) and value node.
    let entries: [(name: String, keyNode: Node, value: Node)]
    var codingPath: [any CodingKey] { decoder.codingPath }

    init(mapping: Node.Mapping, decoder: ConfigNodeDecoder) throws {
        self.decoder = decoder
        var entries: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw decoder.child(keyNode, key: AnyCodingKey(stringValue: "?")).error("keys must be plain strings")
            }
            let name = scalar.string
            let keyDecoder = decoder.child(keyNode, key: AnyCodingKey(stringValue: name))
            if let allowed = allowedKeys(Key.self), !allowed.contains(name) {
                let error = keyDecoder.error(unknownKeyMessage(name, allowed: allowed))
                guard let collector = decoder.collector else { throw error }
                collector.record(error)
                continue
            }
            entries.append((name, keyNode, value))
        }
        self.entries = entries
    }

    var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.name) } }

    func contains(_ key: Key) -> Bool { entries.contains { $0.name == key.stringValue } }

    private func entry(_ key: Key) throws -> ConfigNodeDecoder {
        guard let found = entries.first(where: { $0.name == key.stringValue }) else {
            throw decoder.error("missing required key \"\(key.stringValue)\"")
        }
        return decoder.child(found.value, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let found = entries.first(where: { $0.name == key.stringValue }) else { return true }
        return isNull(found.value)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decodeValue(T.self, from: entry(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let found = entries.first(where: { $0.name == key.stringValue }), !isNull(found.value) else { return nil }
        return try decodeValue(T.self, from: decoder.child(found.value, key: key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> {
        try entry(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try entry(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        if let found = entries.first(where: { $0.name == key.stringValue }) {
            return decoder.child(found.value, key: key)
        }
        return decoder.child(.scalar(.init("null", .implicit, .plain, decoder.node.mark)), key: key)
    }
}

struct ConfigUnkeyedContainer: UnkeyedDecodingContainer {
    let nodes: [Node]
    let decoder: ConfigNodeDecoder
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { nodes.count }
    var isAtEnd: Bool { currentIndex >= nodes.count }

    init(nodes: [Node], decoder: ConfigNodeDecoder) {
        self.nodes = nodes
        self.decoder = decoder
    }

    private mutating func nextDecoder() throws -> ConfigNodeDecoder {
        guard !isAtEnd else { throw decoder.error("list has too few items") }
        defer { currentIndex += 1 }
        return decoder.child(nodes[currentIndex], key: AnyCodingKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, isNull(nodes[currentIndex]) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeValue(T.self, from: nextDecoder())
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey> {
        try nextDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try nextDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try nextDecoder() }
}

struct ConfigSingleValueContainer: SingleValueDecodingContainer {
    let decoder: ConfigNodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { isNull(decoder.node) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(T.self, from: decoder) }
}

private func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
}

/// Scalars are decoded here (strictly); everything else goes through `T.init(from:)`.
private func decodeValue<T: Decodable>(_ type: T.Type, from decoder: ConfigNodeDecoder) throws -> T {
    if let scalarType = T.self as? any ConfigScalar.Type {
        guard case .scalar(let scalar) = decoder.node else { throw decoder.mismatch(expected: scalarType.expectation) }
        guard let value = scalarType.init(configScalar: scalar) else {
            throw decoder.mismatch(expected: scalarType.expectation)
        }
        // The cast cannot fail: `value` was made by `T`'s own `init(configScalar:)`.
        return value as! T  // swiftlint:disable:this force_cast
    }
    return try T(from: decoder)
}

private func allowedKeys<Key: CodingKey>(_ type: Key.Type) -> [String]? {
    guard let iterable = type as? any (CodingKey & CaseIterable).Type else { return nil }
    return iterable.allKeyNames
}

extension CaseIterable where Self: CodingKey {
    static var allKeyNames: [String] { allCases.map(\.stringValue) }
}

private func unknownKeyMessage(_ name: String, allowed: [String]) -> String {
    let sorted = allowed.sorted()
    if let best = sorted.min(by: { editDistance($0, name) < editDistance($1, name) }),
       editDistance(best, name) <= max(2, name.count / 3) {
        return "unknown key \"\(name)\" (did you mean \"\(best)\"?)"
    }
    return "unknown key \"\(name)\" (expected one of: \(sorted.joined(separator: ", ")))"
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...max(b.count, 1) where j <= b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The errors found while decoding one file, in the order found.
///
/// Errors of optional keys and unknown keys are recorded and decoding goes on with the default, so one
/// run reports every such error of the file; an error that leaves nothing to go on with (a required key,
/// a wrong shape) ends it, and is reported after those found before it.
final class ConfigErrorCollector: @unchecked Sendable {
    /// Decodes `T` from `node` collecting errors: the value (nil when decoding could not finish) and
    /// every error, in the order found.
    static func decode<T: Decodable>(_ type: T.Type, from node: Node, codingPath: [any CodingKey],
                                     file: String) -> (value: T?, errors: [ConfigError]) {
        let collector = ConfigErrorCollector()
        do {
            let value = try T(from: ConfigNodeDecoder(node: node, codingPath: codingPath, file: file, collector: collector))
            return (value, collector.errors)
        } catch let error as ConfigError {
            collector.record(error)
        } catch let error as ConfigErrors {
            for error in error.errors { collector.record(error) }
        } catch {
            collector.record(ConfigError("\(error)", at: ConfigLocation(file: file, line: node.mark?.line,
                                                                      path: renderPath(codingPath))))
        }
        return (nil, collector.errors)
    }

    // Decoding runs on one thread; the class only lets every node of the file share the list.
    private var errors: [ConfigError] = []

    func record(_ error: ConfigError) {
        if !errors.contains(error) { errors.append(error) }
    }
}
