import GristCore
import Testing
@testable import GristCollect

/// A source that hands out `bytes` in chunks of at most `chunk` bytes, then an optional failure.
final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private let chunk: Int
    private var position = 0
    private let endFailure: StreamFailure?
    private(set) var failure: StreamFailure?

    init(_ bytes: [UInt8], chunk: Int, failure: StreamFailure? = nil) {
        self.bytes = bytes
        self.chunk = chunk
        endFailure = failure
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GristError) -> Int {
        let n = min(chunk, buffer.count, bytes.count - position)
        if n == 0 {
            failure = endFailure
            return 0
        }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<position + n]))
        }
        position += n
        return n
    }
}

@Suite("LineSplitter")
struct LineSplitterTests {
    enum Piece: Equatable {
        case line(String, number: Int, offset: Int)
        case tooLong(Int, number: Int, offset: Int)
        case end
        case failed(GristError.Kind, number: Int, offset: Int)
    }

    private func split(_ text: String, chunk: Int, buffer: Int, maxLine: Int = 1000,
                       failure: StreamFailure? = nil) throws -> [Piece] {
        let splitter = LineSplitter(source: MemorySource(Array(text.utf8), chunk: chunk, failure: failure),
                                    bufferSize: buffer, maxLineBytes: maxLine)
        var pieces: [Piece] = []
        while true {
            switch try splitter.next() {
            case .line(let bytes):
                pieces.append(.line(String(decoding: bytes, as: UTF8.self),
                                    number: splitter.lineNumber, offset: splitter.lineOffset))
            case .tooLong(let length):
                pieces.append(.tooLong(length, number: splitter.lineNumber, offset: splitter.lineOffset))
            case .end:
                pieces.append(.end)
                return pieces
            case .failed(let failure):
                pieces.append(.failed(failure.kind, number: splitter.lineNumber, offset: splitter.lineOffset))
                return pieces
            }
        }
    }

    @Test("lines, whatever the chunking", arguments: [1, 2, 3, 7, 64])
    func lines(chunk: Int) throws {
        for buffer in [16, 17, 100] {
            let pieces = try split("alpha\n\nbeta gamma delta epsilon\nz", chunk: chunk, buffer: buffer)
            #expect(pieces == [
                .line("alpha", number: 1, offset: 0),
                .line("", number: 2, offset: 6),
                .line("beta gamma delta epsilon", number: 3, offset: 7),
                .line("z", number: 4, offset: 32),
                .end,
            ])
        }
    }

    @Test func trailingNewlineMakesNoExtraLine() throws {
        #expect(try split("a\nb\n", chunk: 1, buffer: 16) == [
            .line("a", number: 1, offset: 0), .line("b", number: 2, offset: 2), .end,
        ])
        #expect(try split("", chunk: 1, buffer: 16) == [.end])
    }

    @Test("a long line is skipped, not buffered", arguments: [1, 5, 40])
    func tooLong(chunk: Int) throws {
        let long = String(repeating: "x", count: 50)
        let pieces = try split("ok\n\(long)\nnext\n\(long)", chunk: chunk, buffer: 16, maxLine: 10)
        #expect(pieces == [
            .line("ok", number: 1, offset: 0),
            .tooLong(50, number: 2, offset: 3),
            .line("next", number: 3, offset: 54),
            .tooLong(50, number: 4, offset: 59),
            .end,
        ])
    }

    @Test func lineOfExactlyMaxBytesIsKept() throws {
        let pieces = try split("0123456789\n01234567890\n", chunk: 3, buffer: 16, maxLine: 10)
        #expect(pieces == [.line("0123456789", number: 1, offset: 0), .tooLong(11, number: 2, offset: 11), .end])
    }

    @Test func bufferGrowsForLongAllowedLines() throws {
        let long = String(repeating: "y", count: 5000)
        let pieces = try split("a\n\(long)\nb", chunk: 100, buffer: 16, maxLine: 10_000)
        #expect(pieces == [
            .line("a", number: 1, offset: 0), .line(long, number: 2, offset: 2),
            .line("b", number: 3, offset: 5003), .end,
        ])
    }

    @Test func failureDropsThePartialLine() throws {
        let failure = StreamFailure(kind: .skip(.truncated), message: "cut", hint: nil)
        #expect(try split("one\ntwo\nthr", chunk: 2, buffer: 16, failure: failure) == [
            .line("one", number: 1, offset: 0), .line("two", number: 2, offset: 4),
            .failed(.skip(.truncated), number: 3, offset: 8),
        ])
        #expect(try split("one\n", chunk: 2, buffer: 16, failure: failure) == [
            .line("one", number: 1, offset: 0), .failed(.skip(.truncated), number: 2, offset: 4),
        ])
    }
}
