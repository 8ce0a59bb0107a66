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
        try? recordClassifierScores(in: root + "/out/manifest.sqlite")
        return root + "/out"
    }()

    /// A classifier, as a `fasttext_classifier` filter records it, that keeps documents whose `__label__hq`
    /// score is at least 0.018112; document i scored (7i mod 20)/20 + 0.01: two in each bin of 0.05, three
    /// in bins 1, 7 and 14 (documents 41 to 43), and documents 20 and 40 below the threshold.
    private static func recordClassifierScores(in path: String) throws {
        let manifest = try Manifest.open(path: path, mode: .readWrite)
        let run = try manifest.requiredLatestRun()
        try manifest.addClassifier(runId: run.id, ClassifierRecord(
            stage: "fasttext_classifier", model: "models/hq.bin", modelSha256: "0123456789abcdef", label: "__label__hq",
            threshold: 0.018112, action: "keep", granularity: "document"))
        try manifest.database.execute("""
            INSERT INTO documentScore (documentId, stage, label, score)
            SELECT id, 'fasttext_classifier', '__label__hq', ((id * 7) % 20) / 20.0 + 0.01 FROM document
            """)
        try manifest.makeSelfContained()
    }

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
                                   "topTokens", "languages", "classifiers", "contamination", "trainingRuns", "warnings",
                                   "dedupAudit"])
        #expect((object["files"] as? [Any])?.isEmpty == true, "a build without other formats or text lists no files")
        // One exact duplicate: an audit of one cluster, nothing near to sample.
        let audit = try #require(object["dedupAudit"] as? [String: Any])
        #expect(audit["clusters"] as? Int == 1 && audit["sampledClusters"] as? Int == 0)
        #expect((audit["toKept"] as? [String: Any])?["precision"] is NSNull)
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
        for section in ["Funnel", "Mixture", "Removed and skipped", "Document lengths", "Duplicate clusters", "Dedup audit",
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

    @Test func classifierScoresHaveAHistogramWithTheThreshold() throws {
        let stats = try DatasetStatistics.load(from: Manifest.open(path: Self.folder + "/manifest.sqlite"))
        let classifier = try #require(stats.classifiers.first)
        let web = try #require(classifier.sources.first)
        #expect(web.documents == 43 && web.atOrAboveThreshold == 41 && web.belowThreshold == 2)
        #expect(web.bins == (0..<20).map { [1, 7, 14].contains($0) ? 3 : 2 })

        let text = StatisticsText(stats, folder: "out", vocabulary: nil).text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "classifier fasttext_classifier (scores per document: table documentScore)"))
        let section = Array(lines[start...].prefix { !$0.hasPrefix("most frequent tokens") })
        #expect(section.contains("  model    models/hq.bin (sha256 0123456789ab)"))
        #expect(section.contains("  decides  keeps documents whose __label__hq score is at least 0.018112"))
        #expect(section.contains { $0.hasPrefix("  web: 43 documents scored, p10 0.060, p50 0.460, p90 0.860") })
        #expect(section.contains("    kept 41 (0.018112 or more) · removed 2 (below 0.018112)"))
        let bins = section.filter { $0.hasPrefix("    0.") }
        #expect(bins.count == 20)
        #expect(bins[0].hasPrefix("    0.00–0.05  2  ███") && bins[0].hasSuffix("◀ threshold 0.018112"))
        #expect(bins.dropFirst().allSatisfy { !$0.contains("threshold") })
        #expect(bins[1].hasPrefix("    0.05–0.10  3  ") && bins[19].hasPrefix("    0.95–1.00  2  "))
        #expect(section.allSatisfy { $0.count <= 100 }, "\(section.filter { $0.count > 100 })")

        var without = stats
        without.classifiers = []
        #expect(!StatisticsText(without, folder: "out", vocabulary: nil).text.contains("classifier"),
                "nothing is printed for a build without a classifier")
    }

    @Test func reportDrawsTheClassifierThreshold() throws {
        let html = try HTMLReport(folder: Self.folder).render()
        #expect(html.contains("<h2>Classifier scores</h2>"))
        let chart = try #require(html.components(separatedBy: "<svg").first { $0.contains("aria-label=\"web: __label__hq score") })
        #expect(chart.components(separatedBy: "<rect").count - 1 == 20, "a bar per bin")
        // The threshold's line, 1.8 % of the way across the plot (60 + 680 × 0.018112 = 72.3), and its label.
        #expect(chart.contains("<line class=\"threshold\" stroke=\"#c8453a\" stroke-width=\"2\" stroke-dasharray=\"5 3\" "
            + "x1=\"72.3\" y1=\"32.0\" x2=\"72.3\" y2=\"170.0\">"))
        #expect(chart.contains(">threshold 0.018112</text>"))
        #expect(html.contains("<th class=\"n\">kept: 0.018112 or more</th><th class=\"n\">removed: below 0.018112</th>"))
        #expect(html.contains("<td>web</td><td class=\"n\">43</td><td class=\"n\">41</td><td class=\"n\">2</td>"))
    }
}
