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
    ///
    /// - Parameter timeSpent: with a time budget, the share of it spent before this step: the cosine is as
    ///   far along as the steps or the time have gone, whichever is further, so a run stopped by its
    ///   budget ends at the floor as one that ran all its steps does.
    public func rate(at step: Int, timeSpent: Double? = nil) -> Double {
        if step < warmupSteps { return peak * Double(step + 1) / Double(warmupSteps) }
        if step >= totalSteps { return minimum }
        let decaySteps = max(1, totalSteps - warmupSteps)
        let ratio = min(1, max(Double(step - warmupSteps) / Double(decaySteps), timeSpent ?? 0))
        let coefficient = 0.5 * (1 + cos(Double.pi * ratio))
        return minimum + coefficient * (peak - minimum)
    }
}
