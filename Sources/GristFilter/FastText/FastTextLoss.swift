import Glibc

/// The output layer of a supervised fastText model, as its `predict` scores labels: softmax, one
/// sigmoid per label (one-vs-all and negative sampling), or the hierarchical softmax tree.
enum FastTextLoss: Sendable {
    case softmax
    case sigmoid(table: [Float])
    case hierarchical(FastTextHuffmanTree)

    /// fastText's sigmoid lookup table: 513 values on [-8, 8].
    static func sigmoidTable() -> [Float] {
        (0...512).map { i in
            let x = Float(i * 2 * 8) / 512 - 8
            return Float(1.0 / (1.0 + Double(expf(-x))))
        }
    }

    /// fastText's `std_log`: log(x + 1e-5), so a probability of 0 has a finite log.
    @inline(__always)
    static func stdLog(_ x: Float) -> Float { Float(log(Double(x) + 1e-5)) }

    @inline(__always)
    static func sigmoid(_ x: Float, table: UnsafeBufferPointer<Float>) -> Float {
        if x < -8 { return 0 }
        if x > 8 { return 1 }
        let i = Int(((x + 8) * 512 / 8 / 2))
        return table[i]
    }

    /// Fills `top` with the best k labels (log-probabilities, best first) of the hidden vector.
    func predict(hidden: UnsafePointer<Float>, output matrix: FastTextMatrix, k: Int, threshold: Float,
                 scores: UnsafeMutablePointer<Float>, top: inout FastTextTopK) {
        top.removeAll()
        switch self {
        case .hierarchical(let tree):
            dfs(tree, node: tree.root, score: 0, k: k, logThreshold: Self.stdLog(threshold),
                hidden: hidden, matrix: matrix, top: &top)
        case .softmax:
            let osz = matrix.rows
            for i in 0..<osz { scores[i] = matrix.dotRow(i, hidden) }
            var maxScore = scores[0]
            for i in 0..<osz { maxScore = Swift.max(scores[i], maxScore) }
            var z: Float = 0
            for i in 0..<osz {
                scores[i] = expf(scores[i] - maxScore)
                z += scores[i]
            }
            for i in 0..<osz { scores[i] /= z }
            findKBest(scores, osz, k: k, threshold: threshold, top: &top)
        case .sigmoid(let table):
            let osz = matrix.rows
            table.withUnsafeBufferPointer { t in
                for i in 0..<osz { scores[i] = Self.sigmoid(matrix.dotRow(i, hidden), table: t) }
            }
            findKBest(scores, osz, k: k, threshold: threshold, top: &top)
        }
        top.sort()
    }

    private func findKBest(_ scores: UnsafeMutablePointer<Float>, _ osz: Int, k: Int, threshold: Float,
                           top: inout FastTextTopK) {
        for i in 0..<osz {
            if scores[i] < threshold { continue }
            let s = Self.stdLog(scores[i])
            if top.count == k && s < top.front { continue }
            top.push(s, Int32(i), k: k)
        }
    }

    private func dfs(_ tree: FastTextHuffmanTree, node: Int, score: Float, k: Int, logThreshold: Float,
                     hidden: UnsafePointer<Float>, matrix: FastTextMatrix, top: inout FastTextTopK) {
        if score < logThreshold { return }
        if top.count == k && score < top.front { return }
        if tree.isLeaf(node) {
            top.push(score, Int32(node), k: k)
            return
        }
        let dot = matrix.dotRow(node - tree.labelCount, hidden)
        let f = Float(1.0 / Double(1 + expf(-dot)))
        dfs(tree, node: Int(tree.left[node]), score: score + Self.stdLog(Float(1.0 - Double(f))), k: k,
            logThreshold: logThreshold, hidden: hidden, matrix: matrix, top: &top)
        dfs(tree, node: Int(tree.right[node]), score: score + Self.stdLog(f), k: k,
            logThreshold: logThreshold, hidden: hidden, matrix: matrix, top: &top)
    }
}
