import GristCore
import Testing
@testable import GristCollect

@Suite("TextReader")
struct TextReaderTests {
    private let paragraphs = TextReaderOptions().with { $0.split = .paragraphs }

    private func read(_ content: [UInt8], ext: String = "", options: TextReaderOptions,
                      bufferSize: Int = 1 << 20) throws -> (path: String, events: [ReaderEvent]) {
        let folder = try TempFolder()
        let name = ext.isEmpty ? "book.txt" : "book.txt.\(ext)"
        let path = try folder.write(name, Compress.encode(content, as: ext))
        return (path, try readAll(TextReader(path: path, options: options, bufferSize: bufferSize)))
    }

    @Test("whole file is one document", arguments: ["", "gz", "zst"])
    func wholeFile(ext: String) throws {
        let text = "Title\r\n\r\nFirst paragraph é.\n\n\nSecond 😀\n"
        let (path, events) = try read(Array(text.utf8), ext: ext, options: .init().with { $0.split = .file }, bufferSize: 7)
        #expect(events.count == 1)
        let document = try #require(events.documents.first)
        #expect(document.string == text)
        #expect(document.id == path)
        #expect(document.ordinal == 0)
        #expect(document.line == 1)
        #expect(document.byteOffset == 0)
    }

    @Test("paragraphs", arguments: ["", "gz", "zst"])
    func paragraphSplit(ext: String) throws {
        let text = "\n\nOne line\r\nand \r more\n \t\r\nTwo\n\n\n\nThree é\nend"
        for bufferSize in [16, 1 << 20] {
            let (path, events) = try read(Array(text.utf8), ext: ext, options: paragraphs, bufferSize: bufferSize)
            #expect(events.skips.isEmpty)
            let documents = events.documents
            #expect(documents.map(\.string) == ["One line\r\nand \r more", "Two", "Three é\nend"])
            #expect(documents.map(\.line) == [3, 6, 10])
            #expect(documents.map(\.byteOffset) == [2, 27, 34])
            #expect(documents.map(\.ordinal) == [0, 1, 2])
            #expect(documents.map(\.id) == ["\(path):3", "\(path):6", "\(path):10"])
        }
    }

    @Test func manyParagraphsAcrossBuffers() throws {
        var text = ""
        var expected: [String] = []
        var random = TestRandom(state: 3)
        for index in 0..<500 {
            let lines = (0...random.below(4)).map { line in "p\(index) l\(line) " + String(repeating: "é", count: random.below(30)) }
            expected.append(lines.joined(separator: "\n"))
            text += lines.joined(separator: "\n") + String(repeating: "\n", count: 2 + random.below(3))
        }
        for ext in ["", "gz", "zst"] {
            let (_, events) = try read(Array(text.utf8), ext: ext, options: paragraphs, bufferSize: 50)
            #expect(events.documents.map(\.string) == expected)
        }
    }

    @Test("empty file", arguments: ["", "gz", "zst"])
    func emptyFile(ext: String) throws {
        for split in [TextReaderOptions.Split.file, .paragraphs] {
            let (_, events) = try read([], ext: ext, options: .init().with { $0.split = split })
            #expect(events.skips.map(\.kind) == [.skip(.emptyFile)])
            #expect(events.skips.first?.message == "file is empty")
            let (_, blank) = try read(Array(" \n\r\n\t\n".utf8), ext: ext, options: .init().with { $0.split = split })
            #expect(blank.skips.map(\.kind) == [.skip(.emptyFile)])
        }
    }

