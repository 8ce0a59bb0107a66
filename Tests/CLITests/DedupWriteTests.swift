import Foundation
import GristCollect
import GristCore
import Testing

/// Issue 15: `grist dedup --write DIR` writes the deduplicated corpus, one file per input, on real data.
@Suite struct DedupWriteTests {
    /// Real text with planted near and exact duplicates (779 documents), and two parts of the Python docs.
    private static let planted = "Tests/GristPipelineTests/Fixtures/planted/corpus.jsonl.zst"
    private static let docs = ["corpora/python-docs/part-002.jsonl.gz", "corpora/python-docs/part-000.jsonl.zst"]

    /// The documents of a JSON Lines file: id and the bytes of its line, as the project's reader reads them.
    private func records(_ path: String) throws -> [(id: String, line: [UInt8])] {
        var reader = try JSONLReader(path: path, options: JSONLReaderOptions())
        var out: [(String, [UInt8])] = []
        while let event = try reader.next() {
            if case .document(let document) = event { out.append((document.id, reader.withCurrentLine { Array($0) })) }
        }
        return out
    }

    /// The bytes of a file decompressed by the `zstd` or `gzip` tool (or as they are).
    private func decompressed(_ path: String) throws -> [UInt8] {
        try CLI.toolOutput(path.hasSuffix(".zst") ? ["zstd", "-dc", path] : path.hasSuffix(".gz") ? ["gzip", "-dc", path]
            : ["cat", path])
    }

    /// A plain input of our own: a CRLF line, a byte order mark, a bad line, and duplicates of the
    /// planted corpus's first document.
    private func writeOwnInput(_ folder: String) throws -> String {
        let first = try #require(try records(Self.planted).first)
        let text = String(decoding: first.line, as: UTF8.self)
        let body = "\u{FEFF}" + text.replacingOccurrences(of: "\"id\": \"", with: "\"id\": \"own-") + "\r\n"
            + "{\"id\": \"own-note\", \"text\": \"A short note that has no copy anywhere.\", \"extra\": [1, 2]}\n"
            + "this line is not JSON\n\n"
            + "{\"id\": \"own-last\", \"text\": \"Une dernière ligne, sans fin de ligne.\"}"
        let path = folder + "/own.jsonl"
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func writesEachInputWithoutTheDroppedDuplicatesLineForLine() throws {
        let folder = try CLI.temporaryFolder("dedup-write")
        defer { try? FileSystem.remove(folder) }
        try "dedup:\n  exact: true\n  minhash: {threshold: 0.8, verify: true}\n"
            .write(toFile: folder + "/d.yaml", atomically: true, encoding: .utf8)
        let inputs = [Self.planted] + Self.docs + [try writeOwnInput(folder)]
        let result = try CLI.run(["dedup", "-c", folder + "/d.yaml"] + inputs
            + ["--write", folder + "/dedup", "-o", folder + "/clusters.jsonl", "-w", "2"])
        try #require(result.status == 0, "\(result.stderr)")
        let clusters = try String(contentsOfFile: folder + "/clusters.jsonl", encoding: .utf8).split(separator: "\n")
        let dropped = Set(clusters.compactMap { line -> String? in
            guard line.hasSuffix("\"keep\": false}"), let id = line.split(separator: "\"").dropFirst(3).first else { return nil }
            return String(id)
        })
        #expect(dropped.count > 100, "the planted corpus has many duplicates")
        #expect(dropped.contains("own-d0000000"), "the copy in our own file is a duplicate of the planted one")

        var written = 0
        for input in inputs {
            let name = String(input.split(separator: "/").last ?? "")
            let output = folder + "/dedup/" + name
            // Same compression as the input (its magic bytes), readable by the standard tool.
            let head = try decompressed(output)
            let magic: [UInt8] = name.hasSuffix(".zst") ? [0x28, 0xB5, 0x2F, 0xFD] : name.hasSuffix(".gz") ? [0x1F, 0x8B]
                : Array("{".utf8)
            #expect(Array((try Data(contentsOf: URL(fileURLWithPath: output))).prefix(magic.count)) == magic,
                    "\(name) is compressed as its input")
            // Exactly the kept records' lines, as they were, in input order, each ending in a newline.
            let kept = try records(input).filter { !dropped.contains($0.id) }
            #expect(head == kept.flatMap { $0.line + [0x0A] }, "\(name)")
            #expect(try records(output).map(\.id) == kept.map(\.id))
            written += kept.count
        }
        #expect(result.stderr.contains("wrote \(Format(written)) documents to \(folder)/dedup (4 files; "
            + "\(Format(dropped.count)) duplicates and 1 skipped records left out)"), "\(result.stderr)")
        // Our file: the BOM and CRLF line went (a duplicate), the note stays with its extra field, the bad
        // line is not written, the last line gets its newline.
        #expect(String(decoding: try decompressed(folder + "/dedup/own.jsonl"), as: UTF8.self) == """
            {"id": "own-note", "text": "A short note that has no copy anywhere.", "extra": [1, 2]}
            {"id": "own-last", "text": "Une dernière ligne, sans fin de ligne."}

            """)
        #expect(FileSystem.contents(of: folder + "/dedup").sorted() == inputs.map { String($0.split(separator: "/").last ?? "") }.sorted(),
                "no temporary files are left")

        // The same bytes for any number of workers.
        let again = try CLI.run(["dedup", "-c", folder + "/d.yaml"] + inputs + ["--write", folder + "/again", "-w", "1"])
        try #require(again.status == 0, "\(again.stderr)")
        for name in FileSystem.contents(of: folder + "/dedup") {
            #expect(FileManager.default.contents(atPath: folder + "/dedup/" + name)
                == FileManager.default.contents(atPath: folder + "/again/" + name), "\(name)")
        }
    }

    @Test func inputsWithTheSameNameOrAnOutputOverAnInputAreRefusedBeforeAnyWork() throws {
        let folder = try CLI.temporaryFolder("dedup-write-names")
        defer { try? FileSystem.remove(folder) }
        try "dedup: {exact: true}\n".write(toFile: folder + "/d.yaml", atomically: true, encoding: .utf8)
        try FileSystem.createDirectory(folder + "/copy")
        try FileManager.default.copyItem(atPath: CLI.root + "/" + Self.docs[1], toPath: folder + "/copy/part-000.jsonl.zst")
        let same = try CLI.run(["dedup", "-c", folder + "/d.yaml", Self.docs[1], folder + "/copy/part-000.jsonl.zst",
                                "--write", folder + "/out", "--work", folder + "/work"])
        #expect(same.status == 2)
        #expect(same.stderr.contains("two inputs are named part-000.jsonl.zst"), "\(same.stderr)")
        #expect(!FileSystem.exists(folder + "/work") && !FileSystem.exists(folder + "/out"), "nothing was done")

        let over = try CLI.run(["dedup", "-c", folder + "/d.yaml", folder + "/copy/part-000.jsonl.zst",
                                "--write", folder + "/copy", "--work", folder + "/work"])
        #expect(over.status == 2)
        #expect(over.stderr.contains("would replace the input file itself"), "\(over.stderr)")
        #expect(!FileSystem.exists(folder + "/work"))
    }
}

private func Format(_ value: Int) -> String { NumberText.grouped(value) }
