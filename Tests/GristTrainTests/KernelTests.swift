import Testing
@testable import GristTrain

/// Each layer: the fast kernel against its plain reference, and its backward against finite differences
/// of its forward (loss = Σ w·out for a random w, so dout = w).
@Suite struct KernelTests {
    let parallel = Parallelism(threads: 2)

    @Test func matmulForwardAndBackwardMatchReference() {
        let n = 7, c = 24, oc = 40
        let inp = TestSupport.random(n * c, seed: 1), weight = TestSupport.random(oc * c, seed: 2)
        let bias = TestSupport.random(oc, seed: 3), dout = TestSupport.random(n * oc, seed: 4)
        var fast = [Float](repeating: 0, count: n * oc), slow = fast
        Matmul.forward(out: &fast, inp: inp, weight: weight, bias: bias, n: n, c: c, oc: oc, parallel)
        Matmul.forwardReference(out: &slow, inp: inp, weight: weight, bias: bias, n: n, c: c, oc: oc)
        #expect(TestSupport.maxDifference(fast, slow) < 1e-5)

        var dinp = TestSupport.random(n * c, seed: 5), dweight = TestSupport.random(oc * c, seed: 6)
        var dbias = TestSupport.random(oc, seed: 7)
        var rdinp = dinp, rdweight = dweight, rdbias = dbias
        Matmul.backward(dinp: &dinp, dweight: &dweight, dbias: &dbias, dout: dout, inp: inp, weight: weight,
                        n: n, c: c, oc: oc, parallel)
        Matmul.backwardReference(dinp: &rdinp, dweight: &rdweight, dbias: &rdbias, dout: dout, inp: inp,
                                 weight: weight, n: n, c: c, oc: oc)
        #expect(TestSupport.maxDifference(dinp, rdinp) < 1e-5)
        #expect(TestSupport.maxDifference(dweight, rdweight) < 1e-5)
        #expect(TestSupport.maxDifference(dbias, rdbias) < 1e-5)
    }

    @Test func matmulGradientsMatchFiniteDifferences() {
        let n = 3, c = 5, oc = 4
        var inp = TestSupport.random(n * c, seed: 11), weight = TestSupport.random(oc * c, seed: 12)
        var bias = TestSupport.random(oc, seed: 13)
        let w = TestSupport.random(n * oc, seed: 14)
        func loss(_ x: [Float], _ wt: [Float], _ b: [Float]) -> Double {
            var out = [Float](repeating: 0, count: n * oc)
            Matmul.forward(out: &out, inp: x, weight: wt, bias: b, n: n, c: c, oc: oc, .serial)
            return TestSupport.project(out, w)
        }
        var dinp = [Float](repeating: 0, count: n * c), dweight = [Float](repeating: 0, count: oc * c)
        var dbias = [Float](repeating: 0, count: oc)
        Matmul.backward(dinp: &dinp, dweight: &dweight, dbias: &dbias, dout: w, inp: inp, weight: weight, n: n, c: c,
                        oc: oc, .serial)
        let (wb, bb) = (weight, bias)
        let numericInp = TestSupport.numericGradient(&inp, indices: Array(0..<(n * c))) { loss($0, wb, bb) }
        let xi = inp
        let numericWeight = TestSupport.numericGradient(&weight, indices: Array(0..<(oc * c))) { loss(xi, $0, bb) }
        let wi = weight
        let numericBias = TestSupport.numericGradient(&bias, indices: Array(0..<oc)) { loss(xi, wi, $0) }
        #expect(TestSupport.agree(dinp, numericInp).ok)
        #expect(TestSupport.agree(dweight, numericWeight).ok)
        #expect(TestSupport.agree(dbias, numericBias).ok)
    }

