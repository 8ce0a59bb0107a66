/// Which split a document belongs to.
public enum DataSplit: String, Sendable, CaseIterable, Comparable {
    case train, val

    public static func < (a: Self, b: Self) -> Bool { a == .train && b == .val }
}
