#if canImport(Glibc)
import Glibc
#endif

/// Messages for people go to stderr; stdout carries only a command's output.
public enum Console {
    /// Whether stderr is a terminal (progress lines are drawn only then).
    public static let stderrIsTerminal = isatty(2) == 1

    public static func info(_ message: String) { writeStderr(message + "\n") }

    public static func warning(_ message: String) { writeStderr("warning: " + message + "\n") }

    public static func error(_ message: String) { writeStderr("error: " + message + "\n") }

    /// Writes `text` to stderr now (unbuffered); a failure to write it is ignored.
    public static func writeStderr(_ text: String) {
        var text = text
        text.withUTF8 { bytes in try? FileDescriptor.standardError.writeAll(UnsafeRawBufferPointer(bytes)) }
    }
}

/// A one-line progress display on stderr, redrawn at most a few times a second, and only on a terminal.
public final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLockLike()
    private var lastDraw: UInt64 = 0
    private var drawn = false

    public init(enabled: Bool = Console.stderrIsTerminal) { self.enabled = enabled }

    /// Redraws the line with `text` if enough time has passed since the last redraw.
    public func update(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        lock.withLock {
            let now = monotonicNanoseconds()
            guard now - lastDraw > 200_000_000 else { return }
            lastDraw = now
            drawn = true
            Console.writeStderr("\r\u{1B}[2K" + text())
        }
    }

    /// Clears the line.
    public func finish() {
        guard enabled else { return }
        lock.withLock {
            if drawn { Console.writeStderr("\r\u{1B}[2K") }
            drawn = false
        }
    }
}

/// Nanoseconds of a clock that never goes backwards.
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// A pthread mutex, usable without Foundation.
public final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    public init() { pthread_mutex_init(&mutex, nil) }

    deinit { pthread_mutex_destroy(&mutex) }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
