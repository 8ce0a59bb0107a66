/// Where a build decides a document's fate, in the order it decides: the reader, each rule, dedup,
/// the mix. `name` is what the manifest's `stageCount.stage` and `document.stage` record.
public enum DocumentStage: Hashable, Sendable {
    /// The reader: bad records are skipped for a `SkipReason`.
    case read
    /// A cleaner or filter, by its stage name (its kind, made unique: `length`, `length#2`); it drops
    /// documents for reasons of its own (datatrove's codes for the filters that port datatrove's).
    case rule(String)
    /// Deduplication: drops duplicates (`BuildDropReason.exactDuplicate`, `.nearDuplicate`).
    case dedup
    /// The mix: drops documents sampled out (`BuildDropReason.sampledOut`).
    case mix

    public var name: String {
        switch self {
        case .read: "read"
        case .rule(let name): name
        case .dedup: "dedup"
        case .mix: "mix"
        }
    }

    /// The stage a recorded `name` names (a rule's name for anything that is not the reader, dedup or
    /// the mix: no rule kind takes one of those names).
    public init(name: String) {
        switch name {
        case "read": self = .read
        case "dedup": self = .dedup
        case "mix": self = .mix
        default: self = .rule(name)
        }
    }
}

/// Why the build itself drops a document (rules give theirs in `Verdict.drop`). The raw values are what
/// the manifest records: never rename one.
public enum BuildDropReason: String, Sendable, CaseIterable {
    /// The same normalized text as a kept document.
    case exactDuplicate = "exact_duplicate"
    /// The same (normalized) URL as a kept document (its text differs).
    case urlDuplicate = "url_duplicate"
    /// MinHash-similar to a kept document.
    case nearDuplicate = "near_duplicate"
    /// The mix took no copy of it (a source weight or budget below one).
    case sampledOut = "sampled_out"
}
