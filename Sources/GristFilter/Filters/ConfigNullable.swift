import GristCore

extension KeyedDecodingContainer {
    /// A threshold that defaults to `defaultValue` when absent and is switched off by `null`
    /// (datatrove's `None`).
    func nullable<T: ConfigScalar>(_ key: Key, default defaultValue: T?,
                                   _ constraint: ConfigConstraint<T>? = nil) throws -> T? {
        guard contains(key) else { return defaultValue }
        if try decodeNil(forKey: key) { return nil }
        return try value(key, constraint)
    }
}
