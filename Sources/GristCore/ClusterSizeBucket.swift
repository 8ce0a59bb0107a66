/// Duplicate clusters whose size lies in `lowerBound...upperBound` (both included: 2, 3–4, 5–8, 9–16, …):
/// the dedup audit's histogram, made by GristDedup and recorded by GristShards.
public struct ClusterSizeBucket: Sendable, Equatable, Encodable {
    public var lowerBound: Int
    public var upperBound: Int
    public var clusters: Int
    /// Documents in those clusters, the kept ones included.
    public var documents: Int

    public init(lowerBound: Int, upperBound: Int, clusters: Int, documents: Int) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.clusters = clusters
        self.documents = documents
    }
}
