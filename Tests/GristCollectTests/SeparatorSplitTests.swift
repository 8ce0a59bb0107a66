import GristCore
import Testing
@testable import GristCollect

@Suite("TextReader split: separator")
struct SeparatorSplitTests {
    private func read(_ text: String, separator: String, ext: String = "", max: Int = 1 << 20,
                      bufferSize: Int = 1 << 20) throws -> (String, [ReaderEvent]) {
        let folder = try TempFolder()
        let path = try folder.write("x.txt" + (ext.isEmpty ? "" : "." + ext), Compress.encode(Array(text.utf8), as: ext))
        let options = TextReaderOptions().with { $0.split = .separator; $0.separator = separator; $0.maxDocumentBytes = max }
        return (path, try readAll(TextReader(path: path, options: options, bufferSize: bufferSize)))
    }

    @Test("blocks between separators", arguments: ["", "gz", "zst"])
    func blocks(ext: String) throws {
        let text = "first\nline\n---\nsecond é\n---\n\n  \n---\nthird\n---\n"
        for bufferSize in [16, 17, 1 << 20] {
            let (path, events) = try read(text, separator: "\n---\n", ext: ext, bufferSize: bufferSize)
            #expect(events.skips.isEmpty)
            let documents = events.documents
            #expect(documents.map(\.string) == ["first\nline", "second é", "third"])
            #expect(documents.map(\.line) == [1, 4, 9])
            #expect(documents.map(\.byteOffset) == [0, 15, 37])
            #expect(documents.map(\.ordinal) == [0, 1, 2])
            #expect(documents.first?.id == "\(path):1")
        }
    }

    @Test func separatorAcrossManyReads() throws {
        var text = ""
        var expected: [String] = []
        var random = TestRandom(state: 9)
        for index in 0..<300 {
            let block = "doc \(index) " + String(repeating: "x\n", count: random.below(40))
            expected.append(block)
            text += block + "\u{1E}"
        }
        for bufferSize in [16, 33, 4096] {
            let (_, events) = try read(text, separator: "\u{1E}", bufferSize: bufferSize)
            #expect(events.documents.map(\.string) == expected)
        }
    }

    @Test func tooLongBlockIsSkippedAndReadingGoesOn() throws {
        let big = String(repeating: "y", count: 500)
        let (_, events) = try read("a@@" + big + "@@b", separator: "@@", max: 100, bufferSize: 16)
        #expect(events.documents.map(\.string) == ["a", "b"])
        #expect(events.skips.map(\.kind) == [.skip(.recordTooLarge)])
        #expect(events.skips.first?.position?.byteOffset == 3)
        #expect(events.documents.map(\.ordinal) == [0, 2])
    }

    @Test func emptyAndTruncated() throws {
        let (_, empty) = try read(" \n@@\n", separator: "@@")
        #expect(empty.skips.map(\.kind) == [.skip(.emptyFile)])
        let folder = try TempFolder()
        let whole = Compress.gzip(Array(("one@@two@@" + String(repeating: "z", count: 5000)).utf8))
        let path = try folder.write("c.txt.gz", Array(whole.prefix(whole.count - 10)))
        let options = TextReaderOptions().with { $0.split = .separator; $0.separator = "@@" }
        let events = try readAll(TextReader(path: path, options: options, bufferSize: 64))
        #expect(events.documents.map(\.string) == ["one", "two"])
        #expect(events.skips.map(\.kind) == [.skip(.truncated)])
    }
}
