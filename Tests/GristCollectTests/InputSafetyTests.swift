import GristCore
import Testing
@testable import GristCollect

@Suite("Decompression bombs")
struct DecompressionBombTests {
    /// 64 MiB of newlines-free zeros-like bytes: gzip makes about 1000:1 of it, zstd far more.
    private let bomb = [UInt8](repeating: UInt8(ascii: "a"), count: 64 << 20)

    @Test("a bomb member stops the file with decompression_bomb", arguments: ["gz", "zst"])
    func bombIsSkipped(ext: String) throws {
        let folder = try TempFolder()
        let good = Array("{\"text\": \"before the bomb\"}\n".utf8)
        let path = try folder.write("x.jsonl.\(ext)", Compress.encode(good, as: ext) + Compress.encode(bomb, as: ext))
        let events = try readAll(JSONLReader(path: path, options: .init(), policy: InputPolicy(maxExpansionRatio: 200)))
        #expect(events.documents.map(\.string) == ["before the bomb"])
        let skip = try #require(events.skips.first)
        #expect(skip.kind == .skip(.decompressionBomb))
        #expect(skip.message.contains("max_expansion_ratio (200)"))
        #expect(skip.position?.path == path)
        #expect(events.count == 2)
    }

    @Test("a high limit reads the same data", arguments: ["gz", "zst"])
    func highLimitReads(ext: String) throws {
        let folder = try TempFolder()
        let text = [UInt8](repeating: UInt8(ascii: "b"), count: 3 << 20)
        let path = try folder.write("x.txt.\(ext)", Compress.encode(text, as: ext))
        let events = try readAll(TextReader(path: path, options: .init(), policy: InputPolicy(maxExpansionRatio: 1e9)))
        #expect(events.documents.first?.text.count == 3 << 20)
        let refused = try readAll(TextReader(path: path, options: .init(), policy: InputPolicy(maxExpansionRatio: 50)))
        #expect(refused.skips.map(\.kind) == [.skip(.decompressionBomb)])
    }

    @Test func smallMembersAreNeverFlagged() throws {
        // 600 KiB of one byte expands ~1000x but stays under the 1 MiB floor.
        let folder = try TempFolder()
        let path = try folder.write("x.txt.gz", Compress.gzip([UInt8](repeating: 0x41, count: 600 << 10)))
        let events = try readAll(TextReader(path: path, options: .init(), policy: InputPolicy(maxExpansionRatio: 2)))
        #expect(events.skips.isEmpty)
    }
}

@Suite("Invalid UTF-8 policy")
struct InvalidUTF8PolicyTests {
    private let replace = InputPolicy(invalidUTF8: .replace)

    @Test func repairReplacesMaximalSubparts() {
        // Examples from the Unicode standard, section 3.9 (U+FFFD substitution of maximal subparts).
        var bytes: [UInt8] = [0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64]
        let count = UTF8Validation.repair(&bytes)
        #expect(count == 6)
        #expect(String(decoding: bytes, as: UTF8.self) == "a\u{FFFD}\u{FFFD}\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}d")
        var surrogate: [UInt8] = [0xED, 0xA0, 0x80, 0x41]
        UTF8Validation.repair(&surrogate)
        #expect(String(decoding: surrogate, as: UTF8.self) == "\u{FFFD}\u{FFFD}\u{FFFD}A")
        var valid = Array("ok é 😀".utf8)
        #expect(UTF8Validation.repair(&valid) == 0)
        #expect(String(decoding: valid, as: UTF8.self) == "ok é 😀")
    }

    @Test func jsonlRejectsOrReplaces() throws {
        let folder = try TempFolder()
        let line: [UInt8] = Array("{\"text\": \"caf".utf8) + [0xE9] + Array(" \\ud800 ok\", \"u\": \"x".utf8) + [0xFF]
            + Array("\"}\n".utf8)
        let path = try folder.write("x.jsonl", line)
        let rejected = try readAll(JSONLReader(path: path, options: .init()))
        #expect(rejected.skips.map(\.kind) == [.skip(.invalidUTF8)])
        let events = try readAll(JSONLReader(path: path, options: .init().with { $0.metadataFields = ["u"] }, policy: replace))
        let document = try #require(events.documents.first)
        #expect(document.string == "caf\u{FFFD} \u{FFFD} ok")
        #expect(document.metadata == ["u": "x\u{FFFD}"])
    }

    @Test func jsonlReplaceKeepsValidPairsAndSyntaxErrors() throws {
        let folder = try TempFolder()
        let path = try folder.write("x.jsonl", "{\"text\": \"\\ud83d\\ude00 \\udc00\"}\n{\"text\": \"\\ud800\\uzzzz\"}\n")
        let events = try readAll(JSONLReader(path: path, options: .init(), policy: replace))
        #expect(events.documents.map(\.string) == ["😀 \u{FFFD}"])
        #expect(events.skips.map(\.kind) == [.skip(.notJSON)])
    }

    @Test("text: replace keeps the file, NUL still rejects", arguments: [TextReaderOptions.Split.file, .paragraphs])
    func textReplace(split: TextReaderOptions.Split) throws {
        let folder = try TempFolder()
        let path = try folder.write("x.txt", Array("one ".utf8) + [0xC3, 0x28] + Array(" two\n".utf8))
        let events = try readAll(TextReader(path: path, options: .init().with { $0.split = split }, policy: replace))
        #expect(events.documents.map(\.string) == ["one \u{FFFD}( two" + (split == .file ? "\n" : "")])
        let binary = try folder.write("y.txt", Array("one\n".utf8) + [0] + Array("two".utf8))
        let skipped = try readAll(TextReader(path: binary, options: .init().with { $0.split = split }, policy: replace))
        #expect(skipped.skips.map(\.kind) == [.skip(.invalidUTF8)])
        #expect(skipped.skips.first?.position?.byteOffset == 4)
    }
}
