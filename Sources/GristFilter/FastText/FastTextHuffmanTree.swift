/// The binary tree of fastText's hierarchical softmax, built from the label counts as fastText builds
/// it: leaves are the labels (in dictionary order, counts descending), internal nodes are made by
/// repeatedly joining the two smallest of (the next leaf from the end, the next internal node);
/// internal node `i` uses output row `i - labelCount`; the root is node `2 * labelCount - 2`.
struct FastTextHuffmanTree: Sendable {
    let left: [Int32]
    let right: [Int32]
    let labelCount: Int

    /// nil when the counts cannot make a tree (negative, or 10^15 and more: fastText's "no node yet").
    init?(counts: [Int64]) {
        guard counts.allSatisfy({ $0 >= 0 && $0 < 1_000_000_000_000_000 }) else { return nil }
        let osz = counts.count
        labelCount = osz
        let nodes = Swift.max(2 * osz - 1, 0)
        var left = [Int32](repeating: -1, count: nodes)
        var right = [Int32](repeating: -1, count: nodes)
        var count = [Int64](repeating: 1_000_000_000_000_000, count: nodes)
        for i in 0..<osz { count[i] = counts[i] }
        var leaf = osz - 1
        var node = osz
        if osz > 0 {
            for i in osz..<(2 * osz - 1) {
                var mini = (0, 0)
                for j in 0..<2 {
                    let pick: Int
                    if leaf >= 0 && count[leaf] < count[node] {
                        pick = leaf
                        leaf -= 1
                    } else {
                        pick = node
                        node += 1
                    }
                    if j == 0 { mini.0 = pick } else { mini.1 = pick }
                }
                left[i] = Int32(mini.0)
                right[i] = Int32(mini.1)
                guard mini.0 < i, mini.1 < i else { return nil }
                count[i] = count[mini.0] &+ count[mini.1]
            }
        }
        // predict walks the tree recursively: refuse trees deeper than any fastText builds from
        // counts below 10^15 sorted as its dictionary sorts them (a Huffman tree of such counts is at
        // most about 75 deep)
        if osz > 1 {
            var depth = [UInt16](repeating: 0, count: nodes)
            for i in stride(from: 2 * osz - 2, through: osz, by: -1) {
                let d = depth[i] &+ 1
                if d > Self.maxDepth { return nil }
                depth[Int(left[i])] = d
                depth[Int(right[i])] = d
            }
        }
        self.left = left
        self.right = right
    }

    static let maxDepth: UInt16 = 1000

    var root: Int { 2 * labelCount - 2 }

    func isLeaf(_ node: Int) -> Bool { left[node] == -1 && right[node] == -1 }
}
