import GristCore

extension KeyedDecodingContainer {
    /// A threshold that keeps `target` (its default) when absent and is switched off by `null`
    /// (datatrove's `None`).
    func decodeNullable<T: ConfigScalar>(_ key: Key, into target: inout T?,
                                         _ constraint: ConfigConstraint<T>? = nil) throws {
        guard contains(key) else { return }
        target = try decodeNil(forKey: key) ? nil : value(key, constraint)
    }
}
