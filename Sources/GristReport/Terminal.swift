#if canImport(Glibc)
import Glibc
#endif

/// How output for a person should look where it goes: colour only on a terminal with `NO_COLOR`
/// unset (https://no-color.org), and lines that fit the terminal's width.
public struct TerminalStyle: Sendable {
    public var color: Bool
    /// Columns available (80 when unknown).
    public var width: Int

    public init(color: Bool, width: Int) {
        self.color = color
        self.width = width
    }

    /// Plain text, 100 columns: for files, pipes and tests.
    public static let plain = TerminalStyle(color: false, width: 100)

    /// The style for standard output as it is now.
    public static func standardOutput() -> TerminalStyle {
        let isTerminal = isatty(1) == 1
        let noColor = getenv("NO_COLOR").map { String(cString: $0).isEmpty == false } ?? false
        var width = 100
        var size = winsize()
        if isTerminal, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            width = Int(size.ws_col)
        } else if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns > 20 {
            width = columns
        }
        return TerminalStyle(color: isTerminal && !noColor, width: width)
    }

    public func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    public func dim(_ text: String) -> String { color ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    public func green(_ text: String) -> String { color ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    public func red(_ text: String) -> String { color ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    public func yellow(_ text: String) -> String { color ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
}
