import Yams

/// A value written as one YAML scalar, decoded strictly (no quoted numbers, no "yes" for true).
public protocol ConfigScalar: Decodable {
    /// What a user must write, for errors: "an integer", "a number".
    static var expectation: String { get }
    init?(configScalar scalar: Node.Scalar)
}

extension Node.Scalar {
    var isPlain: Bool { style == .plain || style == .any }
}

extension Int: ConfigScalar {
    public static var expectation: String { "an integer" }
    public init?(configScalar scalar: Node.Scalar) {
        guard scalar.isPlain, let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else { return nil }
        self = value
    }
}

extension UInt64: ConfigScalar {
    public static var expectation: String { "a non-negative integer" }
    public init?(configScalar scalar: Node.Scalar) {
        guard scalar.isPlain, let value = UInt64(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            return nil
        }
        self = value
    }
}

extension Double: ConfigScalar {
    public static var expectation: String { "a number" }
    public init?(configScalar scalar: Node.Scalar) {
        // Decimal notation only: Swift's parser would also take hex floats, "nan" and "inf".
        let text = scalar.string.replacingOccurrences(of: "_", with: "")
        guard scalar.isPlain, text.allSatisfy({ "0123456789.eE+-".contains($0) }),
              let value = Double(text), value.isFinite else { return nil }
        self = value
    }
}

extension Bool: ConfigScalar {
    public static var expectation: String { "true or false" }
    public init?(configScalar scalar: Node.Scalar) {
        guard scalar.isPlain else { return nil }
        switch scalar.string {
        case "true", "True", "TRUE": self = true
        case "false", "False", "FALSE": self = false
        default: return nil
        }
    }
}

extension String: ConfigScalar {
    public static var expectation: String { "a string" }
    public init?(configScalar scalar: Node.Scalar) {
        // A plain `~` or `null` is YAML's null, not the text "~".
        if scalar.isPlain, ["~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        self = scalar.string
    }
}

/// A closed set of names (`format: jsonl`), decoded with an error that lists the choices.
public protocol ConfigEnum: RawRepresentable<String>, CaseIterable, Decodable, Sendable {}

extension ConfigEnum {
    public init(from decoder: any Decoder) throws {
        let choices = Self.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        if let node = decoder as? ConfigNodeDecoder {
            guard case .scalar(let scalar) = node.node, let value = Self(rawValue: scalar.string) else {
                throw node.mismatch(expected: "one of \(choices)")
            }
            self = value
            return
        }
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected one of \(choices), got \"\(raw)\""))
        }
        self = value
    }
}

/// A condition a decoded value must meet, with the words that describe it in errors.
public struct ConfigConstraint<Value>: Sendable {
    /// Completes "expected an integer …", e.g. "≥ 0" or "in 0...1".
    public let description: String
    public let test: @Sendable (Value) -> Bool

    public init(_ description: String, _ test: @escaping @Sendable (Value) -> Bool) {
        self.description = description
        self.test = test
    }
}

extension ConfigConstraint where Value: Comparable & Sendable {
    public static func atLeast(_ low: Value) -> Self { .init("≥ \(low)") { $0 >= low } }
    public static func greaterThan(_ low: Value) -> Self { .init("> \(low)") { $0 > low } }
    public static func within(_ range: ClosedRange<Value>) -> Self {
        .init("in \(range.lowerBound)...\(range.upperBound)") { range.contains($0) }
    }
    public static func within(_ range: Range<Value>) -> Self {
        .init("≥ \(range.lowerBound) and < \(range.upperBound)") { range.contains($0) }
    }
}

extension ConfigConstraint where Value == String {
    public static var nonEmpty: Self { .init("that is not empty") { !$0.isEmpty } }
}

extension KeyedDecodingContainer {
    /// Decodes an optional key into `target`, checking `constraint`; an absent or null key leaves
    /// `target` as it is. A config type declares each default once, as its property's initial value,
    /// and decodes into the property.
    ///
    /// Type and range failures read alike: `expected an integer ≥ 0, got "ten"`.
    public func decode<T: ConfigScalar>(_ key: Key, into target: inout T,
                                        _ constraint: ConfigConstraint<T>? = nil) throws {
        guard contains(key), try !decodeNil(forKey: key) else { return }
        try recoverable { target = try value(key, constraint) }
    }

    /// Decodes an optional key of any type (an enum, a section of options) into `target`; an absent or
    /// null key leaves `target` (the default) as it is.
    public func decodeIfPresent<T: Decodable>(_ key: Key, into target: inout T) throws {
        try recoverable { if let value = try decodeIfPresent(T.self, forKey: key) { target = value } }
    }

    /// Decodes an optional key with no default.
    public func optionalValue<T: ConfigScalar>(_ key: Key, _ constraint: ConfigConstraint<T>? = nil) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        var result: T?
        try recoverable { result = try value(key, constraint) }
        return result
    }

    /// Runs `body`; a ``ConfigError`` it throws is recorded for the file and decoding goes on (the key
    /// keeps its default), when decoding with ``ConfigDecoder``; otherwise it is thrown.
    private func recoverable(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ConfigError {
            guard let collector = (try? superDecoder() as? ConfigNodeDecoder)?.collector else { throw error }
            collector.record(error)
        } catch let error as ConfigErrors {
            guard let collector = (try? superDecoder() as? ConfigNodeDecoder)?.collector else { throw error }
            for error in error.errors { collector.record(error) }
        }
    }

    /// Decodes a required key and checks `constraint`.
    public func value<T: ConfigScalar>(_ key: Key, _ constraint: ConfigConstraint<T>? = nil) throws -> T {
        let expectation = [T.expectation, constraint?.description].compactMap { $0 }.joined(separator: " ")
        guard let node = try? superDecoder(forKey: key) as? ConfigNodeDecoder else {
            let value = try decode(T.self, forKey: key)
            if let constraint, !constraint.test(value) {
                throw DecodingError.dataCorruptedError(forKey: key, in: self,
                                                       debugDescription: "expected \(expectation), got \(value)")
            }
            return value
        }
        guard contains(key) else {
            let parent = (try? superDecoder() as? ConfigNodeDecoder)?.location ?? node.location
            throw ConfigError("missing required key \"\(key.stringValue)\"", at: parent)
        }
        guard case .scalar(let scalar) = node.node, let value = T(configScalar: scalar) else {
            throw node.mismatch(expected: expectation)
        }
        if let constraint, !constraint.test(value) { throw node.mismatch(expected: expectation) }
        return value
    }

    /// Where `key`'s value is in the file (or where it would go), for errors raised after decoding.
    public func location(of key: Key) -> ConfigLocation? {
        (try? superDecoder(forKey: key) as? ConfigNodeDecoder)?.location
    }
}

extension Decoder {
    /// Where the value being decoded is in the file, when decoding with ``ConfigDecoder``.
    public var configLocation: ConfigLocation? { (self as? ConfigNodeDecoder)?.location }
}
