import GristShards
import GristTokenize

/// `grist stats` for a person: the run, the funnel per source and in total, removals by reason, the
/// mixture, the shards, length distributions with a histogram, and the most frequent tokens.
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
        [header, sourcesSection, funnelSection, removalsSection, shardsSection, filesSection, lengthsSection, languageSection,
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
