import GristShards
import GristTokenize

/// `grist stats` for a person: the run, the funnel per source and in total, removals by reason, the
/// mixture, the shards, length distributions with a histogram, classifier scores per source with a
/// histogram and the threshold, and the most frequent tokens.
public struct StatisticsText {
    public let stats: DatasetStatistics
    public let folder: String
    /// Decodes the top tokens into text; without it only their ids are shown.
    public let vocabulary: BPEVocabulary?
    public let style: TerminalStyle

    public init(_ stats: DatasetStatistics, folder: String, vocabulary: BPEVocabulary?, style: TerminalStyle = .plain) {
        self.stats = stats
        self.folder = folder
        self.vocabulary = vocabulary
        self.style = style
    }

    public var text: String {
        [header, sourcesSection, funnelSection, removalsSection, dedupNotesSection, dedupAuditSection, shardsSection,
         filesSection, lengthsSection, languageSection, classifiersSection, contaminationSection, earlierBuildsSection,
         tokensSection, trainingSection, warningsSection]
            .filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    // MARK: - Sections

    private var header: String {
        let run = stats.run
        let status = run.status == "succeeded" ? style.green(run.status) : style.red(run.status)
        var lines = [style.bold(folder) + ": build \(status) \(run.finishedAt ?? run.startedAt)"
            + " (grist \(run.toolVersion), seed \(run.seed), \(run.workers) workers)"]
        lines.append("config \(run.configPath) (sha256 \(run.configSha256.prefix(12)))")
        if let error = run.error { lines.append(style.red("error: \(error)")) }
        if let t = stats.tokenizer {
            lines.append("tokenizer \(t.name): \(Format.count(t.vocabularySize)) tokens, documents separated by "
                + "\(t.endOfTextToken), ranks sha256 \(t.fileSha256.prefix(12))")
        }
        return lines.joined(separator: "\n")
    }

    private var sourcesSection: String {
        var table = TextTable(["source", "files", "read", "skipped", "removed", "kept", "kept bytes", "tok/byte",
                               "train tokens", "val tokens", "weight", "target", "achieved"],
                              rightAligned: Set(1...12))
        for s in stats.sources {
            table.add([s.name, Format.count(s.files), Format.count(s.documentsRead), Format.count(s.recordsSkipped),
                       Format.count(s.removedDocuments), Format.count(s.keptDocuments), Format.bytes(s.keptBytes),
                       s.tokensPerByte.map { Format.decimal($0, 3) } ?? "-", Format.count(s.trainTokens),
                       Format.count(s.valTokens), Format.decimal(s.weight, 2), Format.percent(s.targetShare),
                       Format.percent(s.achievedShare)])
        }
        let all = stats.sources
        func sum(_ value: (DatasetStatistics.Source) -> Int) -> Int { all.reduce(0) { $0 + value($1) } }
        let keptBytes = sum(\.keptBytes), keptTokens = sum(\.keptTokens)
        table.add(["total", Format.count(sum(\.files)), Format.count(sum(\.documentsRead)),
                   Format.count(sum(\.recordsSkipped)), Format.count(sum(\.removedDocuments)),
                   Format.count(sum(\.keptDocuments)), Format.bytes(keptBytes),
                   keptBytes > 0 ? Format.decimal(Double(keptTokens) / Double(keptBytes), 3) : "-",
                   Format.count(sum(\.trainTokens)), Format.count(sum(\.valTokens)), "", "", ""])
        return style.bold("sources") + " (target and achieved: share of train tokens)\n" + table.render()
    }

    /// Every stage in order, summed over the sources: what came in, what went on, what was removed.
    private var funnelSection: String {
        struct Row { var seen = 0, kept = 0, bytesIn = 0, bytesKept = 0 }
        var order: [(position: Int, stage: String)] = []
        var rows: [String: Row] = [:]
        for source in stats.sources {
            for outcome in source.stages {
                if rows[outcome.stage] == nil {
                    order.append((outcome.position, outcome.stage))
                    rows[outcome.stage] = Row()
                }
                rows[outcome.stage]?.seen += outcome.documents
                rows[outcome.stage]?.bytesIn += outcome.bytes
                if outcome.outcome == "kept" {
                    rows[outcome.stage]?.kept += outcome.documents
                    rows[outcome.stage]?.bytesKept += outcome.bytes
                }
            }
        }
        guard !order.isEmpty else { return "" }
        var table = TextTable(["stage", "documents in", "kept", "removed", "removed %", "kept bytes"],
                              rightAligned: [1, 2, 3, 4, 5])
        for (_, stage) in order.sorted(by: { ($0.position, $0.stage) < ($1.position, $1.stage) }) {
            guard let row = rows[stage] else { continue }
            let removed = row.seen - row.kept
            table.add([stage, Format.count(row.seen), Format.count(row.kept), Format.count(removed),
                       row.seen > 0 ? Format.percent(Double(removed) / Double(row.seen)) : "-",
                       Format.bytes(row.bytesKept)])
        }
        return style.bold("funnel") + " (all sources; read counts records, skipped ones are removed)\n" + table.render()
    }

    private var removalsSection: String {
        let removals = stats.sources.flatMap { source in source.removals.map { (source.name, $0) } }
        guard !removals.isEmpty else { return style.bold("removed and skipped") + ": nothing" }
        var table = TextTable(["source", "stage", "outcome", "reason", "documents", "bytes"], rightAligned: [4, 5])
        for (name, r) in removals {
            table.add([name, r.stage, r.outcome, r.reason.isEmpty ? "-" : r.reason, Format.count(r.documents),
                       Format.bytes(r.bytes)])
        }
        return style.bold("removed and skipped") + ", by stage and reason\n" + table.render()
    }

    /// The dedup audit: cluster sizes, the sampled precision with its interval, the guard, the largest
    /// clusters with their members' first lines (docs/dedup.md#the-audit).
    private var dedupAuditSection: String {
        guard let a = stats.dedupAudit, a.clusters > 0 else { return "" }
        let threshold = StatisticsText.number(a.threshold)
        let settings = a.nearClusters > 0 || a.guardedClusters > 0
            ? "threshold \(threshold), verification \(a.verify ? "on" : "off")" : "no near-duplicate clusters"
        var lines = [style.bold("dedup audit") + " (\(settings), keep rule \(a.keepRule); tables dedupAudit, dedupAuditPair, largestClusterMember)"]
        let sizes = a.sizes.map { b in
            (b.lowerBound == b.upperBound ? Format.count(b.lowerBound)
                : "\(Format.count(b.lowerBound))–\(Format.count(b.upperBound))") + ": \(Format.count(b.clusters))"
        }
        lines.append("  clusters   \(Format.count(a.clusters)) holding \(Format.count(a.documents)) documents, by size: "
            + sizes.joined(separator: " · "))
        func estimate(_ e: DedupAuditRecord.Estimate) -> String {
            guard let p = e.precision, let low = e.low, let high = e.high else { return "-" }
            return "\(Format.decimal(p, 3)) (95% CI \(Format.decimal(low, 3))–\(Format.decimal(high, 3)))"
        }
        if a.toKept.pairs == 0 {
            lines.append("  precision  no near-duplicate clusters to sample (exact duplicates only)")
        } else {
            lines.append("  precision  \(estimate(a.toKept)): \(Format.count(a.toKept.atOrAbove)) of "
                + "\(Format.count(a.toKept.pairs)) sampled dropped near duplicates at or above \(threshold) against the "
                + "kept document (\(Format.count(a.sampledClusters)) of \(Format.count(a.nearClusters)) clusters with "
                + "near duplicates sampled)")
            if a.betweenMembers.pairs > 0 {
                lines.append("  members    \(estimate(a.betweenMembers)): \(Format.count(a.betweenMembers.atOrAbove)) of "
                    + "\(Format.count(a.betweenMembers.pairs)) sampled pairs of dropped members at or above \(threshold) "
                    + "to each other")
            }
        }
        if a.verify {
            if a.nearClusters > 0 { lines.append("  guard      not needed: verification checked every dropped document against the kept one") }
        } else if a.maxClusterSize == 0 {
            if a.nearClusters > 0 { lines.append("  guard      off (max_cluster_size: 0): clusters removed whole, as LSH and union-find made them") }
        } else {
            lines.append("  guard      \(Format.count(a.guardedClusters)) clusters verified against their kept document "
                + "instead of removed whole (\(Format.count(a.guardedBySize)) over max_cluster_size "
                + "\(Format.count(a.maxClusterSize)), \(Format.count(a.guardedBySimilarity)) with half or more of their "
                + "members below \(threshold)); \(Format.count(a.guardSplitOff)) documents split off")
        }
        var rank = 0
        for m in a.largest {
            if m.rank != rank {
                rank = m.rank
                if rank == 1 { lines.append("  largest clusters (the kept document first; first lines)") }
                lines.append("    cluster \(m.clusterId): \(Format.count(m.clusterSize ?? 0)) documents")
            }
            let mark = m.position == 0 ? "kept " : Format.decimal(m.similarity ?? 1, 3)
            lines.append("      \(mark)  \(m.source ?? "-")  \(m.externalId ?? "-")  \"\(m.firstLine)\"")
        }
        return lines.joined(separator: "\n")
    }

    /// The dedup stage's kept documents with a reason: under URL dedup, those without a URL (`no_url`),
    /// which no URL rule could match. Empty when there are none.
    private var dedupNotesSection: String {
        let rows = stats.sources.flatMap { source in
            source.stages.filter { $0.stage == "dedup" && $0.outcome == "kept" && !$0.reason.isEmpty }
                .map { (source.name, $0) }
        }
        var sections: [String] = []
        if !rows.isEmpty {
            var table = TextTable(["source", "reason", "documents", "bytes"], rightAligned: [2, 3])
            for (name, r) in rows { table.add([name, r.reason, Format.count(r.documents), Format.bytes(r.bytes)]) }
            sections.append(style.bold("kept by dedup, with a note") + " (no_url: no URL, so never a URL duplicate)\n"
                + table.render())
        }
        // dedup.paragraphs: repeated paragraphs (or lines) removed from documents, per source and in total.
        let paragraphs = stats.sources.filter { ($0.paragraphsRemoved ?? 0) > 0 }
        if !paragraphs.isEmpty {
            var table = TextTable(["source", "paragraphs removed", "from documents"], rightAligned: [1, 2])
            for s in paragraphs {
                table.add([s.name, Format.count(s.paragraphsRemoved ?? 0), Format.count(s.paragraphDocuments ?? 0)])
            }
            table.add(["total", Format.count(paragraphs.reduce(0) { $0 + ($1.paragraphsRemoved ?? 0) }),
                       Format.count(paragraphs.reduce(0) { $0 + ($1.paragraphDocuments ?? 0) })])
            sections.append(style.bold("repeated paragraphs removed") + " (dedup.paragraphs; each document's "
                + "fraction removed: its metadata dedup_paragraph_fraction)\n" + table.render())
        }
        return sections.joined(separator: "\n\n")
    }

    private var shardsSection: String {
        var table = TextTable(["split", "shards", "documents", "tokens", "size"], rightAligned: [1, 2, 3, 4])
        for s in stats.splits {
            table.add([s.split, Format.count(s.shards), Format.count(s.documents), Format.count(s.tokens),
                       Format.bytes(s.bytes)])
        }
        return style.bold("shards") + " (\(folder)/shards; documents count copies)\n" + table.render()
    }

    /// The files besides the llm.c shards (other formats, the curated text), a row per folder, format,
    /// split and extension: how many, what they hold, and their paths.
    private var filesSection: String {
        guard !stats.files.isEmpty else { return "" }
        var groups: [(key: [String], files: [DatasetStatistics.OtherFile])] = []
        for file in stats.files {
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            let key = [String(file.path.dropLast(name.count)), file.format, file.split,
                       name.split(separator: ".", maxSplits: 1).last.map(String.init) ?? ""]
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].files.append(file)
            } else {
                groups.append((key, [file]))
            }
        }
        var table = TextTable(["format", "split", "files", "documents", "tokens", "size", "paths"], rightAligned: [2, 3, 4, 5])
        for (key, files) in groups {
            let paths = files.count == 1 ? files[0].path
                : files[0].path + " … " + (files[files.count - 1].path.split(separator: "/").last.map(String.init) ?? "")
            table.add([key[1], key[2], Format.count(files.count), Format.count(files.reduce(0) { $0 + $1.documents }),
                       Format.count(files.reduce(0) { $0 + $1.tokens }), Format.bytes(files.reduce(0) { $0 + $1.bytes }),
                       paths])
        }
        return style.bold("other files") + " (in \(folder); the curated text holds each document once, tokens without "
            + "separators)\n" + table.render()
    }

    private var lengthsSection: String {
        guard !stats.lengths.isEmpty else { return "" }
        var out: [String] = [style.bold("document lengths") + " (documents in the shards, each once)"]
        let points: [(String, Double)] = [("min", 0), ("p10", 0.1), ("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1)]
        var table = TextTable(["source", "metric"] + points.map(\.0), rightAligned: Set(2..<(2 + points.count)))
        for entry in stats.lengths {
            table.add([entry.source ?? "all", entry.metric]
                + points.map { entry.value(at: $0.1).map(Format.count) ?? "-" })
        }
        out.append(table.render())
        if let tokens = stats.lengths.first(where: { $0.source == nil && $0.metric == "tokens" }) {
            out.append("")
            out.append("tokens per document, all sources")
            out.append(histogram(tokens.histogram))
        }
        return out.joined(separator: "\n")
    }

    /// One bar per power-of-two bin, scaled to the terminal's width.
    private func histogram(_ bins: [DatasetStatistics.Lengths.Bin]) -> String {
        let labels = bins.map { "\(Format.count($0.lowerBound))–\(Format.count($0.upperBound - 1))" }
        let counts = bins.map { Format.count($0.documents) }
        let labelWidth = labels.map(\.count).max() ?? 0, countWidth = counts.map(\.count).max() ?? 0
        let barWidth = max(10, style.width - labelWidth - countWidth - 8)
        let largest = max(1, bins.map(\.documents).max() ?? 1)
        return zip(bins, zip(labels, counts)).map { bin, text in
            let eighths = bin.documents * barWidth * 8 / largest
            let bar = String(repeating: "█", count: eighths / 8)
                + (eighths % 8 > 0 ? String(["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]) : "")
            let label = String(repeating: " ", count: labelWidth - text.0.count) + text.0
            let count = String(repeating: " ", count: countWidth - text.1.count) + text.1
            return "  \(label)  \(count)  \(style.green(bar))"
        }.joined(separator: "\n")
    }

    private var tokensSection: String {
        guard !stats.topTokens.isEmpty else { return "" }
        let total = stats.splits.reduce(0) { $0 + $1.tokens } - stats.splits.reduce(0) { $0 + $1.documents }
        var table = TextTable(["rank", "token", "text", "count", "share"], rightAligned: [0, 1, 3, 4])
        for entry in stats.topTokens.prefix(15) {
            let text = vocabulary?.tokenBytes(UInt32(entry.token)).map(Self.visible) ?? "?"
            table.add([String(entry.rank), String(entry.token), text, Format.count(entry.count),
                       total > 0 ? Format.percent(Double(entry.count) / Double(total)) : "-"])
        }
        return style.bold("most frequent tokens") + " (separators excluded)\n" + table.render()
    }

    /// Per source, its languages by share of documents (the top five, then the rest together).
    private var languageSection: String {
        guard !stats.languages.isEmpty else { return "" }
        var table = TextTable(["source", "languages (share of documents in the shards)"])
        for source in stats.sources.map(\.name) {
            let rows = stats.languages.filter { $0.source == source }
            let total = rows.reduce(0) { $0 + $1.documents }
            guard total > 0 else { continue }
            var parts = rows.prefix(5).map { "\($0.language) \(Format.percent(Double($0.documents) / Double(total)))" }
            let rest = rows.dropFirst(5).reduce(0) { $0 + $1.documents }
            if rest > 0 { parts.append("the rest \(Format.percent(Double(rest) / Double(total)))") }
            table.add([source, parts.joined(separator: ", ")])
        }
        return style.bold("language mix") + " (labels of the language filter)\n" + table.render()
    }

    /// Per earlier build of `dedup.against`: the documents dropped as duplicates of its documents.
    private var earlierBuildsSection: String {
        guard !stats.earlierBuilds.isEmpty else { return "" }
        var table = TextTable(["earlier build", "folder", "exact duplicates", "near duplicates"], rightAligned: [2, 3])
        for build in stats.earlierBuilds {
            table.add([build.pipeline, build.path, Format.count(build.exactDuplicates), Format.count(build.nearDuplicates)])
        }
        return style.bold("duplicates of earlier builds") + " (dedup.against; each document: table earlierDuplicate)\n"
            + table.render()
    }

    /// Per eval set of the build's decontamination: its items, those matched, the documents they were
    /// found in and what became of them, and what was removed. Nothing without a `decontaminate:` section.
    private var contaminationSection: String {
        guard !stats.contamination.isEmpty else { return "" }
        var table = TextTable(["eval set", "items", "too short", "items hit", "documents", "split", "dropped",
                               "reported", "chars removed", "tokens removed"], rightAligned: Set(1...9))
        for set in stats.contamination {
            table.add([set.name, Format.count(set.items), Format.count(set.tooShortItems), Format.count(set.itemsHit),
                       Format.count(set.documents), Format.count(set.split), Format.count(set.dropped),
                       Format.count(set.reported), Format.count(set.removedChars),
                       set.removedTokens.map(Format.count) ?? "-"])
        }
        return style.bold("decontamination") + " (per eval set; a document counts under each set it matched; "
            + "the passages: grist inspect --contamination SET)\n" + table.render()
    }

    /// Per classifier filter: its model and decision, then per source the documents it scored, how many
    /// fall on each side of the threshold, percentiles, and a histogram of 20 bins with the threshold's bin
    /// marked. Nothing when no classifier ran.
    private var classifiersSection: String {
        stats.classifiers.map(classifierSection).joined(separator: "\n\n")
    }

    private func classifierSection(_ c: DatasetStatistics.Classifier) -> String {
        var lines = [style.bold("classifier \(c.stage)") + " (scores per document: table documentScore)"]
        lines.append("  model    \(c.model) (sha256 \(c.modelSha256.prefix(12)))")
        let unit = c.granularity == "document" ? "documents" : "\(c.granularity)s"
        if let label = c.label, let threshold = c.threshold, c.action == "label_only" {
            lines.append("  scores   only (label_only: drops nothing); threshold \(Self.number(threshold)) on \(label)"
                + (c.granularity == "document" ? "" : "; below: each document's mean score over its \(unit)"))
        } else if let label = c.label, let threshold = c.threshold, let action = c.action {
            let verb = action == "remove" ? "removes" : "keeps"
            lines.append("  decides  \(verb) \(unit) whose \(label) score is at least \(Self.number(threshold))"
                + (c.granularity == "document" ? "" : "; below: each document's mean score over its \(unit)"))
        } else if let label = c.scoredLabel {
            lines.append("  scores   only (decides nothing); below: \(label), its label with the highest mean score")
        }
        guard !c.sources.isEmpty else {
            lines.append("  no document was scored")
            return lines.joined(separator: "\n")
        }
        for source in c.sources {
            lines.append("")
            lines.append(scoreSummary(source, classifier: c))
            lines.append(scoreHistogram(source, threshold: c.threshold))
        }
        return lines.joined(separator: "\n")
    }

    /// "web: 1,000 documents scored, p10 0.010, p50 0.200, p90 0.700", then on a line of its own
    /// "kept 800 (below 0.5) · removed 200 (0.5 or more)".
    private func scoreSummary(_ s: ScoreDistribution, classifier c: DatasetStatistics.Classifier) -> String {
        let percentiles = [("p10", s.p10), ("p50", s.p50), ("p90", s.p90)].compactMap { name, value in
            value.map { "\(name) \(Format.decimal($0, 3))" }
        }
        var out = "  \(s.source): \(Format.count(s.documents)) document\(s.documents == 1 ? "" : "s") scored"
            + percentiles.map { ", " + $0 }.joined()
        if let threshold = c.threshold, let above = s.atOrAboveThreshold, let below = s.belowThreshold {
            let t = Self.number(threshold)
            if c.granularity == "document", let action = c.action, action != "label_only" {
                let keeps = action == "keep"
                out += "\n    kept \(Format.count(keeps ? above : below)) (\(keeps ? "\(t) or more" : "below \(t)")) · "
                    + "removed \(Format.count(keeps ? below : above)) (\(keeps ? "below \(t)" : "\(t) or more"))"
            } else {
                out += "\n    \(c.granularity == "document" ? "score" : "mean score") \(t) or more: \(Format.count(above)) · "
                    + "below: \(Format.count(below))"
            }
        }
        return out
    }

    /// One bar per bin of 0.05, scaled to the largest, the bin holding the threshold marked after its bar.
    private func scoreHistogram(_ s: ScoreDistribution, threshold: Double?) -> String {
        let marked = threshold.map(ScoreDistribution.bin(of:))
        let marker = threshold.map { "◀ threshold \(Self.number($0))" } ?? ""
        let counts = s.bins.map(Format.count)
        let countWidth = counts.map(\.count).max() ?? 0
        // "    0.00–0.05  COUNT  BAR  MARKER", at most the terminal's width (and 100 columns).
        let barWidth = max(10, min(style.width, 100) - 4 - 9 - 2 - countWidth - 2 - (marker.isEmpty ? 0 : marker.count + 2))
        let largest = max(1, s.bins.max() ?? 1)
        return s.bins.enumerated().map { index, documents in
            // A bin with documents shows at least a sliver.
            let eighths = max(documents > 0 ? 1 : 0, documents * barWidth * 8 / largest)
            let bar = String(repeating: "█", count: eighths / 8)
                + (eighths % 8 > 0 ? String(["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]) : "")
            let range = Format.decimal(Double(index) / 20, 2) + "–" + Format.decimal(Double(index + 1) / 20, 2)
            let count = String(repeating: " ", count: countWidth - counts[index].count) + counts[index]
            var line = "    \(range)  \(count)  \(style.green(bar))"
            if index == marked {
                line += String(repeating: " ", count: barWidth - bar.count + 2) + style.yellow(marker)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// A threshold or score as written in a config: `0.5`, `0.018112`.
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    /// The build's warnings again, last, where a reader of the statistics ends.
    private var warningsSection: String {
        guard !stats.warnings.isEmpty else { return "" }
        return style.bold("warnings") + " of the build (table buildWarning)\n"
            + stats.warnings.map { "  " + style.yellow("warning: ") + $0 }.joined(separator: "\n")
    }

    private var trainingSection: String {
        guard !stats.trainingRuns.isEmpty else { return "" }
        var table = TextTable(["run", "status", "model", "parameters", "steps", "tokens", "first loss", "train loss",
                               "val loss", "tokens/s", "output"], rightAligned: [0, 3, 4, 5, 6, 7, 8, 9])
        for run in stats.trainingRuns {
            table.add([String(run.id) + (run.onEarlierBuild ? "*" : ""), run.status, run.model, Format.count(run.parameterCount), Format.count(run.steps),
                       Format.count(run.tokens), run.firstTrainLoss.map { Format.decimal($0, 3) } ?? "-",
                       run.finalTrainLoss.map { Format.decimal($0, 3) } ?? "-",
                       run.finalValLoss.map { Format.decimal($0, 3) } ?? "-",
                       run.tokensPerSecond.map { Format.count(Int($0)) } ?? "-", run.outputDir])
        }
        let earlier = stats.trainingRuns.contains { $0.onEarlierBuild }
            ? "* trained on an earlier build of this folder (the shards have since been rebuilt)\n" : ""
        return style.bold("training runs") + " on this data (per-step metrics: table trainingStep, OUT/metrics.csv)\n"
            + table.render() + earlier
    }

    /// A token's bytes as visible text: spaces as ·, line breaks as ↵, tabs as →; a token that is only
    /// part of a UTF-8 sequence as its bytes in hex (`<e3 81>`).
    public static func visible(_ bytes: [UInt8]) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return "<" + bytes.map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined(separator: " ") + ">"
        }
        return text.map { character -> String in
            switch character {
            case " ": return "·"
            case "\n": return "↵"
            case "\t": return "→"
            case "\r": return "␍"
            default: return String(character)
            }
        }.joined()
    }
}
