import Testing
@testable import GristTrain

/// OpenBLAS against the plain loops: whichever kernel set the library picked, its results must match.
@Suite struct GemmTests {
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func blasMatchesReference(transposeA: Bool, transposeB: Bool) {
        // Large enough to take the blocked, multi-item path; odd sizes hit the kernels' edge cases.
        for (m, n, k) in [(67, 45, 33), (200, 130, 97), (9, 301, 17)] {
            let a = TestSupport.random(m * k, seed: 1), b = TestSupport.random(k * n, seed: 2)
            let initial = TestSupport.random(m * n, seed: 3)
            var fast = initial, slow = initial
            let lda = transposeA ? m : k, ldb = transposeB ? k : n
            for threads in [1, 2] {
                var out = initial
                out.withUnsafeMutableBufferPointer { c in
                    gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5, a, lda: lda, b,
                         ldb: ldb, beta: 0.25, c.baseAddress!, ldc: n, Parallelism(threads: threads))
                }
                if threads == 1 {
                    fast = out
                } else {
                    let same = out == fast
                    #expect(same, "threads change the result")
                }
            }
            slow.withUnsafeMutableBufferPointer { c in
                gemmReference(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5, a, lda: lda,
                              b, ldb: ldb, beta: 0.25, c.baseAddress!, ldc: n)
            }
            let worst = TestSupport.maxDifference(fast, slow)
            #expect(worst < 1e-5, "m \(m) n \(n) k \(k): maxdiff \(worst) (\(BLASRuntime.coreName))")
        }
    }

    @Test func largeProductUsesBlocksAndMatches() {
        let m = 256, n = 192, k = 160  // 15.7 MFLOP: split into blocks
        let a = TestSupport.random(m * k, seed: 4), b = TestSupport.random(n * k, seed: 5)
        var fast = [Float](repeating: 0, count: m * n), slow = fast
        fast.withUnsafeMutableBufferPointer { c in
            gemm(transposeA: false, transposeB: true, m: m, n: n, k: k, alpha: 1, a, lda: k, b, ldb: k, beta: 0,
                 c.baseAddress!, ldc: n, Parallelism(threads: 2))
        }
        slow.withUnsafeMutableBufferPointer { c in
            gemmReference(transposeA: false, transposeB: true, m: m, n: n, k: k, alpha: 1, a, lda: k, b, ldb: k,
                          beta: 0, c.baseAddress!, ldc: n)
        }
        #expect(TestSupport.maxDifference(fast, slow) < 1e-5)
    }
}
