import Foundation
import GristCore
import Testing
@testable import GristCollect

@Suite("JSONLReader")
struct JSONLReaderTests {
    /// Reads `content` written (and compressed per `ext`) as `name.jsonl[.ext]`.
    private func read(_ content: [UInt8], ext: String = "", options: JSONLReaderOptions = .init(),
                      bufferSize: Int = 1 << 20, folder: TempFolder? = nil) throws -> (path: String, events: [ReaderEvent]) {
        let folder = try folder ?? TempFolder()
        let name = ext.isEmpty ? "data.jsonl" : "data.jsonl.\(ext)"
        let path = try folder.write(name, Compress.encode(content, as: ext))
        return (path, try readAll(JSONLReader(path: path, options: options, bufferSize: bufferSize)))
    }

    private func read(_ text: String, options: JSONLReaderOptions = .init()) throws -> (path: String, events: [ReaderEvent]) {
        try read(Array(text.utf8), options: options)
    }

    /// Many records of varied sizes, with escapes and non-ASCII text, and what they decode to.
    private func corpus(records: Int, seed: UInt64) -> (file: [UInt8], texts: [String], offsets: [Int]) {
        var random = TestRandom(state: seed)
        let pieces = ["word", "é", "中文", "😀", "\\n", "\\\"", "\\u00e9", "\\ud83d\\ude00", " ", "\\t", "x"]
        let decoded = ["word", "é", "中文", "😀", "\n", "\"", "é", "😀", " ", "\t", "x"]
        var file: [UInt8] = []
        var texts: [String] = []
        var offsets: [Int] = []
        for index in 0..<records {
            var raw = ""
            var text = ""
            for _ in 0..<random.below(60) {
                let k = random.below(pieces.count)
                raw += pieces[k]
                text += decoded[k]
            }
            offsets.append(file.count)
            file += Array("{\"id\": \"doc-\(index)\", \"text\": \"\(raw)\", \"n\": [1, 2.5e3, {\"a\": null}]}\n".utf8)
            texts.append(text)
        }
        return (file, texts, offsets)
    }

    @Test("round trip across buffer boundaries", arguments: ["", "gz", "zst"])
    func roundTrip(ext: String) throws {
        let (file, texts, offsets) = corpus(records: 1500, seed: 7)
        for bufferSize in [17, 64, 4096] {
            let (_, events) = try read(file, ext: ext, bufferSize: bufferSize)
            let documents = events.documents
            #expect(events.skips.isEmpty)
            try #require(documents.count == texts.count)
            for (index, document) in documents.enumerated() {
                #expect(document.string == texts[index])
                #expect(document.id == "doc-\(index)")
                #expect(document.ordinal == index)
                #expect(document.line == index + 1)
                #expect(document.byteOffset == offsets[index])
            }
        }
    }

    @Test func multiMemberGzip() throws {
        let first = Array("{\"text\": \"one\"}\n{\"text\": \"two\"}\n".utf8)
        let second = Array("{\"text\": \"three\"}\n".utf8)
        let folder = try TempFolder()
        let path = try folder.write("multi.jsonl.gz", Compress.gzip(first) + Compress.gzip(second) + Compress.gzip([]))
        let events = try readAll(JSONLReader(path: path, options: .init(), bufferSize: 16))
        #expect(events.documents.map(\.string) == ["one", "two", "three"])
        #expect(events.skips.isEmpty)
    }

