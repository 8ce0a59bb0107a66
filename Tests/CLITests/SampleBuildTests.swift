import Foundation
import GristClean
import GristCollect
import GristCore
import GristShards
import GristTokenize
import Testing

/// One real build of `pipelines/sample.yaml` by the real CLI, shared by the checks below.
private enum SampleBuild {
    static let output: String = (try? CLI.temporaryFolder("sample")) ?? "/tmp/grist-sample-build"
    static let result: Swift.Result<CLI.Result, any Error> = Swift.Result {
        try CLI.run(["build", "pipelines/sample.yaml", "--output", output, "--workers", "2"])
    }
}

@Suite(.serialized) struct SampleBuildTests {
    private func built() throws -> (Manifest, String) {
        let result = try SampleBuild.result.get()
        #expect(result.status == 0, "grist build failed: \(result.stderr)")
        try #require(result.status == 0)
        return (try Manifest.open(path: SampleBuild.output + "/manifest.sqlite"), SampleBuild.output)
    }

    @Test func buildSucceedsAndRecordsTheRun() throws {
        let (manifest, _) = try built()
        let db = manifest.database
        #expect(try db.scalar("SELECT status FROM run")?.string == "succeeded")
        #expect(try db.scalar("SELECT COUNT(*) FROM source")?.int == 3)
        #expect(try db.scalar("SELECT COUNT(*) FROM inputFile WHERE status = 'done'")?.int == 83)
        let config = try String(contentsOfFile: CLI.root + "/pipelines/sample.yaml", encoding: .utf8)
        #expect(try db.scalar("SELECT configText FROM run")?.string == config)
        #expect(try db.scalar("SELECT configSha256 FROM run")?.string == SHA256.hex(of: Array(config.utf8)))
        #expect(try db.scalar("SELECT name || ' ' || vocabularySize || ' ' || fileSha256 FROM tokenizer")?.string
            == "gpt2 50257 \(BPEVocabulary.gpt2RanksSHA256)")
    }

    @Test func everyShardMatchesItsManifestRow() throws {
        let (manifest, output) = try built()
        let rows = try manifest.database.prepare(
            "SELECT path, tokenCount, documentCount, byteSize, sha256, split FROM shard ORDER BY id").rows()
        #expect(rows.count >= 2)
        #expect(Set(rows.map { $0[5].string }) == ["train", "val"])
        let onDisk = FileSystem.contents(of: output + "/shards")
        #expect(onDisk.count == rows.count, "files on disk: \(onDisk)")
        for row in rows {
            let path = output + "/" + (row[0].string ?? "")
            let reader = try ShardReader(path: path)
            #expect(reader.tokenCount == row[1].int)
            #expect(FileSystem.size(path) == 1024 + 2 * (row[1].int ?? -1))
            #expect(reader.byteCount == row[3].int)
            #expect(reader.sha256() == row[4].string)
            #expect(reader.documentRanges(separator: 50256).count == row[2].int)
            #expect(reader.token(at: 0) == 50256)
        }
    }

    /// `shards.min_tokens` by default: every train shard holds what llm.c's loader needs with its GPT-2
    /// recipe (the last two are balanced); the val split, smaller than that, is one shard left alone.
    @Test func trainShardsPassLLMCsLoaderCheckForItsGPT2Recipe() throws {
        let (manifest, output) = try built()
        let shards = try manifest.database.prepare("SELECT path, split FROM shard ORDER BY id").rows()
        let (b, t, p) = LLMCLoaderCheck.gpt2Batch
        for row in shards where row[1].string == "train" {
            #expect(LLMCLoaderCheck.refusal(path: output + "/" + (row[0].string ?? ""), batch: b, sequence: t,
                                            processes: p) == nil)
        }
        let val = shards.filter { $0[1].string == "val" }
        #expect(val.count == 1)
        let note = try CLI.run(["inspect", output + "/" + (val.first?[0].string ?? ""), "--documents", "0"])
        #expect(note.stdout.contains("BELOW llm.c's GPT-2 size"), "\(note.stdout)")
    }

    @Test func shardsDecodeToTheCleanedTextOfTheKeptDocuments() throws {
        let (manifest, output) = try built()
        let loaded = try PipelineConfig.load(path: CLI.root + "/pipelines/sample.yaml")
        let cleaner = TextCleaner(config: loaded.config.clean)
        let vocabulary = try BPEVocabulary.gpt2()
        let sources = Dictionary(uniqueKeysWithValues: loaded.config.sources.map { ($0.name, $0) })
        let placements = try manifest.database.prepare("""
            SELECT f.path, s.name, d.ordinal, sh.path, p.tokenOffset, p.tokenCount, d.tokenCount
            FROM placement p JOIN document d ON d.id = p.documentId JOIN inputFile f ON f.id = d.inputFileId
            JOIN source s ON s.id = f.sourceId JOIN shard sh ON sh.id = p.shardId
            ORDER BY f.id, d.ordinal, p.copy
            """).rows()
        #expect(placements.count > 600)
        var readers: [String: ShardReader] = [:]
        var cleanedByFile: [String: [Int: [UInt8]]] = [:]
        for row in placements {
            let file = row[0].string ?? "", sourceName = row[1].string ?? "", ordinal = row[2].int ?? -1
            let shardPath = output + "/" + (row[3].string ?? "")
            if cleanedByFile[file] == nil {
                let source = try #require(sources[sourceName])
                var reader = try Readers.open(path: CLI.root + "/" + file, format: source.format, text: source.text,
                                              jsonl: source.jsonl)
                var texts: [Int: [UInt8]] = [:]
                while let event = try reader.next() {
                    if case .document(let document) = event { texts[document.ordinal] = cleaner.clean(document.text) }
                }
                cleanedByFile[file] = texts
            }
            let expected = try #require(cleanedByFile[file]?[ordinal], "no record \(ordinal) in \(file)")
            if readers[shardPath] == nil { readers[shardPath] = try ShardReader(path: shardPath) }
            let shard = try #require(readers[shardPath])
            let offset = row[4].int ?? 0, count = row[5].int ?? 0
            #expect(count == (row[6].int ?? -1) + 1)
            let tokens = shard.tokens(offset..<(offset + count))
            #expect(tokens.first == 50256)
            let decoded = vocabulary.decode(tokens.dropFirst())
            #expect(decoded == expected, "\(file) record \(ordinal) decodes differently")
        }
    }

    @Test func manifestAccountsForEveryDocumentOnce() throws {
        let (manifest, _) = try built()
        let db = manifest.database
        #expect(try db.scalar("SELECT COUNT(*) FROM (SELECT inputFileId, ordinal FROM document GROUP BY 1, 2 HAVING COUNT(*) > 1)")?.int == 0)
        // Per source and stage: seen = kept + dropped + skipped, and each stage sees what the previous kept.
        let stages = try db.prepare("""
            SELECT sourceId, position, SUM(CASE WHEN outcome = 'kept' THEN documents ELSE 0 END), SUM(documents)
            FROM stageCount GROUP BY sourceId, position ORDER BY sourceId, position
            """).rows()
        var previousKept: [Int: Int] = [:]
        for row in stages {
            let source = row[0].int ?? 0, kept = row[2].int ?? 0, seen = row[3].int ?? 0
            if let before = previousKept[source], (row[1].int ?? 0) > 0 { #expect(seen == before) }
            previousKept[source] = kept
        }
        let read = try db.scalar("SELECT SUM(documents) FROM stageCount WHERE stage = 'read' AND outcome = 'kept'")?.int
        #expect(read == (try db.scalar("SELECT COUNT(*) FROM document")?.int))
        let kept = try db.scalar("SELECT COUNT(*) FROM document WHERE fate = 'kept'")?.int
        #expect(kept == (try db.scalar("SELECT COUNT(DISTINCT documentId) FROM placement")?.int))
        #expect(try db.scalar("SELECT SUM(copies) FROM document")?.int
            == (try db.scalar("SELECT COUNT(*) FROM placement")?.int))
        #expect(try db.scalar("SELECT COUNT(*) FROM document WHERE fate = 'dropped' AND reason IS NULL")?.int == 0)
        #expect(try db.scalar("SELECT SUM(documentCount) FROM shard")?.int
            == (try db.scalar("SELECT COUNT(*) FROM placement")?.int))
    }

    @Test func buildsAreByteIdenticalForAnyWorkerCount() throws {
        let (_, first) = try built()
        let second = try CLI.temporaryFolder("sample-1worker")
        defer { try? FileSystem.remove(second) }
        let result = try CLI.run(["build", "pipelines/sample.yaml", "--output", second, "--workers", "1"])
        try #require(result.status == 0, "\(result.stderr)")
        let names = FileSystem.contents(of: first + "/shards")
        #expect(names == FileSystem.contents(of: second + "/shards"))
        for name in names {
            let a = FileManager.default.contents(atPath: first + "/shards/" + name)
            let b = FileManager.default.contents(atPath: second + "/shards/" + name)
            #expect(a == b, "\(name) differs between 2 workers and 1 worker")
        }
    }

    @Test func statsJSONMatchesTheManifest() throws {
        let (manifest, output) = try built()
        let result = try CLI.run(["stats", output, "--json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let sources = try #require(object["sources"] as? [[String: Any]])
        #expect(sources.map { $0["name"] as? String } == ["shakespeare", "python-docs", "multilingual"])
        let kept = sources.reduce(0) { $0 + (($1["keptDocuments"] as? Int) ?? 0) }
        #expect(kept == (try manifest.database.scalar("SELECT COUNT(*) FROM document WHERE fate = 'kept'")?.int))
        let splits = try #require(object["splits"] as? [[String: Any]])
        let tokens = splits.reduce(0) { $0 + (($1["tokens"] as? Int) ?? 0) }
        #expect(tokens == (try manifest.database.scalar("SELECT SUM(tokenCount) FROM shard")?.int))
    }

    @Test func inspectSamplesFindsAndShowsTokens() throws {
        let (_, output) = try built()
        let sample = try CLI.run(["inspect", output, "--sample", "3", "--source", "shakespeare", "--seed", "7"])
        #expect(sample.status == 0)
        #expect(sample.stdout.components(separatedBy: "--- ").count - 1 == 3)
        #expect(sample.stdout.contains("from corpora/shakespeare/"))
        #expect(try CLI.run(["inspect", output, "--sample", "3", "--source", "shakespeare", "--seed", "7"]).stdout
            == sample.stdout)
        let find = try CLI.run(["inspect", output, "--find", "To be, or not to be"])
        #expect(find.status == 0)
        #expect(find.stdout.contains("hamlet_gut.txt"))
        let tokens = try CLI.run(["inspect", output + "/shards/train_000000.bin", "--tokens", "0:5"])
        #expect(tokens.status == 0)
        #expect(tokens.stdout.contains("<|endoftext|>"))
        #expect(tokens.stdout.split(separator: "\n").count == 1 + 2 + 5)
        let unknown = try CLI.run(["inspect", output, "--sample", "1", "--source", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no source named \"nope\""))
    }

    @Test func reportIsWrittenForTheBuild() throws {
        let (_, output) = try built()
        let path = output + "/report.html"
        let result = try CLI.run(["report", output, "-o", path])
        #expect(result.status == 0)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("shakespeare") && html.contains("python-docs") && html.contains("multilingual"))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 4)
    }

    @Test func statsAndInspectDescribeTheBuild() throws {
        let (_, output) = try built()
        let stats = try CLI.run(["stats", output])
        #expect(stats.status == 0)
        for word in ["shakespeare", "python-docs", "multilingual", "too_short", "train", "val", "achieved"] {
            #expect(stats.stdout.contains(word), "stats output lacks \(word)")
        }
        let inspect = try CLI.run(["inspect", output + "/shards/train_000000.bin", "--documents", "2"])
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("magic 20240520, version 1"))
        #expect(inspect.stdout.contains("checksum matches"))
        #expect(inspect.stdout.contains("--- document 2"))
    }
}
