#if canImport(Glibc)
import Glibc
#endif
import Synchronization

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
public final class ProgressLine: Sendable {
    private let enabled: Bool
    /// When the line was last drawn, and whether it is on the screen; the lock also keeps two
    /// threads' redraws from interleaving.
    private let state = Mutex<(lastDraw: UInt64, drawn: Bool)>((0, false))

    public init(enabled: Bool = Console.stderrIsTerminal) { self.enabled = enabled }

    /// Redraws the line with `text` if enough time has passed since the last redraw.
    public func update(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        state.withLock { state in
            let now = monotonicNanoseconds()
            guard now - state.lastDraw > 200_000_000 else { return }
            state.lastDraw = now
            state.drawn = true
            Console.writeStderr("\r\u{1B}[2K" + text())
        }
    }

    /// Clears the line.
    public func finish() {
        guard enabled else { return }
        state.withLock { state in
            if state.drawn { Console.writeStderr("\r\u{1B}[2K") }
            state.drawn = false
        }
    }
}

/// Nanoseconds of a clock that never goes backwards.
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
