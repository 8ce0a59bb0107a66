import GristCore
import Testing
@testable import GristCollect

@Suite("Readers")
struct ReadersTests {
    @Test func opensByFormat() throws {
        let folder = try TempFolder()
        let jsonl = try folder.write("a.jsonl.zst", Compress.zstd(Array("{\"text\": \"json\"}\n".utf8)))
        let text = try folder.write("a.txt.gz", Compress.gzip(Array("plain\n\ntext".utf8)))
        let fromJSONL = try readAll(Readers.open(path: jsonl, format: .jsonl, text: .init(), jsonl: .init()))
        #expect(fromJSONL.documents.map(\.string) == ["json"])
        let fromText = try readAll(Readers.open(path: text, format: .text, text: .init().with { $0.split = .paragraphs }, jsonl: .init()))
        #expect(fromText.documents.map(\.string) == ["plain", "text"])
    }

    @Test func compressionFromName() {
        #expect(Compression(path: "a/b.jsonl.gz") == .gzip)
        #expect(Compression(path: "B.JSONL.GZ") == .gzip)
        #expect(Compression(path: "b.zst") == .zstd)
        #expect(Compression(path: "b.jsonl") == .none)
        #expect(Compression(path: "gz.txt") == .none)
    }

    @Test func nameAndContentMustAgree() throws {
        let folder = try TempFolder()
        let plainAsGz = try folder.write("plain.txt.gz", "just text\n")
        let gzipAsZst = try folder.write("wrong.jsonl.zst", Compress.gzip(Array("{}".utf8)))
        let gzipAsPlain = try folder.write("hidden.jsonl", Compress.gzip(Array("{}".utf8)))
        let zstdAsPlain = try folder.write("hidden.txt", Compress.zstd(Array("text".utf8)))
        for (path, format) in [(plainAsGz, SourceFormat.text), (gzipAsZst, .jsonl), (gzipAsPlain, .jsonl),
                               (zstdAsPlain, .text)] {
            let error = try #require(throws: GristError.self) {
                try Readers.open(path: path, format: format, text: .init(), jsonl: .init())
            }
            #expect(error.kind == .badFormat)
            #expect(error.position?.path == path)
            #expect(error.description.contains(path))
        }
    }

    @Test func shortPlainFilesAreNotMistakenForCompressed() throws {
        let folder = try TempFolder()
        let path = try folder.write("short.txt", "P*")  // a prefix of a skippable zstd frame's magic
        let events = try readAll(Readers.open(path: path, format: .text, text: .init(), jsonl: .init()))
        #expect(events.documents.map(\.string) == ["P*"])
    }

    @Test func missingFileAndFolder() throws {
        let folder = try TempFolder()
        for path in [folder.path + "/none.jsonl", folder.path] {
            let error = try #require(throws: GristError.self) {
                try Readers.open(path: path, format: .jsonl, text: .init(), jsonl: .init())
            }
            #expect(error.kind == .io)
            #expect(error.position?.path == path)
        }
    }
}
