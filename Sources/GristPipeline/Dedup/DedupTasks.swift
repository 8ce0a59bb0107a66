import GristCore
import GristDedup

/// Phase 2 of deduplication on this machine: the plan's independent tasks on `workers` threads (each
/// with an equal share of the memory budget), then the clustering.
enum DedupTasks {
    /// Runs every task the work folder does not already hold the output of.
    static func run(_ plan: DedupPlan, workers: Int) throws {
        let tasks = plan.tasks.filter { !plan.isFinished($0) }
        guard !tasks.isEmpty else { return }
        let threads = max(1, min(workers, tasks.count))
        let share = plan.settings.memoryBytes / threads
        let results = Parallel.map(items: tasks.count, workers: threads, makeState: {}) { index, _ in
            Result {
                try plan.run(tasks[index], memoryBytes: share)
                Fault.point("dedup-task")
            }
        }
        for result in results { try result.get() }
    }
}
