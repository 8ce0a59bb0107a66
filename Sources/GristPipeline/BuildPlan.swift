import Foundation
import GristClean
import GristCollect
import GristCore
import GristDedup
import GristFilter
import GristMix
import GristTokenize

/// A pipeline config resolved against the file system: the exact input files of each source,
/// the rules to run, the output folder. `grist validate` stops here; `grist build` runs it.
public struct BuildPlan: Sendable {
    public let loaded: LoadedConfig
    public let outputDirectory: String
    public let sources: [PlannedSource]
    /// The cleaner, then the filters in config order.
    public let rules: [any DocumentRule]
    /// The stage name of each rule: its name, made unique (`length`, `length#2`) when a rule repeats.
    public var ruleStages: [String] { Self.stageNames(rules) }

    /// Per source, the document metadata keys recorded in the manifest: its `metadata_fields` (as
    /// documents carry them), then what the rules write (`ruleMetadata`).
    public var recordedMetadata: [[String]] {
        let written = Self.ruleMetadata(rules)
        return sources.map { source in
            var keys = source.config.storedMetadataNames
            for key in written where !keys.contains(key) { keys.append(key) }
            return keys
        }
    }

    /// The metadata keys the rules write: a language filter's `language` and `language_score` (and
    /// GlotLID's `language_script`), then each classifier's label scores.
    static func ruleMetadata(_ rules: [any DocumentRule]) -> [String] {
        var keys: [String] = []
        for rule in rules {
            if let language = rule as? LanguageFilter {
                keys += ["language", "language_score"] + (language.options.backend == .glotlid ? ["language_script"] : [])
            }
            if let scoring = rule as? any ScoringRule { keys += scoring.scoreKeys.map(\.key) }
        }
        var unique: [String] = []
        for key in keys where !unique.contains(key) { unique.append(key) }
        return unique
    }

    /// The classifier rules, each with its stage name.
    public var classifiers: [(stage: String, rule: any ScoringRule)] {
        zip(ruleStages, rules).compactMap { stage, rule in (rule as? any ScoringRule).map { (stage, $0) } }
    }

    /// The metadata keys holding classifier scores, each with the stage and the label it scores: what the
    /// manifest's `documentScore` is made from.
    public var scoredMetadata: [ScoredMetadataKey] {
        classifiers.flatMap { stage, rule in
            rule.scoreKeys.map { ScoredMetadataKey(key: $0.key, stage: stage, label: $0.label) }
        }
    }

    /// The stage names of `rules`, as `ruleStages`.
    static func stageNames(_ rules: [any DocumentRule]) -> [String] {
        var stages: [String] = []
        for rule in rules {
            var name = rule.name
            var suffix = 2
            while stages.contains(name) {
                name = "\(rule.name)#\(suffix)"
                suffix += 1
            }
            stages.append(name)
        }
        return stages
    }

    /// Where the build's own stages come in the manifest's `stageCount` rows: the reader is position 0,
    /// the rules 1 through `rules.count`, then decontamination (when configured), dedup and mix.
    var decontaminationPosition: Int { rules.count + 1 }
    var dedupPosition: Int { rules.count + 1 + (decontamination == nil ? 0 : 1) }
    var mixPosition: Int { dedupPosition + 1 }

    /// Whether source `source` takes its val split by tokens (its own `val_tokens`, or the `mix` section's)
    /// rather than by `val_fraction`.
    func splitsByTokens(source: Int) -> Bool {
        config.sources[source].valTokens != nil || config.mix.valTokens != nil
    }

    /// The sources whose val split is taken by tokens, grouped as they share it: each source with its own
    /// `val_tokens`, then (with `mix.val_tokens`) every other source together.
    var valTokenPools: [ValTokenSplit.Pool] {
        var pools = config.sources.indices.compactMap { index in
            config.sources[index].valTokens.map { ValTokenSplit.Pool(sources: [index], tokens: $0) }
        }
        if let tokens = config.mix.valTokens {
            let rest = config.sources.indices.filter { config.sources[$0].valTokens == nil }
            if !rest.isEmpty { pools.append(ValTokenSplit.Pool(sources: rest, tokens: tokens)) }
        }
        return pools
    }

    /// The fields of the curated text's documents (`text:`), resolved against `recordedMetadata`; empty
    /// when the pipeline writes no text.
    public let textFields: [CuratedTextField]

    /// Indices in `rules` of the filters with `rejects: true`: the documents they drop are kept for audit.
    public let rejectingRules: Set<Int>
    /// The tokenizer's vocabulary, loaded and checked; nil when the build trains it (`tokenizer.train`).
    public let vocabulary: BPEVocabulary?
    /// The `decontaminate:` section with its eval sets read; nil without one.
    public let decontamination: Decontaminator?

    public var config: PipelineConfig { loaded.config }

