/// Disjoint sets over documents 0..<n (union-find with path halving). The root of a set is always its
/// smallest member, so the structure does not depend on the order of unions.
///
/// Memory: 4 bytes per document.
struct UnionFind {
    private(set) var parent: [UInt32]

    init(count: Int) { parent = (0..<count).map { UInt32($0) } }

    mutating func find(_ x: UInt32) -> UInt32 {
        var x = x
        while parent[Int(x)] != x {
            let grandparent = parent[Int(parent[Int(x)])]
            parent[Int(x)] = grandparent
            x = grandparent
        }
        return x
    }

    /// Joins the sets of `a` and `b`; returns false when they were already one.
    @discardableResult
    mutating func union(_ a: UInt32, _ b: UInt32) -> Bool {
        let ra = find(a), rb = find(b)
        if ra == rb { return false }
        if ra < rb { parent[Int(rb)] = ra } else { parent[Int(ra)] = rb }
        return true
    }
}
