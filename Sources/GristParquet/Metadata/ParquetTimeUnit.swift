/// The units a TIMESTAMP (or TIME) logical type counts in.
public enum ParquetTimeUnit: Sendable, Equatable {
    case milliseconds, microseconds, nanoseconds

    /// Units per second.
    var perSecond: Int64 {
        switch self {
        case .milliseconds: 1_000
        case .microseconds: 1_000_000
        case .nanoseconds: 1_000_000_000
        }
    }
}