    /// Resolves `loaded`; `outputOverride` (the `--output` flag) replaces the config's output folder.
    public init(_ loaded: LoadedConfig, outputOverride: String? = nil) throws {
        self.loaded = loaded
        let config = loaded.config
        outputDirectory = outputOverride ?? config.output.value
        sources = try config.sources.map { source in
            PlannedSource(config: source, files: try Self.resolve(source.paths, source: source))
        }
        rules = try Self.rules(clean: config.clean, filters: config.filters)
        let cleaners = rules.count - config.filters.count
        rejectingRules = Set(config.filters.indices.filter { config.filters[$0].rejects }.map { cleaners + $0 })
        vocabulary = try Self.loadVocabulary(config.tokenizer, configPath: loaded.path)
        textFields = try Self.curatedTextFields(config, ruleMetadata: Self.ruleMetadata(rules))
        try Self.checkScoreKeys(rules, stages: Self.stageNames(rules))
        dedupRankKey = try Self.dedupRankKey(config, rules: rules)
        let work = WorkLayout(output: outputDirectory).work
        earlierBuilds = try Self.earlierBuilds(config, output: outputDirectory)
        decontamination = try config.decontaminate.map { try Decontaminator($0, spillDirectory: work) }
    }

    /// The dedup indexes of the earlier builds of `dedup.against`, in list order, read and checked.
    public let earlierBuilds: [EarlierBuild]

