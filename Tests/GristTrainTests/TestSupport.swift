import Foundation
import GristCore
@testable import GristTrain

/// Random tensors and finite-difference gradient checks for the trainer's tests.
enum TestSupport {
    /// Uniform values in [−scale, scale), from a seeded generator.
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float(Double(rng.next() >> 11) * 0x1.0p-53 * 2 - 1) * scale }
    }

    static func randomTokens(_ count: Int, below limit: Int, seed: UInt64) -> [Int32] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in Int32(rng.next() % UInt64(limit)) }
    }

    /// Largest |a − b| / max(1, |b|) over the elements: relative for large values, absolute near 0.
    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "size mismatch \(a.count) vs \(b.count)")
        var worst: Float = 0
        for (x, y) in zip(a, b) { worst = max(worst, abs(x - y) / max(1, abs(y))) }
        return worst
    }

    /// Central finite differences of `loss` with respect to `x[i]` for the chosen indices.
    static func numericGradient(_ x: inout [Float], indices: [Int], epsilon: Float = 1e-2,
                                _ loss: ([Float]) -> Double) -> [Float] {
        indices.map { i in
            let saved = x[i]
            x[i] = saved + epsilon
            let plus = loss(x)
            x[i] = saved - epsilon
            let minus = loss(x)
            x[i] = saved
            return Float((plus - minus) / (2 * Double(epsilon)))
        }
    }

    /// Σ weights · values in double precision: the scalar whose gradient a check compares.
    static func project(_ values: UnsafePointer<Float>, _ weights: [Float]) -> Double {
        var total: Double = 0
        for i in weights.indices { total += Double(values[i]) * Double(weights[i]) }
        return total
    }

    /// Checks that `analytic` and `numeric` agree: |a − n| ≤ tolerance · max(|a|, |n|, floor).
    static func agree(_ analytic: [Float], _ numeric: [Float], tolerance: Float = 2e-2, floor: Float = 1e-2)
        -> (ok: Bool, worst: Float) {
        var worst: Float = 0
        for (a, n) in zip(analytic, numeric) {
            worst = max(worst, abs(a - n) / max(abs(a), abs(n), floor))
        }
        return (worst <= tolerance, worst)
    }

    /// Every index if few, else an evenly spread sample of about `limit` of them.
    static func sampleIndices(_ count: Int, limit: Int = 48) -> [Int] {
        count <= limit ? Array(0..<count) : (0..<limit).map { $0 * count / limit }
    }

    /// `Tests/GristTrainTests/Fixtures`, found next to this file.
    static let fixtureDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true).path
}
