import Foundation
import GristCore
import GristPipeline
import GristReport
import GristShards
import Testing

@Suite struct FormatTests {
    @Test func formatsCountsAndUnits() {
        #expect(Format.count(1_234_567) == "1,234,567")
        #expect(Format.count(-12) == "-12")
        #expect(Format.compact(950) == "950")
        #expect(Format.compact(12_400_000) == "12.4 M")
        #expect(Format.compact(3_100) == "3.10 k")
        #expect(Format.bytes(3_100_000_000) == "3.1 GB")
        #expect(Format.percent(0.2876) == "28.8%")
        #expect(Format.percent(nil) == "-")
    }

    @Test func tokensAreShownVisibly() {
        #expect(StatisticsText.visible(Array(" the\n".utf8)) == "·the↵")
        #expect(StatisticsText.visible([0xE3, 0x81]) == "<e3 81>")
    }
}

/// Reports of a small build made in-process, with a document that tries to break out of the HTML.
@Suite(.serialized) struct HTMLReportTests {
    private static let folder: String = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grist-report-\(UUID().uuidString)").path
        try? FileSystem.createDirectory(root)
        let words = (1...30).map { "word\($0)" }.joined(separator: " ")
        var lines = ""
        // Documents differ in letters, not only digits: exact dedup compares normalized text (digits folded).
        let names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
        for i in 0..<40 {
            let name = names[i % 8] + " " + names[i / 8]
            lines += "{\"id\": \"d\(i)\", \"text\": \"document \(name) \(words)\"}\n"
        }
        lines += "{\"id\": \"evil\", \"text\": \"<script>alert(1)</script> & <b>bold</b> \(words)\"}\n"
        lines += "{\"id\": \"dup\", \"text\": \"document delta alpha \(words)\"}\n"
        lines += "{\"id\": \"short\", \"text\": \"too short\"}\n"
        try? lines.write(toFile: root + "/docs.jsonl", atomically: true, encoding: .utf8)
        let yaml = """
            version: 1
            name: report
            output: \(root)/out
            sources:
              - {name: web, format: jsonl, paths: [\(root)/docs.jsonl]}
            filters:
              - {kind: length, min_words: 5}
            mix: {val_fraction: 0.2}
            """
        if let loaded = try? LoadedConfig(text: yaml, path: root + "/p.yaml"), let plan = try? BuildPlan(loaded) {
            _ = try? Build(plan: plan, workers: 1, showProgress: false).run()
        }
        try? recordTrainingRuns(in: root + "/out/manifest.sqlite")
        return root + "/out"
    }()

    /// Two training runs, as `grist train` records them: one finished, one that failed after two steps.
    private static func recordTrainingRuns(in path: String) throws {
        let manifest = try Manifest.open(path: path, mode: .readWrite)
        for (started, steps, succeeded) in [("2026-12-07T18:00:00Z", 3, true), ("2026-12-07T18:05:00Z", 2, false)] {
            let run = try manifest.beginTrainingRun(TrainingRunRecord(
                startedAt: started, toolVersion: "test", model: "tiny", parameterCount: 1000, settings: "{}", seed: 1,
                threads: 1, blasKernels: "generic", outputDir: "train", resumedFrom: nil))
            try manifest.addTrainingSteps(runId: run, (1...steps).map { step in
                TrainingStepRecord(step: step, trainLoss: 4 - Double(step) / 4, valLoss: step == 2 ? 3.9 : nil,
                                   learningRate: 1e-3, gradNorm: 1, tokens: 64 * step, tokensPerSecond: 100, seconds: 0.5)
            })
            try manifest.finishTrainingRun(run, succeeded: succeeded, finishedAt: started, steps: succeeded ? steps : 0,
                                           finalTrainLoss: 3.25, finalValLoss: nil, error: succeeded ? nil : "stopped")
        }
        try manifest.makeSelfContained()
    }

    @Test func statisticsCarryTheFunnelLengthsAndTokens() throws {
        let stats = try DatasetStatistics.load(from: Manifest.open(path: Self.folder + "/manifest.sqlite"))
        let web = try #require(stats.sources.first)
        #expect(web.documentsRead == 43)
        #expect(web.removedDocuments == 2)
        #expect(web.keptDocuments == 41)
        #expect(web.stages.map(\.stage).contains("dedup"))
        #expect(stats.lengths.contains { $0.source == nil && $0.metric == "tokens" && !$0.histogram.isEmpty })
        #expect(stats.lengths.first { $0.source == "web" && $0.metric == "chars" }?.value(at: 1) ?? 0 > 100)
        #expect(stats.topTokens.count > 10 && stats.topTokens[0].rank == 1)
        #expect(zip(stats.topTokens, stats.topTokens.dropFirst()).allSatisfy { $0.count >= $1.count })
        #expect(web.tokensPerByte ?? 0 > 0.1)
    }

    @Test func jsonHasStableKeysAndNulls() throws {
        let stats = try DatasetStatistics.load(from: Manifest.open(path: Self.folder + "/manifest.sqlite"))
        let text = try StatisticsJSON.render(stats, folder: Self.folder)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["schema", "output", "run", "tokenizer", "sources", "splits", "files", "lengths",
                                   "topTokens", "languages", "trainingRuns", "warnings"])
        #expect((object["files"] as? [Any])?.isEmpty == true, "a build without other formats or text lists no files")
        #expect(object["schema"] as? String == "gristmill.stats/1")
        let run = try #require(object["run"] as? [String: Any])
        #expect(run.keys.contains("error") && run["error"] is NSNull)
        let source = try #require((object["sources"] as? [[String: Any]])?.first)
        for key in ["name", "documentsRead", "bytesRead", "recordsSkipped", "removedDocuments", "keptDocuments",
                    "keptTokens", "tokensPerByte", "trainTokens", "valTokens", "targetShare", "achievedShare", "stages"] {
            #expect(source.keys.contains(key), "missing \(key)")
        }
        let lengths = try #require(object["lengths"] as? [[String: Any]])
        #expect(lengths.contains { $0["source"] is NSNull })
    }

    @Test func htmlIsSelfContainedAndEscapesDocumentText() throws {
        let html = try HTMLReport(folder: Self.folder).render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for section in ["Funnel", "Mixture", "Removed and skipped", "Document lengths", "Duplicate clusters",
                        "Training", "Shards", "Example documents"] {
            #expect(html.contains("<h2>\(section)"), "no section \(section)")
        }
        #expect(!html.contains("<script"))
        // No fetches: the only URL is the SVG namespace.
        let urls = html.components(separatedBy: "://").dropFirst().map { String($0.prefix(22)) }
        #expect(urls.allSatisfy { $0.hasPrefix("www.w3.org/2000/svg") }, "\(urls)")
        #expect(!html.contains("url("))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 4)
        // A dropped document is shown too, with its reason.
        #expect(html.contains("length: too_short"))
        // "dup" repeats d3 exactly: its cluster has a row of its own.
        #expect(html.contains(">1.00 (exact)</text>"))
        #expect(escape("<script>alert('1')</script> & \"q\"\u{1}") ==
            "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; &quot;q&quot;\u{FFFD}")
    }

    @Test func trainingChartLabelsEveryRun() throws {
        let html = try HTMLReport(folder: Self.folder).render()
        let chart = try #require(html.components(separatedBy: "<svg").first { $0.contains("aria-label=\"Training loss") })
        let entries = chart.components(separatedBy: "data-series=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(entries == ["run 1 · 2026-12-07 18:00 · 3 steps", "run 2 · 2026-12-07 18:05 · 2 steps · failed"])
        // Each run its own colour, its train loss a line, its val loss a dot.
        #expect(chart.contains("class=\"l1\"") && chart.contains("class=\"l2\""))
        #expect(chart.contains("<title>run 2 · 2026-12-07 18:05 · 2 steps · failed · val at 2: 3.900</title>"))
        #expect(html.contains("<td>run 2</td><td>2026-12-07T18:05:00Z</td><td>failed</td>"))
    }
}
