import Foundation
import GristCore
import GristShards
import Testing

/// Bad input on purpose, through the real CLI: every bad record is named (file and line or offset),
/// counted and recorded; `on_error` decides whether the build goes on.
@Suite struct BadInputTests {
    private static let words = (1...30).map { "word\($0)" }.joined(separator: " ")

    /// A folder of JSONL inputs with one of every kind of trouble, and a pipeline over it.
    private func makeCorpus(policy: String) throws -> (folder: String, config: String) {
        let folder = try CLI.temporaryFolder("bad-input")
        func write(_ name: String, _ bytes: [UInt8]) {
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(bytes))
        }
        write("good.jsonl", Array("""
            {"id": "g1", "text": "first good \(Self.words)"}
            {"id": "g2", "text": "second good \(Self.words)"}

            """.utf8))
        var mixed = Array("{\"id\": \"m1\", \"text\": \"mixed one \(Self.words)\"}\n".utf8)
        mixed += Array("this is not json\n".utf8)
        mixed += Array("{\"id\": \"m3\", \"body\": \"no text field\"}\n".utf8)
        mixed += Array("{\"id\": \"m4\", \"text\": \"bad byte ".utf8) + [0xFF, 0xFE] + Array("\"}\n".utf8)
        mixed += Array("{\"id\": \"m5\", \"text\": \"mixed five \(Self.words)\"}\n".utf8)
        write("mixed.jsonl", mixed)
        write("empty.jsonl", [])
        let zst = try Data(contentsOf: URL(fileURLWithPath: CLI.root + "/corpora/python-docs/part-000.jsonl.zst"))
        write("cut.jsonl.zst", Array(zst.prefix(zst.count / 2)))
        let gz = try Data(contentsOf: URL(fileURLWithPath: CLI.root + "/corpora/python-docs/part-002.jsonl.gz"))
        write("cut.jsonl.gz", Array(gz.prefix(gz.count / 2)))
        let config = folder + "/pipeline.yaml"
        try """
            version: 1
            name: bad-input
            output: \(folder)/out
            on_error: \(policy)
            sources:
              - name: trouble
                format: jsonl
                paths: ["\(folder)/*.jsonl*"]
            filters:
              - kind: length
                min_words: 5
            mix: {val_fraction: 0}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return (folder, config)
    }

    @Test func skipPolicyCountsAndRecordsEveryBadRecord() throws {
        let (folder, config) = try makeCorpus(policy: "skip")
        defer { try? FileSystem.remove(folder) }
        let result = try CLI.run(["build", config])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("mixed.jsonl:2"))
        #expect(result.stderr.contains("mixed.jsonl:3"))
        #expect(result.stderr.contains("empty.jsonl"))

        let manifest = try Manifest.open(path: folder + "/out/manifest.sqlite")
        let rows = try manifest.database.prepare("""
            SELECT f.path, s.reason, s.line, s.message FROM skippedRecord s JOIN inputFile f ON f.id = s.inputFileId
            ORDER BY f.path, s.line
            """).rows()
        let summary = rows.map { row in
            "\((row[0].string ?? "").split(separator: "/").last ?? ""):\(row[1].string ?? ""):\(row[2].int.map(String.init) ?? "-")"
        }
        #expect(summary.contains("mixed.jsonl:not_json:2"))
        #expect(summary.contains("mixed.jsonl:missing_field:3"))
        #expect(summary.contains("mixed.jsonl:invalid_utf8:4"))
        #expect(summary.contains { $0.hasPrefix("empty.jsonl:empty_file") })
        #expect(summary.contains { $0.hasPrefix("cut.jsonl.zst:truncated") })
        #expect(summary.contains { $0.hasPrefix("cut.jsonl.gz:truncated") })
        for row in rows { #expect((row[3].string ?? "").contains(folder), "message lacks the file: \(row[3])") }

        // The good records of every file still made it, including those before each truncation.
        let db = manifest.database
        #expect(try db.scalar("SELECT COUNT(*) FROM document WHERE externalId IN ('g1', 'g2', 'm1', 'm5')")?.int == 4)
        #expect(try db.scalar("""
            SELECT COUNT(*) FROM document d JOIN inputFile f ON f.id = d.inputFileId WHERE f.path LIKE '%cut.jsonl.%'
            """)?.int ?? 0 > 10)
        #expect(try db.scalar("SELECT SUM(documents) FROM stageCount WHERE outcome = 'skipped'")?.int == rows.count)

        let stats = try CLI.run(["stats", folder + "/out"])
        #expect(stats.stdout.contains("not_json"))
        #expect(stats.stdout.contains("truncated"))
    }

    @Test func failPolicyStopsAtTheFirstBadRecordAndSaysWhere() throws {
        let (folder, config) = try makeCorpus(policy: "fail")
        defer { try? FileSystem.remove(folder) }
        let result = try CLI.run(["build", config, "--workers", "1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: \(folder)/"))
        #expect(result.stderr.range(of: #"\.jsonl(\.zst|\.gz)?(:\d+)?( \(byte \d+\))?: "#, options: .regularExpression) != nil,
                "\(result.stderr)")
        // The failed run is recorded in the staging folder; no shards and no manifest were published.
        let manifest = try Manifest.open(path: folder + "/out/.grist/staging/manifest.sqlite")
        #expect(try manifest.database.scalar("SELECT status FROM run")?.string == "failed")
        #expect(try manifest.database.scalar("SELECT error FROM run")?.string?.contains(folder + "/") == true)
        #expect(FileSystem.contents(of: folder + "/out") == [".grist"])
        #expect(FileSystem.contents(of: folder + "/out/.grist/staging") == ["manifest.sqlite"])
    }

    @Test func configErrorsNameFileLineAndKeyAndExitWithTwo() throws {
        let folder = try CLI.temporaryFolder("bad-config")
        defer { try? FileSystem.remove(folder) }
        let sample = try String(contentsOfFile: CLI.root + "/pipelines/sample.yaml", encoding: .utf8)
        let broken = sample.replacingOccurrences(of: "min_words: 20 ", with: "min_words: ten")
        #expect(broken != sample)
        let path = folder + "/broken.yaml"
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        let line = broken.components(separatedBy: "\n").firstIndex { $0.contains("min_words: ten") }.map { $0 + 1 } ?? 0
        for command in ["validate", "build"] {
            let result = try CLI.run([command, path])
            #expect(result.status == 2)
            #expect(result.stderr == "error: \(path):\(line): filters[0].min_words: expected an integer ≥ 0, got \"ten\"\n")
        }
        let missing = sample.replacingOccurrences(of: "corpora/shakespeare/*.txt", with: "corpora/nothing/*.txt")
        try missing.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("sources[0].paths[0]: \"corpora/nothing/*.txt\" matches no files"))
    }

    @Test func refusesToBuildIntoAFolderItDidNotMake() throws {
        let folder = try CLI.temporaryFolder("not-ours")
        defer { try? FileSystem.remove(folder) }
        _ = FileManager.default.createFile(atPath: folder + "/precious.txt", contents: Data("keep me".utf8))
        let result = try CLI.run(["build", "pipelines/sample.yaml", "--output", folder])
        #expect(result.status == 2)
        #expect(result.stderr.contains("holds no manifest.sqlite"))
        #expect(FileSystem.contents(of: folder) == ["precious.txt"])
    }

    @Test func inspectRejectsFilesThatAreNotShards() throws {
        let folder = try CLI.temporaryFolder("not-a-shard")
        defer { try? FileSystem.remove(folder) }
        _ = FileManager.default.createFile(atPath: folder + "/x.bin", contents: Data(repeating: 7, count: 2000))
        let result = try CLI.run(["inspect", folder + "/x.bin"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("x.bin (byte 0): bad magic number"))
        let usage = try CLI.run(["inspect"])
        #expect(usage.status == 2)
    }
}