    @Test func binaryFile() throws {
        var random = TestRandom(state: 5)
        let garbage = [UInt8]("ok text\n\n".utf8) + (0..<20_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for split in [TextReaderOptions.Split.file, .paragraphs] {
            let (path, events) = try read(garbage, options: .init().with { $0.split = split }, bufferSize: 256)
            let skip = try #require(events.last?.skipped)
            #expect(skip.kind == .skip(.invalidUTF8))
            #expect(skip.message.contains("not UTF-8 text"))
            #expect(skip.position?.path == path)
            #expect((skip.position?.byteOffset ?? 0) >= 9)
            #expect(events.documents.map(\.string) == (split == .paragraphs ? ["ok text"] : []))
        }
    }

    @Test func nulByte() throws {
        let content = Array("line one\nline\0two\n".utf8)
        for split in [TextReaderOptions.Split.file, .paragraphs] {
            let (path, events) = try read(content, options: .init().with { $0.split = split })
            #expect(events.count == 1)
            let skip = try #require(events.first?.skipped)
            #expect(skip.kind == .skip(.invalidUTF8))
            #expect(skip.message.contains("NUL"))
            #expect(skip.position == InputPosition(path: path, line: 2, byteOffset: 13))
        }
    }

    @Test func invalidUTF8Offset() throws {
        let content = Array("good\n\nfine ".utf8) + [0xE9] + Array(" latin-1\n".utf8)
        let (path, events) = try read(content, options: paragraphs)
        #expect(events.documents.map(\.string) == ["good"])
        let skip = try #require(events.last?.skipped)
        #expect(skip.position == InputPosition(path: path, line: 3, byteOffset: 11))
        #expect(skip.message.contains("0xe9"))
    }

    @Test func paragraphTooLargeThenGoodOne() throws {
        let big = String(repeating: "word ", count: 40) + "\n" + String(repeating: "more ", count: 40)
        let content = "small\n\n" + big + "\n\nafter\nthis\n\n" + String(repeating: "z", count: 500)
        let options = TextReaderOptions().with { $0.split = .paragraphs; $0.maxDocumentBytes = 100 }
        for bufferSize in [16, 1 << 20] {
            let (path, events) = try read(Array(content.utf8), options: options, bufferSize: bufferSize)
            #expect(events.count == 4)
            #expect(events.documents.map(\.string) == ["small", "after\nthis"])
            #expect(events.documents.map(\.ordinal) == [0, 2])
            #expect(events.skips.map(\.kind) == [.skip(.recordTooLarge), .skip(.recordTooLarge)])
            #expect(events.skips.first?.position == InputPosition(path: path, line: 3, byteOffset: 7))
        }
    }

    @Test func fileTooLarge() throws {
        let (_, events) = try read(Array(String(repeating: "a", count: 1000).utf8),
                                   options: .init().with { $0.split = .file; $0.maxDocumentBytes = 999 }, bufferSize: 64)
        #expect(events.skips.map(\.kind) == [.skip(.recordTooLarge)])
    }

    @Test("truncated stream", arguments: ["gz", "zst"])
    func truncated(ext: String) throws {
        var random = TestRandom(state: 8)
        var paragraphsText: [String] = []
        for index in 0..<3000 {  // several zstd blocks (128 KiB): a cut block yields nothing
            paragraphsText.append("paragraph \(index) " + (0..<40).map { _ in String(random.next() % 1000) }.joined(separator: " "))
        }
        let compressed = Compress.encode(Array(paragraphsText.joined(separator: "\n\n").utf8), as: ext)
        let folder = try TempFolder()
        let path = try folder.write("cut.txt.\(ext)", Array(compressed.prefix(compressed.count * 2 / 3)))

        let events = try readAll(TextReader(path: path, options: paragraphs, bufferSize: 4096))
        let documents = events.documents
        #expect(documents.count > 10)
        #expect(documents.map(\.string) == Array(paragraphsText.prefix(documents.count)))
        let last = try #require(events.last?.skipped)
        #expect(last.kind == .skip(.truncated))
        #expect(last.message.contains("compressed byte"))
        #expect(last.position?.line == documents.count * 2 + 1)

        let whole = try readAll(TextReader(path: path, options: .init().with { $0.split = .file }, bufferSize: 256))
        #expect(whole.map(\.skipped?.kind) == [.skip(.truncated)])
    }
}