    /// Reads the index of every `dedup.against` folder; a missing or unreadable one, one of a sketch
    /// shape this build cannot use, or the build's own output folder is an error at its line.
    static func earlierBuilds(_ config: PipelineConfig, output: String) throws -> [EarlierBuild] {
        guard config.dedup.isEnabled else {
            if let first = config.dedup.against.first {
                throw ConfigError("against needs deduplication: exact: true or a minhash section",
                                  at: first.location ?? ConfigLocation(file: config.output.location?.file ?? "<config>",
                                                                       line: nil, path: "dedup.against"))
            }
            return []
        }
        let settings = DedupSettings(config.dedup)
        var seen = Set<String>()
        func canonical(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        return try config.dedup.against.enumerated().map { position, entry in
            let location = entry.location ?? ConfigLocation(file: config.output.location?.file ?? "<config>", line: nil,
                                                            path: "dedup.against[\(position)]")
            let folder = entry.value
            func refuse(_ message: String) -> ConfigError { ConfigError("\(folder): " + message, at: location) }
            guard FileSystem.isDirectory(folder) else { throw refuse("no such output folder") }
            guard canonical(folder) != canonical(output) else {
                throw refuse("is this build's own output folder")
            }
            guard seen.insert(canonical(folder)).inserted else { throw refuse("is listed twice") }
            let index: DedupIndex.Stored
            do {
                index = try DedupIndex.Stored(path: FileSystem.join(folder, DedupIndex.folderName))
            } catch let error as GristError {
                throw refuse(error.message + (error.position.map { " (\($0.path))" } ?? ""))
            }
            if let mismatch = index.mismatch(with: settings) { throw refuse("its dedup index cannot be used: " + mismatch) }
            return EarlierBuild(path: folder, index: index)
        }
    }

    /// Under `dedup.minhash.keep: highest_quality` or `most_recent`, the metadata key whose value ranks a
    /// document (nil under the other rules).
    public let dedupRankKey: DedupRankKey?

    /// `most_recent`: its `date_key`, else `date`. `highest_quality`: its `quality_key`, else the deciding
    /// label of the first classifier filter.
    static func dedupRankKey(_ config: PipelineConfig, rules: [any DocumentRule]) throws -> DedupRankKey? {
        // the keep rule is minhash.keep, or url.keep without minhash (which then takes the default keys)
        let minhash = config.dedup.minhash
        let keep = config.dedup.keep
        // a key as a source's metadata_fields name it (`meta.date`) is stored by its last name
        if keep == .mostRecent {
            return DedupRankKey(rule: .mostRecent, key: MetadataFields.storedName(minhash?.dateKey ?? "date"))
        }
        guard keep == .highestQuality else { return nil }
        if let key = minhash?.qualityKey { return DedupRankKey(rule: .highestQuality, key: MetadataFields.storedName(key)) }
        for rule in rules {
            guard let scoring = rule as? any ScoringRule, let label = scoring.decision?.label,
                  let key = scoring.scoreKeys.first(where: { $0.label == label })?.key else { continue }
            return DedupRankKey(rule: .highestQuality, key: key)
        }
        throw ConfigError("keep: highest_quality needs a score: a fasttext_classifier filter with a label, or "
            + "quality_key naming a numeric metadata field (a source's metadata_fields)",
            at: ConfigLocation(file: config.output.location?.file ?? "<config>", line: nil,
                                 path: minhash == nil ? "dedup.url.keep" : "dedup.minhash.keep"))
    }

    /// Two classifiers writing the same metadata key (two models with the label `__label__hq`) would mix
    /// their scores: an error that says how to tell them apart.
    static func checkScoreKeys(_ rules: [any DocumentRule], stages: [String]) throws {
        var writer: [String: String] = [:]
        for (stage, rule) in zip(stages, rules) {
            guard let scoring = rule as? any ScoringRule else { continue }
            for (key, _) in scoring.scoreKeys {
                if let other = writer[key] {
                    throw GristError(.usage, "filters \(other) and \(stage) both write their score of \"\(key)\" "
                        + "into the document's metadata", hint: "give one a `metadata_prefix` (docs/config.md)")
                }
                writer[key] = stage
            }
        }
    }

    /// The curated text's fields, checked (`CuratedTextField.resolve`): each must be built in or a metadata
    /// key some source records or a rule writes (`ruleMetadata`). With `order: source`, two sources whose
    /// names give the same folder are an error too.
    static func curatedTextFields(_ config: PipelineConfig, ruleMetadata: [String]) throws -> [CuratedTextField] {
        guard let text = config.text else { return [] }
        var recorded: [String] = []
        for key in config.sources.flatMap(\.storedMetadataNames) + ruleMetadata
        where !recorded.contains(key) {
            recorded.append(key)
        }
        let fields = try CuratedTextField.resolve(text, recordedMetadata: recorded)
        if text.order == .source {
            var folders: [String: String] = [:]
            for source in config.sources {
                let folder = WorkLayout.fileSafe(source.name)
                if let other = folders[folder] {
                    throw ConfigError("sources \"\(other)\" and \"\(source.name)\" would both write their curated text "
                        + "to \(WorkLayout.curatedTextName)/\(folder)/ (text.order: source); rename one",
                        at: source.nameLocation ?? ConfigLocation(file: "<config>", line: nil, path: "sources"))
                }
                folders[folder] = source.name
            }
        }
        return fields
    }

    /// Loads the tokenizer's vocabulary (nil when the build trains one); a file that cannot be used is
    /// an error at its config line.
    static func loadVocabulary(_ tokenizer: TokenizerConfig, configPath: String) throws -> BPEVocabulary? {
        switch tokenizer.kind {
        case .gpt2:
            if tokenizer.train != nil { return nil }
            guard let (key, file) = [("ranks", tokenizer.ranks), ("vocab", tokenizer.vocab)]
                .first(where: { $0.1 != nil }).flatMap({ pair in pair.1.map { (pair.0, $0) } }) else {
                return try BPEVocabulary.gpt2()
            }
            let location = file.location ?? ConfigLocation(file: configPath, line: nil, path: "tokenizer.\(key)")
            guard FileSystem.exists(file.value) else {
                throw ConfigError("tokenizer \(key) file \"\(file.value)\" does not exist", at: location)
            }
            let vocabulary: BPEVocabulary
            do {
                vocabulary = key == "ranks" ? try BPEVocabulary(tiktokenFile: file.value) : try BPEVocabulary.load(file.value)
            } catch let error as GristError {
                throw ConfigError("tokenizer \(key) file is not usable: \(error)", at: location)
            }
            guard vocabulary.endOfText != nil else {
                throw ConfigError("the vocabulary has no <|endoftext|> token to separate documents", at: location)
            }
            return vocabulary
        }
    }

    /// The cleaners, then the filters, of a config's `clean:` and `filters:` sections.
    public static func rules(clean: CleanConfig, filters: [DeferredConfig]) throws -> [any DocumentRule] {
        try CleanerRegistry.rules(for: clean) + filters.map(FilterRegistry.make)
    }

    /// Every input file of a source, sorted, once; a pattern that gives no files is an error at its line.
    static func resolve(_ patterns: [Located<String>], source: SourceConfig) throws -> [InputFile] {
        var seen = Set<String>()
        var files: [InputFile] = []
        for pattern in patterns {
            let matches: [String]
            do {
                matches = try InputPaths.expand(pattern.value, source: source)
            } catch let error as GristError {
                throw ConfigError(error.message,
                                  at: pattern.location ?? ConfigLocation(file: "<config>", line: nil, path: "paths"))
            }
            for path in matches where seen.insert(path).inserted {
                files.append(InputFile(path: path, byteSize: FileSystem.size(path) ?? 0))
            }
        }
        return files
    }
}

/// A source and the files it resolved to.
public struct PlannedSource: Sendable {
    public let config: SourceConfig
    public let files: [InputFile]
}

/// One input file, as found when the plan was made.
public struct InputFile: Sendable, Equatable {
    public let path: String
    public let byteSize: Int
}

/// A metadata key that holds a classifier's score of one label.
public struct ScoredMetadataKey: Sendable, Equatable {
    public var key: String
    public var stage: String
    public var label: String
}

/// An earlier build a build deduplicates against (`dedup.against`): its folder as the config names it,
/// and its dedup index.
public struct EarlierBuild: Sendable {
    public let path: String
    public let index: DedupIndex.Stored
}

/// The metadata key a dedup keep rule ranks documents by, and how.
public struct DedupRankKey: Sendable, Equatable {
    public var rule: DedupKeepRule
    public var key: String

    /// The rank (lower wins) of a document whose value of `key` is `value`.
    func rank(_ value: String?) -> Int {
        rule == .mostRecent ? KeepRank.recency(value) : KeepRank.quality(value)
    }
}
