import Foundation
import GristClean
import GristCollect
import GristCore
import GristFilter

/// `grist filter`: the `clean:` and `filters:` sections of a pipeline run over one JSON Lines file,
/// with one decision per document, in input order, for debugging recipes and for scripts.
public struct FilterRun {
    /// The two sections `grist filter` reads; every other key of the file is ignored.
    struct Sections: Decodable {
        var clean: CleanConfig
        var filters: [DeferredConfig]

        enum CodingKeys: String, CodingKey { case clean, filters }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            clean = try c.decodeIfPresent(CleanConfig.self, forKey: .clean) ?? CleanConfig()
            filters = try c.decodeIfPresent([DeferredConfig].self, forKey: .filters) ?? []
        }
    }

    /// What a run saw.
    public struct Summary: Sendable {
        public var documents = 0
        public var kept = 0
        public var skippedRecords = 0
        /// CPU seconds spent in the rules alone (reading and writing excluded).
        public var ruleSeconds = 0.0
    }

    public let rules: [any DocumentRule]
    let stages: [String]

    /// Loads the rules of the pipeline file at `configPath`.
    public init(configPath: String) throws {
        let location = ConfigLocation(file: configPath, line: nil, path: "")
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw ConfigError("cannot read the file (does it exist?)", at: location)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError("the file is not valid UTF-8", at: location) }
        let sections = try ConfigDecoder().decode(Sections.self, from: text, file: configPath)
        try self.init(rules: BuildPlan.rules(clean: sections.clean, filters: sections.filters))
    }

    public init(rules: [any DocumentRule]) throws {
        self.rules = rules
        stages = BuildPlan.stageNames(rules)
    }

    /// Runs the rules over `inputPath` (JSON Lines, plain, `.gz` or `.zst`; `id` and `text`) and
    /// hands `write` one JSON line (with its newline) per document; with `showText`, the line also holds
    /// the text as the rules left it (cleaned and rewritten; as it was when a filter dropped it).
    public func run(inputPath: String, jsonl: JSONLReaderOptions = .init(), showText: Bool = false,
                    write: (ArraySlice<UInt8>) throws -> Void) throws -> Summary {
        var reader = try JSONLReader(path: inputPath, options: jsonl)
        var summary = Summary()
        var line: [UInt8] = []
        while let event = try reader.next() {
            switch event {
            case .skipped(let error):
                summary.skippedRecords += 1
                Console.warning("skipped \(error.description)")
            case .document(var document):
                summary.documents += 1
                let start = cpuSeconds()
                var dropped: String?
                for (index, rule) in rules.enumerated() {
                    if case .drop(let reason) = rule.apply(to: &document) {
                        dropped = "\(stages[index]):\(reason)"
                        break
                    }
                }
                summary.ruleSeconds += cpuSeconds() - start
                line.removeAll(keepingCapacity: true)
                line.append(contentsOf: Array(#"{"id": "#.utf8))
                DocumentJSON.appendString(document.id.utf8, to: &line)
                if let dropped {
                    line.append(contentsOf: Array(#", "keep": false, "reason": "#.utf8))
                    DocumentJSON.appendString(dropped.utf8, to: &line)
                } else {
                    summary.kept += 1
                    line.append(contentsOf: Array(#", "keep": true"#.utf8))
                }
                if showText {
                    line.append(contentsOf: Array(#", "text": "#.utf8))
                    DocumentJSON.appendString(document.text, to: &line)
                }
                line.append(contentsOf: [0x7D, 0x0A])
                try write(line[...])
            }
        }
        return summary
    }
}

/// Process CPU time in seconds.
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
