import GristCore
import GristMix
import Testing

@Suite struct MixPlanTests {
    @Test func weightsAreMultipliersWithoutABudget() {
        let plan = MixPlan(weights: [1, 2, 0.5], trainTokens: [100, 100, 400], budget: nil)
        #expect(plan.multipliers == [1, 2, 0.5])
        #expect(plan.targetShares == [0.2, 0.4, 0.4])
    }

    @Test func weightsAreSharesOfABudget() {
        let plan = MixPlan(weights: [3, 1], trainTokens: [1000, 100], budget: 400)
        #expect(plan.targetShares == [0.75, 0.25])
        #expect(plan.multipliers == [0.3, 1.0])
    }

    @Test func emptySourceGetsNoCopies() {
        #expect(MixPlan(weights: [1, 1], trainTokens: [0, 10], budget: 10).multipliers == [0, 0.5])
    }
}

@Suite struct DocumentSamplerTests {
    private let fingerprints = (0..<20_000).map { Fingerprint(of: Array("document \($0)".utf8)) }

    @Test func splitFollowsTheValFraction() {
        let sampler = DocumentSampler(seed: 1, valFraction: 0.1)
        let val = fingerprints.filter { sampler.split(of: $0) == .val }.count
        #expect(abs(Double(val) / Double(fingerprints.count) - 0.1) < 0.01)
        #expect(DocumentSampler(seed: 1, valFraction: 0).split(of: fingerprints[0]) == .train)
    }

    @Test func copiesAverageTheMultiplier() {
        let sampler = DocumentSampler(seed: 9, valFraction: 0)
        for multiplier in [0.0, 0.25, 1.0, 2.5] {
            let copies = fingerprints.map { sampler.copies(of: $0, multiplier: multiplier) }
            let mean = Double(copies.reduce(0, +)) / Double(copies.count)
            #expect(abs(mean - multiplier) < 0.02, "multiplier \(multiplier): mean \(mean)")
            #expect(copies.allSatisfy { $0 == Int(multiplier) || $0 == Int(multiplier) + 1 })
        }
    }

    @Test func choicesDependOnlyOnSeedAndContent() {
        let a = DocumentSampler(seed: 5, valFraction: 0.5), b = DocumentSampler(seed: 5, valFraction: 0.5)
        let c = DocumentSampler(seed: 6, valFraction: 0.5)
        #expect(fingerprints.prefix(100).map(a.split(of:)) == fingerprints.prefix(100).map(b.split(of:)))
        #expect(fingerprints.prefix(100).map { a.orderKey(of: $0, copy: 0) }
            != fingerprints.prefix(100).map { c.orderKey(of: $0, copy: 0) })
        #expect(a.orderKey(of: fingerprints[0], copy: 0) != a.orderKey(of: fingerprints[0], copy: 1))
        #expect(a.orderKey(of: fingerprints[0], copy: 0) != a.orderKey(of: fingerprints[0], copy: 0, occurrence: 1))
    }
}