    @Test func layerNormMatchesReferenceAndFiniteDifferences() {
        let n = 5, c = 37  // not a multiple of 16: exercises the SIMD tails
        var inp = TestSupport.random(n * c, seed: 21, scale: 2)
        var weight = TestSupport.random(c, seed: 22), bias = TestSupport.random(c, seed: 23)
        var out = [Float](repeating: 0, count: n * c), mean = [Float](repeating: 0, count: n), rstd = mean
        var rout = out, rmean = mean, rrstd = rstd
        LayerNorm.forward(out: &out, mean: &mean, rstd: &rstd, inp: inp, weight: weight, bias: bias, n: n, c: c, parallel)
        LayerNorm.forwardReference(out: &rout, mean: &rmean, rstd: &rrstd, inp: inp, weight: weight, bias: bias, n: n, c: c)
        #expect(TestSupport.maxDifference(out, rout) < 1e-5)
        #expect(TestSupport.maxDifference(rstd, rrstd) < 1e-5)

        let w = TestSupport.random(n * c, seed: 24)
        func loss(_ x: [Float], _ g: [Float], _ b: [Float]) -> Double {
            var o = [Float](repeating: 0, count: n * c), m = [Float](repeating: 0, count: n), r = m
            LayerNorm.forwardReference(out: &o, mean: &m, rstd: &r, inp: x, weight: g, bias: b, n: n, c: c)
            return TestSupport.project(o, w)
        }
        var dinp = [Float](repeating: 0, count: n * c), dweight = [Float](repeating: 0, count: c), dbias = dweight
        LayerNorm.backward(dinp: &dinp, dweight: &dweight, dbias: &dbias, dout: w, inp: inp, weight: weight, mean: mean,
                           rstd: rstd, n: n, c: c, parallel)
        let (g0, b0) = (weight, bias)
        let ni = TestSupport.numericGradient(&inp, indices: Array(0..<(n * c)), epsilon: 1e-3) { loss($0, g0, b0) }
        let x0 = inp
        let nw = TestSupport.numericGradient(&weight, indices: Array(0..<c), epsilon: 1e-3) { loss(x0, $0, b0) }
        let w0 = weight
        let nb = TestSupport.numericGradient(&bias, indices: Array(0..<c), epsilon: 1e-3) { loss(x0, w0, $0) }
        let checks = [TestSupport.agree(dinp, ni), TestSupport.agree(dweight, nw), TestSupport.agree(dbias, nb)]
        for check in checks { #expect(check.ok, "worst relative error \(check.worst)") }
    }

    @Test func geluMatchesReferenceAndFiniteDifferences() {
        let count = 53
        var inp = TestSupport.random(count, seed: 31, scale: 4)
        var out = [Float](repeating: 0, count: count)
        GELU.forward(out: &out, inp: inp, count: count, parallel)
        let reference = inp.map(GELU.valueReference)
        #expect(TestSupport.maxDifference(out, reference) < 1e-6)

        let w = TestSupport.random(count, seed: 32)
        var dinp = [Float](repeating: 0, count: count)
        GELU.backward(dinp: &dinp, inp: inp, dout: w, count: count, parallel)
        let numeric = TestSupport.numericGradient(&inp, indices: Array(0..<count), epsilon: 1e-3) { x in
            zip(x, w).reduce(0) { $0 + Double(GELU.valueReference($1.0)) * Double($1.1) }
        }
        let check = TestSupport.agree(dinp, numeric)
        #expect(check.ok, "worst relative error \(check.worst)")
    }

    @Test func residualBackwardAddsToBoth() {
        let dout = TestSupport.random(40, seed: 41)
        var da = TestSupport.random(40, seed: 42), db = TestSupport.random(40, seed: 43)
        let (a0, b0) = (da, db)
        Residual.backward(da: &da, db: &db, dout: dout, count: 40, parallel)
        let expectedA = zip(a0, dout).map(+), expectedB = zip(b0, dout).map(+)
        #expect(TestSupport.maxDifference(da, expectedA) == 0)
        #expect(TestSupport.maxDifference(db, expectedB) == 0)
    }

    @Test func encoderBackwardScattersToTokensAndPositions() {
        let b = 2, t = 3, c = 4, v = 5
        let tokens: [Int32] = [1, 3, 1, 4, 1, 0]
        let wte = TestSupport.random(v * c, seed: 51), wpe = TestSupport.random(t * c, seed: 52)
        var out = [Float](repeating: 0, count: b * t * c)
        Encoder.forward(out: &out, tokens: tokens, wte: wte, wpe: wpe, b: b, t: t, c: c, parallel)
        #expect(out[(1 * t + 2) * c + 3] == wte[0 * c + 3] + wpe[2 * c + 3])
        let dout = TestSupport.random(b * t * c, seed: 53)
        var dwte = [Float](repeating: 0, count: v * c), dwpe = [Float](repeating: 0, count: t * c)
        Encoder.backward(dwte: &dwte, dwpe: &dwpe, dout: dout, tokens: tokens, b: b, t: t, c: c, parallel)
        // Token 1 appears at rows 0, 2 and 4.
        #expect(abs(dwte[1 * c + 2] - (dout[0 * c + 2] + dout[2 * c + 2] + dout[4 * c + 2])) < 1e-6)
        #expect(abs(dwpe[1 * c] - (dout[1 * c] + dout[4 * c])) < 1e-6)
        #expect(dwte[2 * c] == 0)
    }

    /// With attention dropout (rate > 0) the mask is the same in the fast kernel, the reference and the
    /// backward pass, so the same checks hold.
    @Test(arguments: [(2, 5, 8, 2, 0), (1, 19, 32, 2, 0), (2, 9, 8, 2, 0.3)] as [(Int, Int, Int, Int, Float)])
    func attentionMatchesReferenceAndFiniteDifferences(b: Int, t: Int, c: Int, heads: Int, rate: Float) {
        let mask = rate > 0 ? Dropout.Mask(rate: rate, key: 77) : nil
        var qkv = TestSupport.random(b * t * 3 * c, seed: 61)
        var out = [Float](repeating: 0, count: b * t * c), att = [Float](repeating: 0, count: b * heads * t * t)
        var rout = out, ratt = att
        Attention.forward(out: &out, att: &att, qkv: qkv, b: b, t: t, c: c, heads: heads, parallel, dropout: mask)
        Attention.forwardReference(out: &rout, att: &ratt, qkv: qkv, b: b, t: t, c: c, heads: heads, dropout: mask)
        #expect(TestSupport.maxDifference(out, rout) < 1e-5)
        #expect(TestSupport.maxDifference(att, ratt) < 1e-5)
        if let mask {
            var plain = out
            Attention.forward(out: &plain, att: &att, qkv: qkv, b: b, t: t, c: c, heads: heads, parallel)
            #expect(TestSupport.maxDifference(out, plain) > 1e-3, "dropout changes the output")
            let kept = (0..<(b * heads * t * t)).filter { i in i % t <= i / t % t && mask.keeps(i) }.count
            let causal = b * heads * t * (t + 1) / 2
            #expect(abs(Double(kept) / Double(causal) - 0.7) < 0.1, "about 70 % of the probabilities kept")
        }

        let w = TestSupport.random(b * t * c, seed: 62)
        var dqkv = [Float](repeating: 0, count: qkv.count), scratch = att
        Attention.backward(dqkv: &dqkv, scratch: &scratch, dout: w, qkv: qkv, att: att, b: b, t: t, c: c, heads: heads,
                           parallel, dropout: mask)
        let indices = TestSupport.sampleIndices(qkv.count, limit: 96)
        let numeric = TestSupport.numericGradient(&qkv, indices: indices, epsilon: 1e-3) { x in
            var o = [Float](repeating: 0, count: b * t * c), a = [Float](repeating: 0, count: b * heads * t * t)
            Attention.forwardReference(out: &o, att: &a, qkv: x, b: b, t: t, c: c, heads: heads, dropout: mask)
            return TestSupport.project(o, w)
        }
        let check = TestSupport.agree(indices.map { dqkv[$0] }, numeric)
        #expect(check.ok, "worst relative error \(check.worst)")
    }

    @Test func crossEntropyMatchesReferenceAndFiniteDifferences() {
        let n = 4, v = 21, vp = 32
        var logits = TestSupport.random(n * vp, seed: 71, scale: 3)
        let targets: [Int32] = [0, 20, 7, 7]
        let reference = CrossEntropy.lossReference(logits: logits, targets: targets, n: n, v: v, vp: vp)
        var probs = logits, losses = [Float](repeating: 0, count: n)
        CrossEntropy.forward(losses: &losses, logits: &probs, targets: targets, n: n, v: v, vp: vp, parallel)
        for row in 0..<n { #expect(abs(Double(losses[row]) - reference[row]) < 1e-5) }
        for row in 0..<n { #expect(abs(probs[row * vp..<(row * vp + v)].reduce(0, +) - 1) < 1e-5) }
        #expect(probs[v..<vp].allSatisfy { $0 == 0 })

        CrossEntropy.backward(probs: &probs, targets: targets, n: n, v: v, vp: vp, scale: 1, parallel)
        let indices = (0..<n).flatMap { row in (0..<v).map { row * vp + $0 } }
        let numeric = TestSupport.numericGradient(&logits, indices: indices, epsilon: 1e-3) { x in
            CrossEntropy.lossReference(logits: x, targets: targets, n: n, v: v, vp: vp).reduce(0, +)
        }
        let check = TestSupport.agree(indices.map { probs[$0] }, numeric)
        #expect(check.ok, "worst relative error \(check.worst)")
        #expect(probs[v..<vp].allSatisfy { $0 == 0 }, "padding columns get no gradient")
    }

    @Test func vectorExpIsAccurate() {
        var worst: Double = 0
        var x: Float = -87
        while x < 88 {
            let got = Double(scalarExp(x)), want = _exp(Double(x))
            worst = max(worst, abs(got - want) / want)
            x += 0.0137
        }
        #expect(worst < 5e-7, "worst relative error \(worst)")
    }

    @Test func dropoutZeroesAboutTheRateAndScalesTheRest() {
        var x = [Float](repeating: 1, count: 10_000)
        Dropout.apply(&x, count: x.count, rate: 0.25, key: 99, parallel)
        let dropped = x.filter { $0 == 0 }.count
        #expect(abs(dropped - 2500) < 200)
        #expect(x.filter { $0 != 0 }.allSatisfy { abs($0 - 4.0 / 3.0) < 1e-6 })
        var y = [Float](repeating: 1, count: 10_000)
        Dropout.apply(&y, count: y.count, rate: 0.25, key: 99, .serial)
        let same = x == y
        #expect(same, "the mask depends on the key only")
    }
}

#if canImport(Glibc)
import Glibc
private func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#endif
