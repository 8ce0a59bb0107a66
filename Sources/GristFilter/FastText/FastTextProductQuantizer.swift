/// fastText's product quantizer: a vector of `dim` floats cut into `nsubq` pieces of `dsub` floats
/// (the last piece `lastdsub`), each piece one byte naming one of 256 centroids of that piece.
struct FastTextProductQuantizer: Sendable {
    static let centroidsPerPiece = 256
    let dim: Int
    let nsubq: Int
    let dsub: Int
    let lastdsub: Int
    let centroids: [Float]

    init(reading r: inout FastTextFileReader, what: String) throws {
        let at = r.offset
        dim = Int(try r.int32("\(what) dim"))
        nsubq = Int(try r.int32("\(what) nsubq"))
        dsub = Int(try r.int32("\(what) dsub"))
        lastdsub = Int(try r.int32("\(what) lastdsub"))
        guard dim > 0, nsubq > 0, dsub > 0, lastdsub > 0, lastdsub <= dsub, dim <= 1 << 16,
              (nsubq - 1) * dsub + lastdsub == dim
        else { throw r.error("\(what): dim \(dim), nsubq \(nsubq), dsub \(dsub), lastdsub \(lastdsub)", at: at) }
        centroids = try r.floats(dim * Self.centroidsPerPiece, "\(what) centroids")
    }

    /// Offset of centroid `code` of piece `m` in `centroids`.
    @inline(__always)
    func centroidOffset(_ m: Int, _ code: UInt8) -> Int {
        m == nsubq - 1
            ? m * Self.centroidsPerPiece * dsub + Int(code) * lastdsub
            : (m * Self.centroidsPerPiece + Int(code)) * dsub
    }

    /// `alpha` times the dot product of `x` with the vector coded by `codes` (fastText's `mulcode`).
    func dot(_ x: UnsafePointer<Float>, codes: UnsafePointer<UInt8>, alpha: Float) -> Float {
        var res: Float = 0
        centroids.withUnsafeBufferPointer { c in
            for m in 0..<nsubq {
                let base = centroidOffset(m, codes[m])
                let d = m == nsubq - 1 ? lastdsub : dsub
                for n in 0..<d { res += x[m * dsub + n] * c[base + n] }
            }
        }
        return res * alpha
    }

    /// x += alpha times the coded vector (fastText's `addcode`).
    func add(to x: UnsafeMutablePointer<Float>, codes: UnsafePointer<UInt8>, alpha: Float) {
        centroids.withUnsafeBufferPointer { c in
            for m in 0..<nsubq {
                let base = centroidOffset(m, codes[m])
                let d = m == nsubq - 1 ? lastdsub : dsub
                for n in 0..<d { x[m * dsub + n] += alpha * c[base + n] }
            }
        }
    }
}
