/// A section of the config whose properties hold their own defaults (each declared once, as the
/// property's initial value, and decoded into): code that needs other values changes a copy.
///
///     JSONLReaderOptions().with { $0.maxRecordBytes = 100 }
public protocol ConfigSection {}

extension ConfigSection {
    /// A copy with `change` applied.
    public func with(_ change: (inout Self) throws -> Void) rethrows -> Self {
        var copy = self
        try change(&copy)
        return copy
    }
}
