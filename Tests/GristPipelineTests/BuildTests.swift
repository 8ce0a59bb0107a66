import Foundation
import GristCore
import GristPipeline
import GristShards
import Testing

/// In-process builds of small pipelines: dedup across sources, the mixture, shard boundaries, safety.
@Suite struct BuildTests {
    private static let filler = (1...40).map { "w\($0)" }.joined(separator: " ")

    /// `n` spelled in letters: deduplication normalizes digits, so "doc 1" and "doc 2" are the same text.
    static func tag(_ n: Int) -> String {
        var n = n, out = ""
        repeat {
            out.append(Character(Unicode.Scalar(UInt8(97 + n % 26))))
            n /= 26
        } while n > 0
        return "q" + out
    }

    /// Writes `files` into a new folder, a pipeline with `sources` and `extra` YAML, and runs it.
    private func build(files: [String: String], sources: String, extra: String = "", workers: Int = 2)
        throws -> (folder: String, summary: BuildSummary, manifest: Manifest) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grist-build-\(UUID().uuidString)").path
        try FileSystem.createDirectory(folder)
        for (name, text) in files {
            let path = folder + "/" + name
            try FileSystem.createDirectory((path as NSString).deletingLastPathComponent)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let yaml = """
            version: 1
            name: t
            output: \(folder)/out
            seed: 3
            sources:
            \(sources.replacingOccurrences(of: "$DIR", with: folder))
            \(extra)
            """
        let loaded = try LoadedConfig(text: yaml, path: "t.yaml")
        let summary = try Build(plan: BuildPlan(loaded), workers: workers, showProgress: false).run()
        return (folder, summary, try Manifest.open(path: folder + "/out/manifest.sqlite"))
    }

    @Test func exactDuplicatesAcrossSourcesKeepTheFirstInConfigOrder() throws {
        let shared = "A text that appears twice. \(Self.filler)"
        let (folder, summary, manifest) = try build(
            files: ["books/a.txt": shared, "books/b.txt": "Another book. \(Self.filler)",
                    "web/pages.jsonl": "{\"id\": \"p1\", \"text\": \"  \(shared)\\n\\n\"}\n{\"id\": \"p2\", \"text\": \"fresh \(Self.filler)\"}\n"],
            sources: """
              - {name: books, format: text, paths: [$DIR/books]}
              - {name: web, format: jsonl, paths: [$DIR/web/*.jsonl]}
            """, extra: "mix: {val_fraction: 0}")
        defer { try? FileSystem.remove(folder) }
        #expect(summary.documentsRead == 4)
        #expect(summary.documentsKept == 3)
        let db = manifest.database
        // The web copy differs only in whitespace, which cleaning removes; it points at the book.
        let row = try db.prepare("""
            SELECT d.externalId, d.reason, k.externalId FROM document d JOIN document k ON k.id = d.duplicateOf
            """).rows()
        #expect(row.count == 1)
        #expect(row.first?.map(\.string) == ["p1", "exact_duplicate", "\(folder)/books/a.txt"])
    }

