#if canImport(Glibc)
import Glibc
#endif
import Synchronization

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

    /// How many times the target point was reached.
    private static let reached = Mutex(0)

    /// Marks that the build reached point `name`.
    static func point(_ name: String) {
        guard let target, target.name == name else { return }
        let count = reached.withLock { count in
            count += 1
            return count
        }
        if count == target.count { kill(getpid(), SIGKILL) }
    }
}
