/// A rule that scores documents with a classifier model (a fastText quality classifier): the build
/// records every scored document's label scores in the manifest (`documentScore`), and the stats and the
/// report draw their distribution per source with the rule's threshold.
public protocol ScoringRule: DocumentRule {
    /// The document metadata keys the rule writes its scores under, each with the model label it scores.
    var scoreKeys: [(key: String, label: String)] { get }
    /// What the rule decides on (with `drops` false, what it would decide); nil when it has no label.
    var decision: ScoreDecision? { get }
    /// The model file.
    var modelPath: String { get }
    /// What it scores at once: `document`, `paragraph` or `line`.
    var granularity: String { get }
}

/// A classifier rule's decision: a unit it scores (the document, a paragraph or a line) stays when its score of
/// `label` is at least `threshold` (`keepsAtOrAbove`), or when it is below (otherwise).
public struct ScoreDecision: Sendable, Equatable {
    public var label: String
    public var threshold: Double
    public var keepsAtOrAbove: Bool
    /// False with `label_only`: the rule scores against the threshold but drops nothing.
    public var drops: Bool

    public init(label: String, threshold: Double, keepsAtOrAbove: Bool, drops: Bool = true) {
        self.label = label
        self.threshold = threshold
        self.keepsAtOrAbove = keepsAtOrAbove
        self.drops = drops
    }
}