    @Test func budgetSharesAreMetByDownAndUpSampling() throws {
        var big = "", small = ""
        for i in 0..<400 { big += "{\"text\": \"big document \(Self.tag(i)) \(Self.filler)\"}\n" }
        for i in 0..<40 { small += "{\"text\": \"small document \(Self.tag(i)) \(Self.filler)\"}\n" }
        let (folder, _, manifest) = try build(
            files: ["big.jsonl": big, "small.jsonl": small],
            sources: """
              - {name: big, format: jsonl, paths: [$DIR/big.jsonl], weight: 1}
              - {name: small, format: jsonl, paths: [$DIR/small.jsonl], weight: 1}
            """, extra: "mix: {val_fraction: 0, budget_tokens: 20000}")
        defer { try? FileSystem.remove(folder) }
        let rows = try manifest.database.prepare(
            "SELECT name, multiplier, targetShare, achievedShare, trainTokens FROM source ORDER BY position").rows()
        #expect(rows.map { $0[2].double } == [0.5, 0.5])
        #expect((rows[0][1].double ?? 9) < 1 && (rows[1][1].double ?? 0) > 1)
        for row in rows { #expect(abs((row[3].double ?? 0) - 0.5) < 0.1, "achieved \(row)") }
        let total = rows.reduce(0) { $0 + ($1[4].int ?? 0) }
        #expect(abs(total - 20000) < 2000)
        #expect(try manifest.database.scalar("SELECT MAX(copies) FROM document")?.int ?? 0 >= 2)
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM document WHERE reason = 'sampled_out'")?.int ?? 0 > 0)
    }

    @Test func shardsHoldWholeDocumentsAndRespectTheLimit() throws {
        var lines = ""
        for i in 0..<50 { lines += "{\"text\": \"document number \(Self.tag(i)) \(Self.filler)\"}\n" }
        let (folder, summary, manifest) = try build(
            files: ["d.jsonl": lines],
            sources: "  - {name: d, format: jsonl, paths: [$DIR/d.jsonl]}",
            extra: "mix: {val_fraction: 0.2}\nshards: {tokens_per_shard: 300}")
        defer { try? FileSystem.remove(folder) }
        #expect((summary.shards[.train] ?? 0) > 3)
        #expect((summary.shards[.val] ?? 0) >= 1)
        let shards = try manifest.database.prepare("SELECT id, path, tokenCount, documentCount FROM shard").rows()
        for shard in shards {
            #expect((shard[2].int ?? 0) <= 300)
            let reader = try ShardReader(path: folder + "/out/" + (shard[1].string ?? ""))
            #expect(reader.documentRanges(separator: 50256).count == shard[3].int)
            let placed = try manifest.database.prepare(
                "SELECT tokenOffset, tokenCount FROM placement WHERE shardId = ? ORDER BY tokenOffset").rows(shard[0])
            var next = 0
            for p in placed {
                #expect(p[0].int == next)
                #expect(reader.token(at: next) == 50256)
                next += p[1].int ?? 0
            }
            #expect(next == reader.tokenCount)
        }
    }

    @Test func sameSeedSameShardsWhateverTheWorkers() throws {
        var files: [String: String] = [:]
        for f in 0..<6 {
            var lines = ""
            for i in 0..<(10 + f * 7) { lines += "{\"text\": \"file \(Self.tag(f)) doc \(Self.tag(i)) \(Self.filler)\"}\n" }
            files["in/f\(f).jsonl"] = lines
        }
        let sources = "  - {name: d, format: jsonl, paths: [$DIR/in/*.jsonl], weight: 1.5}"
        let extra = "mix: {val_fraction: 0.1}\nshards: {tokens_per_shard: 2000}"
        let one = try build(files: files, sources: sources, extra: extra, workers: 1)
        let four = try build(files: files, sources: sources, extra: extra, workers: 4)
        defer {
            try? FileSystem.remove(one.folder)
            try? FileSystem.remove(four.folder)
        }
        let names = FileSystem.contents(of: one.folder + "/out/shards")
        #expect(names.count > 2)
        #expect(names == FileSystem.contents(of: four.folder + "/out/shards"))
        for name in names {
            #expect(FileManager.default.contents(atPath: one.folder + "/out/shards/" + name)
                == FileManager.default.contents(atPath: four.folder + "/out/shards/" + name))
        }
    }

    @Test func aFailedRebuildLeavesTheEarlierBuildAsItWas() throws {
        let files = ["a.txt": "some text \(Self.filler)"]
        let first = try build(files: files, sources: "  - {name: a, format: text, paths: [$DIR/a.txt]}",
                              extra: "mix: {val_fraction: 0}")
        defer { try? FileSystem.remove(first.folder) }
        let before = FileManager.default.contents(atPath: first.folder + "/out/shards/train_000000.bin")
        try "{broken".write(toFile: first.folder + "/b.jsonl", atomically: true, encoding: .utf8)
        let yaml = """
            version: 1
            name: t
            output: \(first.folder)/out
            on_error: fail
            sources:
              - {name: b, format: jsonl, paths: [\(first.folder)/b.jsonl]}
            """
        #expect(throws: GristError.self) {
            try Build(plan: BuildPlan(LoadedConfig(text: yaml, path: "t.yaml")), workers: 1, showProgress: false).run()
        }
        #expect(FileManager.default.contents(atPath: first.folder + "/out/shards/train_000000.bin") == before)
        let manifest = try Manifest.open(path: first.folder + "/out/manifest.sqlite")
        #expect(try manifest.database.scalar("SELECT status FROM run")?.string == "succeeded")
        let failed = try Manifest.open(path: first.folder + "/out/.grist/staging/manifest.sqlite")
        #expect(try failed.database.scalar("SELECT status FROM run")?.string == "failed")
    }

    @Test func rebuildingReplacesAnEarlierBuild() throws {
        let files = ["a.txt": "some text \(Self.filler)"]
        let first = try build(files: files, sources: "  - {name: a, format: text, paths: [$DIR/a.txt]}",
                              extra: "mix: {val_fraction: 0}")
        defer { try? FileSystem.remove(first.folder) }
        let yaml = """
            version: 1
            name: t
            output: \(first.folder)/out
            sources:
              - {name: a, format: text, paths: [\(first.folder)/a.txt]}
            mix: {val_fraction: 0}
            shards: {tokens_per_shard: 5}
            """
        let loaded = try LoadedConfig(text: yaml, path: "t.yaml")
        _ = try Build(plan: BuildPlan(loaded), workers: 1, showProgress: false).run()
        let manifest = try Manifest.open(path: first.folder + "/out/manifest.sqlite")
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM run")?.int == 1)
        #expect(try manifest.database.scalar("SELECT configText FROM run")?.string == yaml)
        #expect(FileSystem.contents(of: first.folder + "/out/shards") == ["train_000000.bin"])
    }
}
