import COpenBLAS

/// C (M×N) = α·op(A)·op(B) + β·C in row-major storage, through OpenBLAS `cblas_sgemm`.
///
/// `op(A)` is M×K (A is stored K×M when `transposeA`), `op(B)` is K×N (stored N×K when `transposeB`).
/// Large products are cut along their longer output side into a fixed number of blocks that depend
/// only on the shape, and the blocks run on our threads with OpenBLAS itself single-threaded
/// (``BLASRuntime/configure()``): every output element is computed by the same call sequence whatever
/// the thread count, so results do not depend on it.
@inlinable
func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
          _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, beta: Float,
          _ c: UnsafeMutablePointer<Float>, ldc: Int, _ parallel: Parallelism) {
    let flops = 2 * m * n * k
    let blocks = flops < 4_000_000 ? 1 : 8
    let splitRows = m >= n
    let side = splitRows ? m : n
    let step = max(16, ((side + blocks - 1) / blocks + 15) / 16 * 16)
    let count = (side + step - 1) / step
    let pa = SharedPointer(a), pb = SharedPointer(b), pc = SharedPointer(c)
    parallel.forEach(count) { block in
        let start = block * step, size = min(step, side - start)
        if splitRows {
            let aBlock = transposeA ? pa + start : pa + start * lda
            sgemmCall(transposeA, transposeB, size, n, k, alpha, aBlock, lda, pb.base, ldb, beta, pc + start * ldc, ldc)
        } else {
            let bBlock = transposeB ? pb + start * ldb : pb + start
            sgemmCall(transposeA, transposeB, m, size, k, alpha, pa.base, lda, bBlock, ldb, beta, pc + start, ldc)
        }
    }
}

/// OpenBLAS's own threads off, once, before the first product (see ``BLASRuntime/configure()``): our
/// threads call it concurrently, which its threaded build does not support reliably.
@usableFromInline
let openBLASSingleThreaded: Void = { openblas_set_num_threads(1) }()

@inlinable @inline(__always)
func sgemmCall(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
               _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    guard m > 0, n > 0 else { return }
    _ = openBLASSingleThreaded
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// The same product with plain loops: the algorithmic reference the tests compare BLAS with.
func gemmReference(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                   _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, beta: Float,
                   _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Double = 0
            for p in 0..<k {
                let x = transposeA ? a[p * lda + i] : a[i * lda + p]
                let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                sum += Double(x) * Double(y)
            }
            let old = beta == 0 ? 0 : beta * c[i * ldc + j]
            c[i * ldc + j] = alpha * Float(sum) + old
        }
    }
}
