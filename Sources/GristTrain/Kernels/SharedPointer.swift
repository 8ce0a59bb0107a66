import Dispatch

/// The one audited place where raw pointers cross into concurrent closures.
///
/// `concurrentPerform` closures must be `@Sendable`, and unsafe pointers are not. Kernels that run in
/// parallel wrap their pointers in `SharedPointer`; their work items read shared inputs and write
/// disjoint ranges of their outputs (each kernel's comment says which), so no element is ever written
/// by two threads, and nothing is read while another thread writes it.
@usableFromInline
struct SharedPointer<Pointee>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Pointee>

    @inlinable init(_ base: UnsafeMutablePointer<Pointee>) { self.base = base }
    @inlinable init(_ base: UnsafePointer<Pointee>) { self.base = UnsafeMutablePointer(mutating: base) }

    @inlinable static func + (pointer: SharedPointer, offset: Int) -> UnsafeMutablePointer<Pointee> {
        pointer.base + offset
    }
}

/// How many threads the kernels use.
///
/// Work is always cut into the same items whatever the thread count (a function of the shapes only),
/// and every sum runs in a fixed order inside one item, so results are bit-identical on 1 thread or many.
public struct Parallelism: Sendable, Equatable {
    public var threads: Int

    public init(threads: Int) {
        precondition(threads >= 1, "at least one thread")
        self.threads = threads
    }

    public static let serial = Parallelism(threads: 1)

    /// Runs `body(item)` for every item in `0..<items`, spread over the threads (thread t takes items
    /// t, t + threads, …).
    @inlinable
    public func forEach(_ items: Int, _ body: @Sendable (Int) -> Void) {
        if threads == 1 || items <= 1 {
            for item in 0..<items { body(item) }
            return
        }
        let workers = min(threads, items)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var item = worker
            while item < items {
                body(item)
                item += workers
            }
        }
    }

    /// Runs `body(range)` over `0..<count` cut into chunks of `grain` (the last one shorter).
    @inlinable
    public func forChunks(_ count: Int, grain: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let grain = max(1, grain)
        let chunks = (count + grain - 1) / grain
        forEach(chunks) { chunk in
            let start = chunk * grain
            body(start..<min(count, start + grain))
        }
    }
}
