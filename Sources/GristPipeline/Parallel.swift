import Dispatch
import GristCore
import Synchronization

/// Runs independent work items on a few threads and returns their results in item order.
///
/// Workers pull the next item from a shared queue (so one large file does not leave a core idle), and
/// each worker owns a `State` (an encoder with its scratch buffers, say). Results land in a slot per
/// item, so the output never depends on which worker ran what. This is the one place in the pipeline
/// that shares mutable memory across threads; its lock guards the queue and the slots.
enum Parallel {
    static func map<State, Result: Sendable>(
        items: Int, workers: Int, order: [Int]? = nil,
        makeState: @Sendable () -> State,
        _ body: @Sendable (Int, inout State) -> Result
    ) -> [Result] {
        let queue = order ?? Array(0..<items)
        precondition(queue.count == items, "order must list every item once")
        let box = Slots<Result>(count: items)
        let threads = max(1, min(workers, items))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var state = makeState()
            while let item = box.nextItem(from: queue) {
                let result = body(item, &state)
                box.store(result, at: item)
            }
        }
        return box.results()
    }
}

/// Result slots and a queue cursor behind one lock.
private final class Slots<Result: Sendable>: Sendable {
    private struct State {
        var storage: [Result?]
        var cursor = 0
    }

    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(storage: Array(repeating: nil, count: count))) }

    func nextItem(from queue: [Int]) -> Int? {
        state.withLock { state in
            guard state.cursor < queue.count else { return nil }
            defer { state.cursor += 1 }
            return queue[state.cursor]
        }
    }

    func store(_ result: Result, at index: Int) { state.withLock { $0.storage[index] = result } }

    func results() -> [Result] {
        state.withLock { state in
            state.storage.map { slot in
                guard let slot else { preconditionFailure("a work item produced no result") }
                return slot
            }
        }
    }
}
