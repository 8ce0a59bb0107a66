#if canImport(Glibc)
import Glibc
#endif

/// Linear warmup, then cosine decay to a floor (the schedule of GPT-3 and nanoGPT).
public struct LearningRateSchedule: Sendable, Equatable, Codable {
    /// Peak learning rate, reached at the end of warmup.
    public var peak: Double
    /// The floor the cosine decays to, reached at `totalSteps`.
    public var minimum: Double
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(peak: Double, minimum: Double, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The learning rate of step `step` (0-based).
    public func rate(at step: Int) -> Double {
        if step < warmupSteps { return peak * Double(step + 1) / Double(warmupSteps) }
        if step >= totalSteps { return minimum }
        let decaySteps = max(1, totalSteps - warmupSteps)
        let ratio = Double(step - warmupSteps) / Double(decaySteps)
        let coefficient = 0.5 * (1 + cos(Double.pi * ratio))
        return minimum + coefficient * (peak - minimum)
    }
}
