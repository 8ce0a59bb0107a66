import Foundation

/// Scratch objects that a rule lends to one document at a time: rules are shared by the build's workers,
/// and a document's buffers (a fastText prediction's rows, hidden layer and scores) are worth keeping
/// from one document to the next instead of allocating them for each.
final class ScratchPool<Scratch: AnyObject>: @unchecked Sendable {
    // @unchecked: `idle` is read and written under `lock` only, and a scratch object is in the pool or
    // with exactly one caller, never both.
    private let lock = NSLock()
    private var idle: [Scratch] = []
    private let make: @Sendable () -> Scratch

    init(_ make: @escaping @Sendable () -> Scratch) { self.make = make }

    /// Runs `body` with a scratch object no other caller holds, then takes it back.
    func with<Result>(_ body: (Scratch) throws -> Result) rethrows -> Result {
        lock.lock()
        let scratch = idle.popLast() ?? make()
        lock.unlock()
        defer {
            lock.lock()
            idle.append(scratch)
            lock.unlock()
        }
        return try body(scratch)
    }
}
