import GristCollect
import GristCore
import GristShards

/// `grist report`: one self-contained HTML page about a build (no scripts, no network, no fonts to
/// fetch), readable offline, in light and dark: the funnel, lengths, the mixture, removal reasons,
/// classifier scores with their thresholds, duplicate clusters, training curves, and example documents per source with their fate.
public struct HTMLReport {
    public let folder: String
    public let stats: DatasetStatistics
    private let browser: DocumentBrowser

    public init(folder: String) throws {
        self.folder = folder
        browser = try DocumentBrowser(folder: folder)
        stats = try DatasetStatistics.load(from: browser.manifest)
    }

    public func render() throws -> String {
        var body = header
        body += section("Funnel", funnel)
        body += section("Mixture", mixture)
        body += section("Removed and skipped, by reason", reasons)
        body += section("Document lengths", lengths)
        if !stats.languages.isEmpty { body += section("Language mix", languages) }
        if !stats.classifiers.isEmpty { body += section("Classifier scores", classifiers) }
        if !stats.contamination.isEmpty { body += section("Decontamination", try contamination()) }
        body += section("Duplicate clusters", try duplicates())
        if stats.sources.contains(where: { ($0.paragraphsRemoved ?? 0) > 0 }) {
            body += section("Repeated paragraphs removed", repeatedParagraphs)
        }
        if !stats.earlierBuilds.isEmpty { body += section("Duplicates of earlier builds", earlierBuilds) }
        if let audit = stats.dedupAudit, audit.clusters > 0 { body += section("Dedup audit", dedupAudit(audit)) }
        body += section("Training", try training())
        body += section("Shards", shards)
        body += section("Example documents", try examples())
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="generator" content="grist \(escape(stats.run.toolVersion))">
            <title>Gristmill report: \(escape(folder))</title>
            <style>\(Self.css)\n\(ChartPalette.css(count: seriesCount))</style>
            </head>
            <body>
            \(body)
            <footer>Made by <code>grist report</code> from <code>\(escape(folder))/manifest.sqlite</code>.</footer>
            </body>
            </html>

            """
    }

    /// The most series any chart of this report draws: sources, training runs, or two (target and achieved).
    private var seriesCount: Int { max(stats.sources.count, stats.trainingRuns.count, 2) }

    // MARK: - Sections

    private var header: String {
        let run = stats.run
        var rows = [
            ("status", run.status + (run.error.map { ": " + $0 } ?? "")),
            ("finished", run.finishedAt ?? "-"),
            ("config", "\(run.configPath) (sha256 \(run.configSha256.prefix(12)))"),
            ("seed, workers", "\(run.seed), \(run.workers)"),
            ("tool", "grist \(run.toolVersion)"),
        ]
        if let t = stats.tokenizer {
            rows.append(("tokenizer", "\(t.name), \(Format.count(t.vocabularySize)) tokens, ranks sha256 \(t.fileSha256.prefix(12))"))
        }
        let total = stats.sources.reduce(0) { $0 + $1.trainTokens + $1.valTokens }
        let read = stats.sources.reduce(0) { $0 + $1.documentsRead }
        let kept = stats.sources.reduce(0) { $0 + $1.keptDocuments }
        return """
            <header><h1>Gristmill build report</h1><p class="path">\(escape(folder))</p>
            <p class="lead">\(Format.count(read)) documents read, \(Format.count(kept)) kept,
            \(Format.compact(total)) tokens in \(stats.splits.reduce(0) { $0 + $1.shards }) shards.</p>
            \(table(["", ""], rows.map { [$0.0, $0.1] }, numeric: []))</header>

            """
    }

    private var funnel: String {
        var stages: [(position: Int, name: String)] = []
        for source in stats.sources {
            for outcome in source.stages where !stages.contains(where: { $0.name == outcome.stage }) {
                stages.append((outcome.position, outcome.stage))
            }
        }
        stages.sort { ($0.position, $0.name) < ($1.position, $1.name) }
        let series = stats.sources.map { source in
            (name: source.name, values: stages.map { stage in
                Double(source.stages.filter { $0.stage == stage.name && $0.outcome == "kept" }.reduce(0) { $0 + $1.documents })
            })
        }
        let chart = SVGCharts.bars(.init(title: "Documents kept after each stage, per source", unit: "documents",
                                         rows: stages.map(\.name), series: series,
                                         label: { Format.compact(Int($0)) }))
        var rows: [[String]] = []
        for source in stats.sources {
            rows.append([source.name, Format.count(source.files), Format.count(source.documentsRead),
                         Format.bytes(source.bytesRead), Format.count(source.recordsSkipped),
                         Format.count(source.removedDocuments), Format.count(source.keptDocuments),
                         Format.bytes(source.keptBytes), Format.count(source.keptTokens)])
        }
        return "<p>Each stage sees what the one before kept; <em>read</em> counts records, and bad records are skipped there.</p>"
            + chart + table(["source", "files", "read", "bytes read", "skipped", "removed", "kept", "kept bytes", "kept tokens"],
                            rows, numeric: Set(1...8))
    }

    private var mixture: String {
        let names = stats.sources.map(\.name)
        let chart = SVGCharts.bars(.init(
            title: "Share of train tokens: target and achieved", unit: "share of train tokens", rows: names,
            series: [("target", stats.sources.map { $0.targetShare ?? 0 }),
                     ("achieved", stats.sources.map { $0.achievedShare ?? 0 })],
            label: { Format.percent($0) }, integers: false))
        let rows = stats.sources.map { s in
            [s.name, Format.decimal(s.weight, 2), s.multiplier.map { Format.decimal($0, 3) } ?? "-",
             Format.percent(s.targetShare), Format.percent(s.achievedShare), Format.count(s.trainTokens),
             Format.count(s.valTokens), s.tokensPerByte.map { Format.decimal($0, 3) } ?? "-"]
        }
        return chart + table(["source", "weight", "copies per document", "target", "achieved", "train tokens",
                              "val tokens", "tokens per byte"], rows, numeric: Set(1...7))
    }

    private var reasons: String {
        let removals = stats.sources.flatMap { source in source.removals.map { (source.name, $0) } }
        guard !removals.isEmpty else { return "<p>Nothing was removed or skipped.</p>" }
        var byReason: [(String, Int)] = []
        for (_, r) in removals {
            let key = "\(r.stage): \(r.reason.isEmpty ? r.outcome : r.reason)"
            if let index = byReason.firstIndex(where: { $0.0 == key }) { byReason[index].1 += r.documents } else {
                byReason.append((key, r.documents))
            }
        }
        let chart = SVGCharts.bars(.init(title: "Documents removed or skipped, by stage and reason", unit: "documents",
                                         rows: byReason.map(\.0), series: [("documents", byReason.map { Double($0.1) })],
                                         label: { Format.compact(Int($0)) }))
        let rows = removals.map { name, r in
            [name, r.stage, r.outcome, r.reason.isEmpty ? "-" : r.reason, Format.count(r.documents), Format.bytes(r.bytes)]
        }
        return chart + table(["source", "stage", "outcome", "reason", "documents", "bytes"], rows, numeric: [4, 5])
    }

    private var lengths: String {
        var out = ""
        for metric in ["tokens", "chars"] {
            guard let all = stats.lengths.first(where: { $0.source == nil && $0.metric == metric }) else { continue }
            let unit = metric == "tokens" ? "tokens" : "characters"
            out += SVGCharts.histogram(title: "Document length in \(unit), all sources", unit: unit,
                                       bins: all.histogram.map { ($0.lowerBound, $0.upperBound, $0.documents) })
        }
        let points: [(String, Double)] = [("min", 0), ("p10", 0.1), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75),
                                          ("p90", 0.9), ("p99", 0.99), ("max", 1)]
        let rows = stats.lengths.map { entry in
            [entry.source ?? "all", entry.metric] + points.map { entry.value(at: $0.1).map(Format.count) ?? "-" }
        }
        return out + table(["source", "metric"] + points.map(\.0), rows, numeric: Set(2..<(2 + points.count)))
    }

    /// Documents per language in each source's share of the shards.
    private var languages: String {
        let top = Dictionary(grouping: stats.languages, by: \.language)
            .map { (language: $0.key, documents: $0.value.reduce(0) { $0 + $1.documents }) }
            .sorted { ($0.documents, $1.language) > ($1.documents, $0.language) }
            .prefix(12)
        let chart = SVGCharts.bars(.init(
            title: "Documents per language (labels of the language filter), per source", unit: "documents",
            rows: top.map(\.language),
            series: stats.sources.map { source in
                (name: source.name, values: top.map { row in
                    Double(stats.languages.first { $0.source == source.name && $0.language == row.language }?.documents ?? 0)
                })
            }, label: { Format.compact(Int($0)) }))
        let rows = stats.languages.map { [$0.source, $0.language, Format.count($0.documents), Format.bytes($0.bytes)] }
        return chart + table(["source", "language", "documents", "bytes"], rows, numeric: [2, 3])
    }

    /// `dedup.paragraphs`: per source, the paragraphs (or lines) removed and the documents they left.
    private var repeatedParagraphs: String {
        let rows = stats.sources.filter { ($0.paragraphsRemoved ?? 0) > 0 }
        return "<p>Paragraphs (or lines) repeated across the corpus, removed from the documents after cleaning "
            + "(the first occurrence kept under <code>keep: first</code>); each document's share removed is its "
            + "<code>dedup_paragraph_fraction</code> metadata.</p>"
            + table(["source", "paragraphs removed", "from documents"], rows.map {
                [escape($0.name), Format.count($0.paragraphsRemoved ?? 0), Format.count($0.paragraphDocuments ?? 0)]
            }, numeric: [1, 2])
    }

    /// `dedup.against`: per earlier build, the documents dropped as its duplicates.
    private var earlierBuilds: String {
        "<p>Documents of this build dropped as duplicates of documents earlier builds kept "
            + "(<code>dedup.against</code>; each one in the manifest's <code>earlierDuplicate</code> table).</p>"
            + table(["earlier build", "folder", "exact duplicates", "near duplicates"], stats.earlierBuilds.map {
                [escape($0.pipeline), escape($0.path), Format.count($0.exactDuplicates), Format.count($0.nearDuplicates)]
            }, numeric: [2, 3])
    }

    /// Per eval set: items hit, documents matched and what became of them; then the first matched
    /// passages beside their eval items.
    private func contamination() throws -> String {
        var out = "<p>Documents that passed the filters, searched for the n-grams of each eval set. A document "
            + "counts under every set it matched. Every match is in the manifest's <code>contaminationMatch</code> "
            + "table.</p>"
        out += table(["eval set", "items", "too short", "items hit", "documents", "split", "dropped", "reported",
                      "chars removed", "tokens removed"],
                     stats.contamination.map { set in
                         [escape(set.name), Format.count(set.items), Format.count(set.tooShortItems),
                          Format.count(set.itemsHit), Format.count(set.documents), Format.count(set.split),
                          Format.count(set.dropped), Format.count(set.reported), Format.count(set.removedChars),
                          set.removedTokens.map(Format.count) ?? "-"]
                     }, numeric: Set(1...9))
        for set in stats.contamination where set.documents > 0 {
            let matches = try browser.manifest.contaminationMatches(set: set.name, limit: 5)
            out += "<h3>\(escape(set.name)): the first \(matches.count) matches</h3>"
            out += table(["document", "outcome", "passage", "eval item"], matches.map { m in
                ["\(escape(m.externalId)) (\(m.documentId))", escape(m.outcome),
                 escape(String(m.passage.prefix(300))), "\(escape(m.itemId)): \(escape(String(m.itemText.prefix(300))))"]
            }, numeric: [])
        }
        return out
    }

    /// Per classifier filter: what it decides, then per source a histogram of its scores with the
    /// threshold drawn, and a table of the documents on each side of it and the percentiles.
    private var classifiers: String {
        var out = "<p>Each classifier filter's score of one label per document (the mean over its units), per source, in "
            + "bins of 0.05; the dashed line is the threshold. Every label's score is in the manifest's "
            + "<code>documentScore</code> table.</p>"
        for c in stats.classifiers {
            out += "<h3>\(escape(c.stage))</h3>"
            var what = "Model <code>\(escape(c.model))</code> (sha256 \(escape(String(c.modelSha256.prefix(12)))))"
            if let label = c.label, let threshold = c.threshold, c.action == "label_only" {
                what += ": only scores (<code>label_only</code>); the dashed line is the threshold "
                    + "\(StatisticsText.number(threshold)) on <code>\(escape(label))</code>"
            } else if let label = c.label, let threshold = c.threshold, let action = c.action {
                what += ": \(action == "remove" ? "removes" : "keeps") \(escape(c.granularity))s whose <code>\(escape(label))</code> "
                    + "score is at least \(StatisticsText.number(threshold))"
                    + (c.granularity == "document" ? "" : " (the charts show each document's mean score)")
            } else if let label = c.scoredLabel {
                what += ": only scores; the charts show <code>\(escape(label))</code>, the label with the highest mean score"
            }
            out += "<p>\(what).</p>"
            guard let label = c.scoredLabel, !c.sources.isEmpty else {
                out += "<p>No document was scored.</p>"
                continue
            }
            for source in c.sources {
                let colour = stats.sources.firstIndex { $0.name == source.source } ?? 0
                out += SVGCharts.scoreHistogram(
                    title: "\(source.source): \(label) score of \(Format.count(source.documents)) documents (\(c.stage))",
                    bins: source.bins, colour: colour, threshold: c.threshold)
            }
            let keeps = c.action == "keep"
            let rows = c.sources.map { s -> [String] in
                let above = s.atOrAboveThreshold.map(Format.count) ?? "-", below = s.belowThreshold.map(Format.count) ?? "-"
                return [s.source, Format.count(s.documents), keeps ? above : below, keeps ? below : above]
                    + [s.p10, s.p50, s.p90].map { $0.map { Format.decimal($0, 3) } ?? "-" }
            }
            let threshold = c.threshold.map(StatisticsText.number) ?? ""
            let header = c.threshold == nil ? ["-", "-"]
                : keeps ? ["\(threshold) or more", "below \(threshold)"] : ["below \(threshold)", "\(threshold) or more"]
            let decided = c.granularity == "document" && c.action != nil && c.action != "label_only"
            out += table(["source", "documents scored", (decided ? "kept: " : "") + header[0], (decided ? "removed: " : "") + header[1],
                          "p10", "p50", "p90"], rows, numeric: Set(1...6))
        }
        return out
    }

    /// Duplicate clusters (exact and near) by size, and by how similar their least similar member is.
    private func duplicates() throws -> String {
        let sizes = try browser.manifest.duplicateClusterSizes()
        guard !sizes.isEmpty else { return "<p>No duplicate clusters: no document was dropped as a duplicate.</p>" }
        let chart = SVGCharts.bars(.init(title: "Duplicate clusters by size (documents per cluster, one kept)",
                                         unit: "clusters", rows: sizes.map { "\($0.size) documents" },
                                         series: [("clusters", sizes.map { Double($0.clusters) })],
                                         label: { Format.compact(Int($0)) }))
        let similarity = try browser.manifest.duplicateClusterSimilarities()
        let similarityChart = SVGCharts.bars(.init(
            title: "Clusters by the similarity of their least similar member", unit: "clusters",
            rows: similarity.map { Self.similarityLabel(twentieth: $0.twentieth) },
            series: [("clusters", similarity.map { Double($0.clusters) })], label: { Format.compact(Int($0)) }))
        return chart + similarityChart + table(
            ["documents per cluster", "clusters", "of exact duplicates only"],
            sizes.map { [Format.count($0.size), Format.count($0.clusters), Format.count($0.exactOnly)] }, numeric: [0, 1, 2])
            + "<p><code>grist inspect \(escape(folder)) --duplicates</code> lists sample clusters with their members.</p>"
    }

    /// The dedup audit (docs/dedup.md#the-audit): the sampled precision and its interval, the guard, the
    /// cluster sizes in power-of-two buckets, and the largest clusters with their members' first lines.
    private func dedupAudit(_ a: DedupAuditRecord) -> String {
        let threshold = escape(StatisticsText.number(a.threshold))
        func estimate(_ e: DedupAuditRecord.Estimate) -> String {
            guard let p = e.precision, let low = e.low, let high = e.high else { return "-" }
            return "\(Format.decimal(p, 3)) (95% CI \(Format.decimal(low, 3))–\(Format.decimal(high, 3)))"
        }
        var out = ""
        if a.toKept.pairs == 0 {
            out += "<p>No near-duplicate clusters to sample (exact duplicates only).</p>"
        } else {
            out += "<p>Precision <strong>\(estimate(a.toKept))</strong>: \(Format.count(a.toKept.atOrAbove)) of "
                + "\(Format.count(a.toKept.pairs)) sampled dropped near duplicates have a true Jaccard similarity of at least "
                + "\(threshold) to the document kept in their place (\(Format.count(a.sampledClusters)) of "
                + "\(Format.count(a.nearClusters)) clusters with near duplicates sampled, seed \(a.seed)).</p>"
            if a.betweenMembers.pairs > 0 {
                out += "<p>Between dropped members: \(estimate(a.betweenMembers)), \(Format.count(a.betweenMembers.atOrAbove)) "
                    + "of \(Format.count(a.betweenMembers.pairs)) sampled pairs at or above \(threshold).</p>"
            }
        }
        if a.verify {
            out += "<p>Verification was on: every dropped document was checked against the kept one.</p>"
        } else if a.maxClusterSize == 0 {
            out += "<p>Giant-cluster guard off (<code>max_cluster_size: 0</code>): clusters were removed whole.</p>"
        } else {
            out += "<p>Giant-cluster guard: \(Format.count(a.guardedClusters)) clusters verified against their kept "
                + "document instead of removed whole (\(Format.count(a.guardedBySize)) over \(Format.count(a.maxClusterSize)) "
                + "documents, \(Format.count(a.guardedBySimilarity)) with half or more of their members below \(threshold)); "
                + "\(Format.count(a.guardSplitOff)) documents split off.</p>"
        }
        let labels = a.sizes.map { b in
            b.lowerBound == b.upperBound ? "\(Format.count(b.lowerBound)) documents"
                : "\(Format.count(b.lowerBound))–\(Format.count(b.upperBound)) documents"
        }
        out += SVGCharts.bars(.init(title: "Duplicate clusters by size, in powers of two", unit: "clusters", rows: labels,
                                    series: [("clusters", a.sizes.map { Double($0.clusters) })],
                                    label: { Format.compact(Int($0)) }))
        if !a.largest.isEmpty {
            out += "<h3>Largest clusters</h3>"
            out += table(["cluster", "documents", "member", "source", "id", "similarity", "first line"], a.largest.map { m in
                [m.position == 0 ? "\(m.clusterId)" : "", m.position == 0 ? Format.count(m.clusterSize ?? 0) : "",
                 m.position == 0 ? "kept" : "dropped", m.source ?? "-", m.externalId ?? "-",
                 Format.decimal(m.similarity ?? 1, 3), m.firstLine]
            }, numeric: [0, 1, 5])
        }
        return out
    }

    /// The row label of a bin of `ClusterSimilarityCount`: "0.85–0.90", or "1.00 (exact)" for the clusters
    /// whose members are all exact duplicates of the kept one.
    static func similarityLabel(twentieth: Int) -> String {
        guard twentieth < 20 else { return "1.00 (exact)" }
        return Format.decimal(Double(twentieth) / 20, 2) + "–" + Format.decimal(Double(twentieth + 1) / 20, 2)
    }

    /// Loss curves of every training run recorded in the manifest (`trainingRun`, `trainingStep`) in one
    /// chart, a colour and a legend entry per run, and the runs in a table.
    private func training() throws -> String {
        let runs = stats.trainingRuns
        guard !runs.isEmpty else { return "<p>No training runs recorded in this manifest.</p>" }
        var series: [SVGCharts.Line] = []
        for run in runs {
            let losses = try browser.manifest.trainingLosses(runId: run.id)
            series.append(.init(name: Self.runLabel(run, lastStep: losses.last?.step),
                                points: losses.map { (x: Double($0.step), y: $0.trainLoss) },
                                marks: losses.compactMap { step in step.valLoss.map { (x: Double(step.step), y: $0) } },
                                marksName: "val"))
        }
        let chart = SVGCharts.lines(title: "Training loss (lines) and validation loss (dots), per run", xLabel: "step",
                                    yLabel: "loss (nats per token)", series: series)
        let rows = runs.map { run in
            ["run \(run.id)", run.startedAt, run.status, run.model, Format.count(run.parameterCount), Format.count(run.steps),
             Format.count(run.tokens), run.firstTrainLoss.map { Format.decimal($0, 3) } ?? "-",
             run.finalTrainLoss.map { Format.decimal($0, 3) } ?? "-", run.finalValLoss.map { Format.decimal($0, 3) } ?? "-",
             run.tokensPerSecond.map { Format.compact(Int($0)) } ?? "-", run.outputDir]
        }
        return chart + table(["run", "started", "status", "model", "parameters", "steps", "tokens seen", "first train loss",
                              "final train loss", "final val loss", "tokens/s", "output"], rows, numeric: Set(4...10))
    }

    /// A training run's name in the loss chart: "run 2 · 2026-12-07 18:00 · 300 steps", and its status when it
    /// did not succeed. `lastStep` (the last recorded step) counts the steps of a run that did not finish.
    static func runLabel(_ run: TrainingHistory.Run, lastStep: Int?) -> String {
        // ISO 8601 (2026-12-07T18:00:00Z) to the minute.
        let started = run.startedAt.count >= 16 && run.startedAt.dropFirst(10).first == "T"
            ? run.startedAt.prefix(10) + " " + run.startedAt.dropFirst(11).prefix(5) : Substring(run.startedAt)
        let steps = run.steps > 0 ? run.steps : lastStep ?? 0
        var label = "run \(run.id) · \(started) · \(Format.count(steps)) step\(steps == 1 ? "" : "s")"
        if run.status != "succeeded" { label += " · " + run.status }
        return label
    }

    private var shards: String {
        table(["split", "shards", "documents", "tokens", "size"],
              stats.splits.map { [$0.split, Format.count($0.shards), Format.count($0.documents), Format.count($0.tokens),
                                  Format.bytes($0.bytes)] }, numeric: [1, 2, 3, 4])
            + "<p>Shards are llm.c <code>.bin</code> files in <code>\(escape(folder))/shards</code>; documents count copies.</p>"
    }

    /// A few kept documents (as they are in the shards) and a few dropped ones (as they were read) per source.
    private func examples() throws -> String {
        var out = ""
        let reader = RawDocumentReader(configText: try? browser.manifest.latestRun()?.configText)
        for source in stats.sources {
            out += "<h3>\(escape(source.name))</h3>"
            for placement in try browser.sample(count: 3, source: source.name, split: nil, seed: 1) {
                let text = String(decoding: try browser.text(of: placement), as: UTF8.self)
                out += example(fate: "kept", detail: "\(placement.split) · \(placement.shardPath) at token \(placement.tokenOffset)",
                               id: placement.externalId, origin: "\(placement.inputPath):\(placement.line)", text: text)
            }
            for document in try browser.manifest.documents(fate: .dropped, source: source.name, limit: 2) {
                let text = reader.text(source: source.name, path: document.inputPath, ordinal: document.ordinal)
                    ?? "(the input file is no longer readable here)"
                out += example(fate: "dropped", detail: "\(document.stage ?? "?"): \(document.reason ?? "?")",
                               id: document.externalId, origin: "\(document.inputPath):\(document.line)", text: text)
            }
        }
        return out
    }

    private func example(fate: String, detail: String, id: String, origin: String, text: String) -> String {
        let shown = text.count > 1200 ? String(text.prefix(1200)) + " …" : text
        return """
            <details class="doc \(fate)"><summary><span class="fate">\(fate)</span> \(escape(id))
            <span class="detail">\(escape(detail)) · \(escape(origin)) · \(Format.count(text.count)) characters</span></summary>
            <pre>\(escape(shown))</pre></details>

            """
    }

    // MARK: - Building blocks

    private func section(_ title: String, _ content: String) -> String {
        "<section><h2>\(escape(title))</h2>\n\(content)\n</section>\n"
    }

    private func table(_ header: [String], _ rows: [[String]], numeric: Set<Int>) -> String {
        var out = "<table><thead><tr>"
        for (i, cell) in header.enumerated() { out += "<th\(numeric.contains(i) ? " class=\"n\"" : "")>\(escape(cell))</th>" }
        out += "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>"
            for (i, cell) in row.enumerated() { out += "<td\(numeric.contains(i) ? " class=\"n\"" : "")>\(escape(cell))</td>" }
            out += "</tr>"
        }
        return out + "</tbody></table>\n"
    }

    static let css = """
        :root { --bg: #ffffff; --fg: #1b1f24; --muted: #5c6670; --grid: #d9dee3; --panel: #f5f7f9;
                --kept: #3a9d5d; --dropped: #c8453a; color-scheme: light dark; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #15181c; --fg: #e6e9ec; --muted: #9aa4ad; --grid: #343a41; --panel: #1e2227;
                  --kept: #73c991; --dropped: #f07a70; }
        }
        body { background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
               max-width: 1100px; margin: 0 auto; padding: 24px; }
        h1 { margin: 0 0 4px; } h2 { border-bottom: 1px solid var(--grid); padding-bottom: 4px; margin-top: 36px; }
        .path, .detail, footer { color: var(--muted); } .lead { font-size: 17px; }
        table { border-collapse: collapse; margin: 12px 0; font-variant-numeric: tabular-nums; }
        th, td { padding: 3px 10px; border-bottom: 1px solid var(--grid); text-align: left; }
        th.n, td.n { text-align: right; }
        svg.chart { width: 100%; max-width: 760px; height: auto; display: block; margin: 12px 0; }
        svg text { fill: var(--fg); font-size: 12px; } svg text.title { font-weight: 600; font-size: 13px; }
        svg text.tick, svg text.unit, svg text.value { fill: var(--muted); font-size: 11px; }
        svg line.grid { stroke: var(--grid); stroke-width: 1; }
        svg line.threshold { stroke: var(--dropped); } svg text.threshold { fill: var(--dropped); font-size: 11px; }
        details.doc { background: var(--panel); border-left: 4px solid var(--kept); margin: 8px 0; padding: 6px 10px; }
        details.doc.dropped { border-left-color: var(--dropped); }
        .fate { font-weight: 600; text-transform: uppercase; font-size: 12px; }
        pre { white-space: pre-wrap; word-break: break-word; max-height: 320px; overflow: auto; font-size: 13px; }
        footer { margin-top: 40px; font-size: 13px; }
        """
}

/// Reads a record again from its input file, for showing documents that did not reach the shards.
struct RawDocumentReader {
    let sources: [String: SourceConfig]

    init(configText: String?) {
        let config = configText.flatMap { try? LoadedConfig(text: $0, path: "manifest").config }
        sources = Dictionary(uniqueKeysWithValues: (config?.sources ?? []).map { ($0.name, $0) })
    }

    /// The record's text as read (before cleaning), or nil when the file cannot be read any more.
    func text(source: String, path: String, ordinal: Int) -> String? {
        guard let config = sources[source], FileSystem.exists(path),
              var reader = try? Readers.open(path: path, format: config.format, text: config.text, jsonl: config.jsonl)
        else { return nil }
        while let event = try? reader.next() {
            if case .document(let document) = event, document.ordinal == ordinal {
                return String(decoding: document.text, as: UTF8.self)
            }
        }
        return nil
    }
}
