#if canImport(Glibc)
import Glibc
#endif

/// Crash points for testing resume: with `GRIST_FAULT=NAME:N` in the environment, the process kills
/// itself with SIGKILL (no cleanup, like a power cut or the OOM killer) the N-th time it reaches the
/// point NAME. Without the variable, a point costs one environment lookup at startup.
enum Fault {
    private static let target: (name: String, count: Int)? = {
        guard let raw = getenv("GRIST_FAULT") else { return nil }
        let parts = String(cString: raw).split(separator: ":")
        guard parts.count == 2, let count = Int(parts[1]), count > 0 else { return nil }
        return (String(parts[0]), count)
    }()

    private static let counter = Counter()

    /// Marks that the build reached point `name`.
    static func point(_ name: String) {
        guard let target, target.name == name else { return }
        if counter.increment() == target.count { kill(getpid(), SIGKILL) }
    }

    private final class Counter: @unchecked Sendable {
        private var value = 0
        private var mutex = pthread_mutex_t()
        init() { pthread_mutex_init(&mutex, nil) }
        func increment() -> Int {
            pthread_mutex_lock(&mutex)
            defer { pthread_mutex_unlock(&mutex) }
            value += 1
            return value
        }
    }
}