    @Test func multiFrameZstd() throws {
        let parts = ["{\"text\": \"a\"}\n", "{\"text\": \"b\"}\n{\"text\": ", "\"c\"}\n"].map { Array($0.utf8) }
        // A skippable frame (magic 0x184D2A50, 3 bytes of payload) between data frames.
        let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 9, 9, 9]
        let folder = try TempFolder()
        let path = try folder.write("multi.jsonl.zst",
                                    Compress.zstd(parts[0]) + skippable + Compress.zstd(parts[1]) + Compress.zstd(parts[2]))
        let events = try readAll(JSONLReader(path: path, options: .init(), bufferSize: 16))
        #expect(events.documents.map(\.string) == ["a", "b", "c"])
        #expect(events.skips.isEmpty)
    }

    @Test func crlfLines() throws {
        let (_, events) = try read("{\"text\": \"a\"}\r\n{\"text\": \"b\\r\"}\r\n\r\n{\"text\": \"c\"}")
        #expect(events.documents.map(\.string) == ["a", "b\r", "c"])
        #expect(events.documents.map(\.line) == [1, 2, 4])
        #expect(events.documents.map(\.byteOffset) == [0, 15, 34])
    }

    @Test func escapesAndSurrogatePairs() throws {
        let line = #"{"text": "q\" b\\ s\/ \b\f\n\r\t \u00e9\u4E2D \ud83d\ude00 raw é😀 \u0000"}"#
        let (_, events) = try read(line)
        let document = try #require(events.documents.first)
        #expect(document.text == Array("q\" b\\ s/ \u{8}\u{c}\n\r\t é中 😀 raw é😀 \u{0}".utf8))
    }

    @Test func nestedFieldPath() throws {
        let options = JSONLReaderOptions().with { $0.textField = "meta.body"; $0.idField = "meta.id" }
        let (_, events) = try read("""
            {"meta": {"id": 5, "body": "nested"}}
            {"meta.body": "literal", "meta": {"body": "nested"}}
            {"meta": {"body": "nested"}, "meta.body": "literal wins wherever it is"}
            {"meta": {"deeper": {"body": "no"}}, "body": "no"}
            """, options: options)
        #expect(events.documents.map(\.string) == ["nested", "literal", "literal wins wherever it is"])
        #expect(events.documents.first?.id == "5")
        let skip = try #require(events.skips.first)
        #expect(skip.kind == .skip(.missingField))
        #expect(skip.message == #"record has no "meta.body" field (keys: meta, body)"#)
        #expect(skip.position?.line == 4)
    }

    @Test func metadataFields() throws {
        let options = JSONLReaderOptions().with { $0.metadataFields = ["url", "meta.lang", "n", "flag", "tags", "obj", "nothing", "nul"] }
        let (_, events) = try read("""
            {"text": "a", "url": "https://x.org/\\u00e9", "meta": {"lang": "fr"}, "n": 1.5e3, "flag": true, "tags": ["p", 1], "obj": {"k": null}, "nul": null}
            {"text": "b"}
            """, options: options)
        let documents = events.documents
        #expect(documents.count == 2)
        #expect(documents[0].metadata == [
            "url": "https://x.org/é", "lang": "fr", "n": "1.5e3", "flag": "true", "tags": #"["p", 1]"#,
            "obj": #"{"k": null}"#,
        ])
        #expect(documents[1].metadata.isEmpty)
    }

    @Test func idField() throws {
        let (path, events) = try read("""
            {"id": 42, "text": "a"}
            {"id": -1.5e3, "text": "b"}
            {"id": "s\\u00e9", "text": "c"}
            {"text": "d"}
            {"id": null, "text": "e"}
            {"id": "", "text": "f"}
            {"id": "x", "id": "last", "text": "g"}
            """)
        #expect(events.documents.map(\.id) == ["42", "-1.5e3", "sé", "\(path):4", "\(path):5", "\(path):6", "last"])
    }

    @Test func byteOrderMarkAtStart() throws {
        let (path, events) = try read([0xEF, 0xBB, 0xBF] + Array("{\"text\": \"a\"}\n\u{FEFF}{\"text\": \"b\"}\n".utf8))
        #expect(events.documents.map(\.string) == ["a"])
        // Only the file's first line may start with a byte order mark.
        #expect(events.skips.first?.position == InputPosition(path: path, line: 2, byteOffset: 17))
        #expect(events.skips.first?.message == "expected a JSON object, found byte 0xef at column 1")
    }

    @Test func blankLinesAreNotRecords() throws {
        let (_, events) = try read("\n{\"text\": \"a\"}\n   \n\t\r\n\n{\"text\": \"b\"}\n\n")
        #expect(events.count == 2)
        #expect(events.documents.map(\.ordinal) == [0, 1])
        #expect(events.documents.map(\.line) == [2, 6])
    }

    @Test func skippedRecordsKeepOrdinals() throws {
        let (_, events) = try read("{\"text\": \"a\"}\nnope\n{\"text\": \"b\"}\n")
        #expect(events.count == 3)
        #expect(events.documents.map(\.ordinal) == [0, 2])
    }

    @Test func notJSON() throws {
        let (path, events) = try read("""
            {"text": "ok"}
            hello
            [1, 2]
            {"text": "a"} trailing
            {"text": "a",}
            {"text": 01}
            {"text": "tab\there"}
            """)
        let skips = events.skips
        try #require(skips.count == 6)
        #expect(skips.allSatisfy { $0.kind == .skip(.notJSON) })
        #expect(skips[0].message == #"expected a JSON object, found "h" at column 1"#)
        #expect(skips[1].message == "expected a JSON object, found an array at column 1")
        #expect(skips[2].message == #"unexpected "t" after the end of the object at column 15"#)
        #expect(skips[3].message == #"expected a key in double quotes, found "}" at column 14"#)
        #expect(skips[4].message.contains("column 11"))
        #expect(skips[5].message.contains("control byte 0x09"))
        #expect(skips[0].position == InputPosition(path: path, line: 2, byteOffset: 15))
        #expect(skips[2].position == InputPosition(path: path, line: 4, byteOffset: 28 + 14))
        #expect(skips[0].description.hasPrefix("\(path):2 (byte 15): "))
    }

    @Test func missingTextField() throws {
        let (path, events) = try read("{\"id\": 1, \"body\": \"x\"}\n{\"text\": 3}\n{\"text\": null}\n{\"text\": [\"a\"]}\n")
        let skips = events.skips
        try #require(skips.count == 4)
        #expect(skips.allSatisfy { $0.kind == .skip(.missingField) })
        #expect(skips[0].message == #"record has no "text" field (keys: id, body)"#)
        #expect(skips[0].position == InputPosition(path: path, line: 1, byteOffset: 0))
        #expect(skips[1].message == #""text" is a number, expected a string"#)
        #expect(skips[2].message == #""text" is null, expected a string"#)
        #expect(skips[3].message == #""text" is an array, expected a string"#)
    }

    @Test func invalidUTF8() throws {
        var bytes = Array("{\"text\": \"fine\"}\n{\"text\": \"ab".utf8)
        bytes += [0xC3, 0x28]  // a lead byte followed by a non-continuation byte
        bytes += Array("\"}\n{\"text\": \"\\ud800 alone\"}\n{\"text\": \"\\udc00\"}\n{\"text\": \"ok\"}\n".utf8)
        let (path, events) = try read(bytes)
        #expect(events.documents.map(\.string) == ["fine", "ok"])
        let skips = events.skips
        try #require(skips.count == 3)
        #expect(skips.allSatisfy { $0.kind == .skip(.invalidUTF8) })
        #expect(skips[0].message == "invalid UTF-8 byte 0xc3 in a string at column 13")
        #expect(skips[0].position == InputPosition(path: path, line: 2, byteOffset: 17 + 12))
        #expect(skips[1].message.contains(#"lone surrogate "\ud800""#))
        #expect(skips[1].position?.line == 3)
        #expect(skips[2].message.contains(#"lone surrogate "\udc00""#))
    }

    @Test("empty file", arguments: ["", "gz", "zst"])
    func emptyFile(ext: String) throws {
        let (path, events) = try read([], ext: ext)
        #expect(events.count == 1)
        let skip = try #require(events.skips.first)
        #expect(skip.kind == .skip(.emptyFile))
        #expect(skip.position?.path == path)
    }

    @Test func zeroByteCompressedFiles() throws {
        let folder = try TempFolder()
        for name in ["a.jsonl.gz", "a.jsonl.zst"] {
            let path = try folder.write(name, [])
            let events = try readAll(JSONLReader(path: path, options: .init()))
            #expect(events.skips.map(\.kind) == [.skip(.emptyFile)])
        }
    }

    @Test func onlyBlankLines() throws {
        let (_, events) = try read("\n  \n\r\n")
        #expect(events.skips.map(\.kind) == [.skip(.emptyFile)])
    }

    @Test("truncated stream", arguments: ["gz", "zst"])
    func truncated(ext: String) throws {
        // Large enough for several zstd blocks (128 KiB): a cut block yields nothing.
        let (file, texts, _) = corpus(records: 4000, seed: 11)
        let compressed = Compress.encode(file, as: ext)
        let folder = try TempFolder()
        let path = try folder.write("cut.jsonl.\(ext)", Array(compressed.prefix(compressed.count / 2)))
        let events = try readAll(JSONLReader(path: path, options: .init(), bufferSize: 4096))
        let documents = events.documents
        #expect(documents.count > 10)
        #expect(documents.count < texts.count)
        #expect(documents.map(\.string) == Array(texts.prefix(documents.count)))
        #expect(events.count == documents.count + 1)
        let last = try #require(events.last?.skipped)
        #expect(last.kind == .skip(.truncated))
        #expect(last.message.contains("compressed byte"))
        #expect(last.position?.path == path)
        #expect(last.position?.line == documents.count + 1)
    }

    @Test func corruptGzip() throws {
        let (file, _, _) = corpus(records: 400, seed: 12)
        var compressed = Compress.gzip(file)
        for k in stride(from: compressed.count / 2, to: compressed.count / 2 + 64, by: 1) { compressed[k] ^= 0x5A }
        let folder = try TempFolder()
        let path = try folder.write("bad.jsonl.gz", compressed)
        let events = try readAll(JSONLReader(path: path, options: .init(), bufferSize: 512))
        let last = try #require(events.last?.skipped)
        #expect(last.kind == .skip(.corrupt))
        #expect(last.message.contains("compressed byte"))
    }

    @Test func gzNameOnPlainFile() throws {
        let folder = try TempFolder()
        let path = try folder.write("fake.jsonl.gz", "{\"text\": \"plain\"}\n")
        let error = try #require(throws: GristError.self) { try JSONLReader(path: path, options: .init()) }
        #expect(error.kind == .badFormat)
        #expect(error.description.contains(path))
        #expect(error.message.contains("not gzip"))
    }

    @Test func binaryGarbage() throws {
        var random = TestRandom(state: 99)
        let garbage = (0..<50_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let (_, events) = try read(garbage, bufferSize: 1000)
        #expect(events.documents.isEmpty)
        #expect(!events.skips.isEmpty)
        #expect(events.skips.allSatisfy { [.skip(.notJSON), .skip(.invalidUTF8), .skip(.recordTooLarge)].contains($0.kind) })
    }

    @Test func recordTooLargeThenGoodOne() throws {
        let big = "{\"text\": \"" + String(repeating: "x", count: 5000) + "\"}\n"
        let content = "{\"text\": \"first\"}\n" + big + "{\"text\": \"after\"}\n" + big
        let options = JSONLReaderOptions().with { $0.maxRecordBytes = 100 }
        for bufferSize in [32, 64, 1 << 20] {
            let (path, events) = try read(Array(content.utf8), options: options, bufferSize: bufferSize)
            #expect(events.count == 4)
            #expect(events.documents.map(\.string) == ["first", "after"])
            #expect(events.documents.map(\.ordinal) == [0, 2])
            #expect(events.documents.map(\.line) == [1, 3])
            let skips = events.skips
            #expect(skips.map(\.kind) == [.skip(.recordTooLarge), .skip(.recordTooLarge)])
            #expect(skips.first?.position == InputPosition(path: path, line: 2, byteOffset: 18))
            #expect(skips.first?.message.contains("5012 bytes") == true)
        }
    }

    @Test func recordOfExactlyMaxBytes() throws {
        let line = "{\"text\": \"abc\"}"  // 15 bytes
        let (_, events) = try read(Array((line + "\r\n" + line).utf8), options: JSONLReaderOptions().with { $0.maxRecordBytes = 15 },
                                   bufferSize: 8)
        #expect(events.documents.count == 2)
    }

    @Test func deepNesting() throws {
        let ok = "{\"text\": \"t\", \"a\": " + String(repeating: "[", count: 126) + String(repeating: "]", count: 126) + "}"
        let deep = "{\"text\": \"t\", \"a\": " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}"
        let (_, events) = try read(ok + "\n" + deep + "\n")
        #expect(events.documents.count == 1)
        let skip = try #require(events.skips.first)
        #expect(skip.kind == .skip(.notJSON))
        #expect(skip.message.contains("deeper than 128"))
    }
}
