import ArgumentParser
import GristCollect
import GristCore
import GristReport
import GristShards
import GristTokenize

extension Grist {
    struct InspectCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Look at shards and the documents in them.",
            discussion: """
                grist inspect SHARD                 header, checksum, first documents decoded
                                                    (llm.c shards; Megatron .bin/.idx; nanoGPT .bin)
                grist inspect FILE.jsonl.zst        documents, fields, checksum, first documents
                grist inspect FILE.parquet          the same, for a Parquet file of documents
                                                    (the curated text, any JSON Lines file)
                grist inspect SHARD --min-tokens N  also says if it has fewer than N tokens
                grist inspect SHARD --tokens A:B    token ids and their text for tokens A..<B
                grist inspect OUTPUT --sample N     N random documents as they are in the shards
                grist inspect OUTPUT --find TEXT    which sources and documents contain TEXT
                grist inspect OUTPUT --duplicates   sample duplicate clusters, least to most similar
                grist inspect OUTPUT --rejects R    documents a filter with `rejects: true` dropped for reason R
                grist inspect OUTPUT --contamination SET
                                                    passages that matched eval set SET, beside its items
                """)

        @Argument(help: "A token shard (llm.c .bin, Megatron .bin/.idx, nanoGPT .bin), a curated text file (.jsonl.zst, .parquet), or the output folder of `grist build`.")
        var path: String

        @Option(help: "Shard: its format, llmc, megatron or nanogpt (default: from the file and its folder).")
        var format: String?

        @Option(name: .shortAndLong, help: "Shard: how many documents to decode.")
        var documents: Int = 3

        @Option(help: "Show at most this many characters of each document (0: all).")
        var maxChars: Int = 600

        @Option(help: "Shard: vocabulary to decode with: gpt2, a ranks file or a tokenizer.json (default: the build's).")
        var vocab: String?

        @Option(help: "Shard: show the token ids and text pieces of tokens A..<B (e.g. 0:40).")
        var tokens: String?

        @Option(help: """
            Shard: the fewest tokens a shard should hold; fewer is noted (default: 524289, what llm.c's \
            loader needs of every shard with its GPT-2 recipe, B·T·processes + 1 = 64·1024·8 + 1).
            """)
        var minTokens: Int?

        @Option(help: "Output folder: show this many random documents from the shards.")
        var sample: Int?

        @Option(help: "With --sample: only documents of this source.")
        var source: String?

        @Option(help: "With --sample: only documents of this split (train or val).")
        var split: String?

        @Option(help: "With --sample: the seed of the random choice.")
        var seed: UInt64 = 0

        @Option(help: "Output folder: list the sources and documents whose text contains this.")
        var find: String?

        @Flag(help: "Output folder: show sample duplicate clusters with each member's similarity.")
        var duplicates = false

        @Option(help: "Output folder: the passages that matched this eval set (decontaminate:), beside the eval items.")
        var contamination: String?

        @Option(name: .customLong("n"), help: "With --duplicates, --rejects or --contamination: how many to show.")
        var clusters: Int = 5

        @Option(help: "Output folder: documents dropped for this reason (`gopher_quality:short_doc`, or a filter name), from the filters with `rejects: true`.")
        var rejects: String?

        func validate() throws {
            guard documents >= 0 else { throw ValidationError("--documents must be 0 or more.") }
            guard maxChars >= 0 else { throw ValidationError("--max-chars must be 0 or more.") }
            if let sample, sample < 1 { throw ValidationError("--sample must be at least 1.") }
            if let split, DataSplit(rawValue: split) == nil { throw ValidationError("--split must be train or val.") }
            if let find, find.isEmpty { throw ValidationError("--find needs some text.") }
            guard clusters >= 0 else { throw ValidationError("--n must be 0 or more.") }
            if let minTokens, minTokens < 0 { throw ValidationError("--min-tokens must be 0 or more.") }
            if let format, !["llmc", "megatron", "nanogpt"].contains(format) {
                throw ValidationError("--format must be llmc, megatron or nanogpt.")
            }
        }

        func run() throws {
            if FileSystem.isDirectory(path) {
                let folder = try OutputFolderInspector(folder: path)
                if let rejects {
                    print(try folder.rejects(reason: rejects, count: clusters, maxChars: maxChars))
                } else if let contamination {
                    print(try folder.contamination(set: contamination, count: clusters, maxChars: maxChars))
                } else if duplicates {
                    print(try folder.duplicates(count: clusters))
                } else if let find {
                    print(try folder.find(find, maxChars: maxChars))
                } else {
                    print(try folder.sample(count: sample ?? 3, source: source, split: split.flatMap(DataSplit.init),
                                            seed: seed, maxChars: maxChars))
                }
                return
            }
            guard sample == nil, find == nil, !duplicates, rejects == nil, contamination == nil else {
                throw ValidationError("--sample, --find, --duplicates, --rejects and --contamination take an output "
                    + "folder, not a shard.")
            }
            if format == nil, CuratedTextInspector.handles(path) {
                guard tokens == nil, minTokens == nil, vocab == nil else {
                    throw ValidationError("--tokens, --min-tokens and --vocab read token files, not text files.")
                }
                print(try CuratedTextInspector(path: path).summary(documents: documents, maxChars: maxChars))
                return
            }
            if let format = TokenFileInspector.Kind.detect(path: path, format: format) {
                guard tokens == nil, minTokens == nil else {
                    throw ValidationError("--tokens and --min-tokens read llm.c shards, not \(format.name) files.")
                }
                print(try TokenFileInspector(path: path, format: format, vocab: vocab)
                    .summary(documents: documents, maxChars: maxChars))
                return
            }
            let inspector = try ShardInspector(path: path, vocab: vocab)
            if let tokens {
                let bounds = tokens.split(separator: ":").map { Int($0) }
                guard bounds.count == 2, let start = bounds[0], let end = bounds[1], start >= 0, start <= end else {
                    throw ValidationError("--tokens takes A:B with 0 ≤ A ≤ B, e.g. 0:40.")
                }
                print(try inspector.tokenTable(start..<end))
            } else {
                print(inspector.summary(documents: documents, maxChars: maxChars, minTokens: minTokens))
            }
        }
    }
}

/// Text of a document, cut to `maxChars` characters (0: all), with a note saying so.
func excerpt(_ bytes: [UInt8], maxChars: Int) -> (text: String, note: String) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard maxChars > 0, text.count > maxChars else { return (text, "") }
    return (String(text.prefix(maxChars)), " (first \(maxChars) characters of \(Format.count(text.count)))")
}

/// A shard on its own: header, checksum against its build's manifest, documents, tokens.
struct ShardInspector {
    let path: String
    let reader: ShardReader
    let manifest: Manifest?
    let vocabulary: BPEVocabulary
    let separator: UInt32

    /// - Parameter vocab: the vocabulary to decode with (`gpt2` or a file); by default the one the
    ///   build's manifest names, else GPT-2's.
    init(path: String, vocab: String? = nil) throws {
        self.path = path
        reader = try ShardReader(path: path)
        (manifest, vocabulary, separator) = try Self.context(of: path, vocab: vocab)
    }

    /// The manifest of the build a token file is in (if any), the vocabulary to decode with and its
    /// end-of-text token.
    static func context(of path: String, vocab: String?) throws -> (Manifest?, BPEVocabulary, UInt32) {
        let manifest = location(of: path).flatMap { try? Manifest.open(path: FileSystem.join($0.folder, Manifest.fileName)) }
        let vocabulary = try vocab.map { try BPEVocabulary.load($0) }
            ?? manifest.map(BuildVocabulary.load(for:)) ?? BPEVocabulary.gpt2()
        guard let separator = vocabulary.endOfText else {
            throw GristError(.badFormat, "the tokenizer has no end-of-text token")
        }
        return (manifest, vocabulary, separator)
    }

    /// What the build's manifest says of the file's checksum, if it lists it.
    static func checksumNote(manifest: Manifest?, path: String, sha256: String) -> String? {
        guard let manifest, let location = location(of: path),
              let recorded = try? manifest.recordedSHA256(ofShard: location.relative) else { return nil }
        let file = manifest.path
        return recorded == sha256 ? "checksum matches \(file)" : "CHECKSUM DIFFERS from \(file) (\(recorded.prefix(12)))"
    }

    /// The shard's path relative to its build folder (`shards/NAME.bin`) and that folder.
    static func location(of path: String) -> (folder: String, relative: String)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        let folder = parts.dropLast(2).joined(separator: "/")
        return (folder.isEmpty ? "." : folder, parts.suffix(2).joined(separator: "/"))
    }

    /// - Parameter minTokens: the fewest tokens the shard should hold (nil: llm.c's GPT-2 recipe's).
    func summary(documents: Int, maxChars: Int, minTokens: Int? = nil) -> String {
        let ranges = reader.documentRanges(separator: separator)
        let sha256 = reader.sha256()
        let width = reader.header.tokenWidth
        var lines = [
            path,
            "  format     llm.c token shard, magic \(width.magic), version \(width.version), "
                + "\(width == .uint16 ? "uint16" : "uint32") tokens",
            "  vocabulary \(vocabulary.name), \(Format.count(vocabulary.count)) tokens",
            "  tokens     \(Format.count(reader.tokenCount))",
            "  documents  \(Format.count(ranges.count)) (each starts with <|endoftext|> = \(separator))",
            "  size       \(Format.bytes(reader.byteCount)), sha256 \(sha256)",
        ]
        if let note = checksumNote(sha256: sha256) { lines.append("  manifest   \(note)") }
        if let note = sizeNote(minTokens: minTokens) { lines.append("  size note  \(note)") }
        for (index, range) in ranges.prefix(documents).enumerated() {
            let body = reader.tokens(range).drop { $0 == separator }
            let (text, note) = excerpt(vocabulary.decode(body), maxChars: maxChars)
            lines.append("")
            lines.append("--- document \(index + 1): tokens \(range.lowerBound)..<\(range.upperBound)\(note) ---")
            lines.append(text)
        }
        return lines.joined(separator: "\n")
    }

    func tokenTable(_ range: Range<Int>) throws -> String {
        guard range.upperBound <= reader.tokenCount else {
            throw GristError(.usage, "the shard has \(NumberText.grouped(reader.tokenCount)) tokens; \(range) is out of range",
                             at: InputPosition(path: path))
        }
        var table = TextTable(["position", "token", "text"], rightAligned: [0, 1])
        for (offset, token) in reader.tokens(range).enumerated() {
            let text = token == separator ? "<|endoftext|>" : StatisticsText.visible(vocabulary.tokenBytes(token) ?? [])
            table.add([String(range.lowerBound + offset), String(token), text])
        }
        return "\(path): tokens \(range.lowerBound)..<\(range.upperBound)\n" + table.render()
    }

    /// Says when the shard holds fewer tokens than `minTokens`, or by default than llm.c's loader needs of
    /// each shard with its GPT-2 recipe (`dataloader_init` asserts B·T·processes + 1 tokens per shard).
    func sizeNote(minTokens: Int?) -> String? {
        let count = reader.tokenCount
        if let minTokens {
            guard count < minTokens else { return nil }
            return "BELOW --min-tokens: \(Format.count(count)) tokens, fewer than \(Format.count(minTokens))"
        }
        let llmc = ShardsConfig.llmcGPT2MinTokens
        guard count < llmc else { return nil }
        return "BELOW llm.c's GPT-2 size: \(Format.count(count)) tokens, fewer than the \(Format.count(llmc)) "
            + "(B·T·processes + 1 = 64·1024·8 + 1) its loader asserts of every shard (shards.min_tokens sizes "
            + "a build's shards)"
    }

    private func checksumNote(sha256: String) -> String? {
        Self.checksumNote(manifest: manifest, path: path, sha256: sha256)
    }
}

/// A Megatron-LM indexed dataset (`PREFIX.bin` + `PREFIX.idx`) or a nanoGPT `.bin` (headerless uint16
/// tokens, each document followed by the separator): format, documents, tokens, checksums, the first
/// documents decoded.
struct TokenFileInspector {
    enum Kind {
        case megatron, nanogpt
        var name: String { self == .megatron ? "Megatron" : "nanoGPT" }

        /// Megatron for an `.idx`, or a `.bin` beside an `.idx` that starts with Megatron's magic;
        /// nanoGPT for a `.bin` in a `nanogpt/` folder (where builds write them) that does not start with
        /// an llm.c header, or any file when `format` says so; nil for an llm.c shard (or anything else,
        /// which the llm.c reader refuses). A headerless file cannot be told from others by its bytes.
        static func detect(path: String, format: String? = nil) -> Kind? {
            if format == "nanogpt" { return .nanogpt }
            if format == "llmc" { return nil }
            if format == "megatron" { return .megatron }
            let stem = String(path.dropLast(4))
            func isMegatronIndex(_ file: String) -> Bool {
                guard let mapped = try? MappedFile(path: file), mapped.count >= 9 else { return false }
                return Array(mapped.bytes[0..<9]) == MegatronDataset.magic
            }
            if path.hasSuffix(".idx") { return isMegatronIndex(path) ? .megatron : nil }
            guard path.hasSuffix(".bin"), !FileSystem.isDirectory(path) else { return nil }
            if isMegatronIndex(stem + ".idx") { return .megatron }
            guard let mapped = try? MappedFile(path: path) else { return nil }
            if mapped.count >= ShardHeader.byteCount,
               (try? ShardHeader(parsing: mapped.bytes, path: path, fileSize: mapped.count)) != nil {
                return nil
            }
            let inNanoGPTFolder = FileSystem.parent(of: path).split(separator: "/").last == "nanogpt"
            return mapped.count % 2 == 0 && inNanoGPTFolder ? .nanogpt : nil
        }
    }

    let path: String
    let format: Kind
    let manifest: Manifest?
    let vocabulary: BPEVocabulary
    let separator: UInt32

    init(path: String, format: Kind, vocab: String?) throws {
        self.path = path
        self.format = format
        (manifest, vocabulary, separator) = try ShardInspector.context(of: path, vocab: vocab)
    }

    func summary(documents count: Int, maxChars: Int) throws -> String {
        var lines = [path]
        var documents: [[UInt32]] = []
        var files: [String] = []
        switch format {
        case .megatron:
            let reader = try MegatronDataset.Reader(path: path)
            let stem = String(path.dropLast(4))
            files = [stem + ".bin", stem + ".idx"]
            lines += [
                "  format     Megatron-LM indexed dataset (MMIDIDX version 1), dtype \(reader.dtype.name) "
                    + "(code \(reader.dtype.rawValue))",
                "  vocabulary \(vocabulary.name), \(Format.count(vocabulary.count)) tokens",
                "  tokens     \(Format.count(reader.tokenCount))",
                "  documents  \(Format.count(reader.documentCount)) in \(Format.count(reader.sequenceCount)) sequences "
                    + "(each ends with <|endoftext|> = \(separator))",
            ]
            documents = (0..<min(count, reader.sequenceCount)).map { reader.sequence($0) }
        case .nanogpt:
            let file = try MappedFile(path: path)
            files = [path]
            let tokens = file.count / 2
            func token(_ i: Int) -> UInt32 {
                UInt32(UInt16(littleEndian: file.bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
            var total = 0, current: [UInt32] = []
            for i in 0..<tokens {
                let t = token(i)
                if documents.count < count { current.append(t) }
                if t == separator {
                    total += 1
                    if documents.count < count { documents.append(current) }
                    current = []
                }
            }
            if !current.isEmpty, documents.count < count { documents.append(current) }
            lines += [
                "  format     nanoGPT token file (headerless uint16)",
                "  vocabulary \(vocabulary.name), \(Format.count(vocabulary.count)) tokens",
                "  tokens     \(Format.count(tokens))",
                "  documents  \(Format.count(total)) (each ends with <|endoftext|> = \(separator))",
            ]
        }
        for file in files {
            let mapped = try MappedFile(path: file)
            let sha256 = hexString(SHA256.digest(mapped.bytes))
            lines.append("  file       \(file): \(Format.bytes(mapped.count)), sha256 \(sha256)")
            if let note = ShardInspector.checksumNote(manifest: manifest, path: file, sha256: sha256) {
                lines.append("  manifest   \(note)")
            }
        }
        for (index, document) in documents.enumerated() {
            let body = document.last == separator ? Array(document.dropLast()) : document
            let (text, note) = excerpt(vocabulary.decode(body), maxChars: maxChars)
            lines.append("")
            lines.append("--- document \(index + 1): \(Format.count(document.count)) tokens\(note) ---")
            lines.append(text)
        }
        return lines.joined(separator: "\n")
    }
}

/// An output folder: random documents and text search, printed for a person.
struct OutputFolderInspector {
    let browser: DocumentBrowser

    init(folder: String) throws { browser = try DocumentBrowser(folder: folder) }

    func sample(count: Int, source: String?, split: DataSplit?, seed: UInt64, maxChars: Int) throws -> String {
        if let source, try !browser.sourceNames().contains(source) {
            throw GristError(.usage, "no source named \"\(source)\" (sources: \(try browser.sourceNames().joined(separator: ", ")))")
        }
        let placements = try browser.sample(count: count, source: source, split: split, seed: seed)
        guard !placements.isEmpty else { return "no documents match" }
        let classifiers = try browser.manifest.latestRun().map { try browser.manifest.classifiers(runId: $0.id) } ?? []
        var lines: [String] = []
        for (index, p) in placements.enumerated() {
            let (text, note) = excerpt(try browser.text(of: p), maxChars: maxChars)
            if index > 0 { lines.append("") }
            lines.append("--- \(index + 1)/\(placements.count): \(p.source) · \(p.externalId) · \(p.split)\(note) ---")
            lines.append("from \(p.inputPath):\(p.line) (byte \(p.byteOffset)); in \(p.shardPath) at token "
                + "\(p.tokenOffset), \(Format.count(p.tokenCount - 1)) tokens")
            lines += try labels(documentId: p.documentId, classifiers: classifiers)
            lines.append(text)
        }
        return lines.joined(separator: "\n")
    }

    /// A document's labels from the manifest: its language (`document.language`, `languageScore`), each
    /// classifier's scores (`documentScore`: the deciding label first with its threshold, then the three
    /// highest), and the rest of its metadata (`documentMetadata`, less what the lines before show).
    func labels(documentId: Int, classifiers: [ClassifierRecord]) throws -> [String] {
        var lines: [String] = []
        var shownKeys: Set<String> = []
        if let language = try browser.manifest.documentLanguage(documentId: documentId) {
            lines.append("language: \(language.language)"
                + (language.score.map { " · language_score: " + Format.decimal($0, 4) } ?? ""))
            shownKeys = ["language", "language_score"]
        }
        let scores = try browser.manifest.documentScores(documentId: documentId)
        var stages: [String] = []
        for score in scores where !stages.contains(score.stage) { stages.append(score.stage) }
        for stage in stages {
            let own = scores.filter { $0.stage == stage }
            let decision = classifiers.first { $0.stage == stage }
            var parts: [String] = []
            if let label = decision?.label, let threshold = decision?.threshold, let action = decision?.action,
               let score = own.first(where: { $0.label == label }) {
                let above = score.score >= threshold
                let verdict = (action == "keep") == above ? "keep" : "remove"
                parts.append("\(label) \(Format.decimal(score.score, 4)) (\(above ? "≥" : "<") \(StatisticsText.number(threshold)): "
                    + "\(verdict)\(decision?.granularity == "document" ? "" : ", as a mean of \(decision?.granularity ?? "")s"))")
            }
            let others = own.filter { $0.label != decision?.label }
            parts += others.prefix(3).map { "\($0.label) \(Format.decimal($0.score, 4))" }
            if others.count > 3 { parts.append("\(others.count - 3) more labels") }
            lines.append("\(stage): " + parts.joined(separator: " · "))
        }
        // The metadata keys the scores came from (a classifier's metadata_prefix + label).
        let metadata = try browser.manifest.documentMetadata(documentId: documentId).filter { entry in
            !shownKeys.contains(entry.key)
                && !scores.contains { entry.key.hasSuffix($0.label) && Double(entry.value) == $0.score }
        }
        if !metadata.isEmpty { lines.append(metadata.map { "\($0.key): \($0.value)" }.joined(separator: " · ")) }
        return lines
    }

    /// The first `count` passages that matched eval set `set`, each beside the eval item it matched.
    func contamination(set: String, count: Int, maxChars: Int) throws -> String {
        let names = try browser.manifest.evalSetNames()
        guard names.contains(set) else {
            throw GristError(.usage, names.isEmpty ? "this build did not decontaminate"
                                                   : "no eval set \"\(set)\" in this build",
                             at: InputPosition(path: browser.folder),
                             hint: names.isEmpty ? "add a decontaminate: section (docs/decontamination.md)"
                                                 : "its eval sets: " + names.joined(separator: ", "))
        }
        let summary = try browser.manifest.contaminationSummaries().first { $0.name == set }
        // One more than shown says whether there are more.
        var matches = try browser.manifest.contaminationMatches(set: set, limit: count + 1)
        let more = matches.count > count
        matches = Array(matches.prefix(count))
        var lines = ["\(browser.folder): eval set \(set): \(Format.count(summary?.itemsHit ?? 0)) of "
            + "\(Format.count(summary?.items ?? 0)) items matched in \(Format.count(summary?.documents ?? 0)) "
            + ((summary?.documents ?? 0) == 1 ? "document " : "documents ")
            + "(\(Format.count(summary?.split ?? 0)) split, \(Format.count(summary?.dropped ?? 0)) dropped, "
            + "\(Format.count(summary?.reported ?? 0)) reported)"]
        if more {
            lines.append("showing the first \(matches.count) matches")
        }
        for m in matches {
            lines.append("")
            lines.append("--- document \(m.documentId) · \(m.externalId) · \(m.inputPath):\(m.line) · \(m.outcome) · "
                + "characters \(m.chars.lowerBound)..<\(m.chars.upperBound), \(m.ngrams) n-grams ---")
            lines.append("passage:   " + excerpt(Array(m.passage.utf8), maxChars: maxChars).text
                .replacingOccurrences(of: "\n", with: "\n           "))
            lines.append("eval item: \(m.itemId)")
            lines.append("           " + excerpt(Array(m.itemText.utf8), maxChars: maxChars).text
                .replacingOccurrences(of: "\n", with: "\n           "))
        }
        return lines.joined(separator: "\n")
    }

    /// Sample clusters from the build's manifest, spread from the least to the most similar.
    func duplicates(count: Int) throws -> String {
        let report = try DuplicateClusters.load(from: browser.manifest, count: count)
        var lines = ["\(browser.folder): \(Format.count(report.total)) duplicate clusters (\(Format.count(report.exactOnly)) "
            + "of exact duplicates only)"]
        // dedup.against: documents whose survivor is in an earlier build (no clusters of this manifest).
        for build in try browser.manifest.earlierDuplicateCounts() {
            lines.append("and \(Format.count(build.exactDuplicates + build.nearDuplicates)) documents dropped as duplicates of "
                + "earlier build \(build.pipeline) (\(build.path)): \(Format.count(build.exactDuplicates)) exact, "
                + "\(Format.count(build.nearDuplicates)) near (each with the document kept: table earlierDuplicate)")
        }
        if report.total > report.sample.count {
            lines.append("showing \(report.sample.count), spread from the least to the most similar")
        }
        for cluster in report.sample {
            lines.append("")
            lines.append("--- cluster \(cluster.id): \(cluster.size) documents, lowest similarity "
                + "\(Format.decimal(cluster.minSimilarity, 3))\(cluster.exactOnly ? " (exact)" : "") ---")
            var table = TextTable(["", "similarity", "source", "document", "input", "bytes"], rightAligned: [1, 5])
            for member in cluster.members {
                let kind = switch member.reason {
                case nil: "kept"
                case BuildDropReason.exactDuplicate.rawValue?: "exact"
                case BuildDropReason.urlDuplicate.rawValue?: "url"
                default: "near"
                }
                table.add([kind,
                           Format.decimal(member.similarity, 3), member.source, member.externalId,
                           "\(member.path):\(member.line)", Format.count(member.byteCount)])
            }
            lines.append(table.render())
            if cluster.size > cluster.members.count { lines.append("  … and \(cluster.size - cluster.members.count) more") }
        }
        return lines.joined(separator: "\n")
    }

    /// The first `count` documents dropped for `reason` (a full `filter:reason`, or a filter name) by the
    /// filters that keep what they drop (`rejects: true`), and how many there are.
    func rejects(reason: String, count: Int, maxChars: Int) throws -> String {
        let folder = FileSystem.join(browser.folder, "rejects")
        let files = FileSystem.contents(of: folder).filter { $0.hasSuffix(".jsonl.zst") }
        guard !files.isEmpty else {
            throw GristError(.usage, "this build kept no rejected documents", at: InputPosition(path: folder),
                             hint: "add `rejects: true` to a filter's options and build again")
        }
        // Dotted paths are stored by their last name: metadata.reason as reason.
        let fields = ["metadata.reason", "metadata.source", "metadata.file", "metadata.offset", "metadata.url"]
        var shown: [String] = [], total = 0, reasons: [String: Int] = [:]
        for file in files {
            var reader = try JSONLReader(path: FileSystem.join(folder, file),
                                         options: JSONLReaderOptions().with { $0.metadataFields = fields })
            while let event = try reader.next() {
                guard case .document(let document) = event, let found = document.metadata["reason"] else { continue }
                reasons[found, default: 0] += 1
                guard found == reason || found.hasPrefix(reason + ":") else { continue }
                total += 1
                guard shown.count < count else { continue }
                let (text, note) = excerpt(document.text, maxChars: maxChars)
                let url = document.metadata["url"].map { " · \($0)" } ?? ""
                shown.append("--- \(found) · \(document.metadata["source"] ?? "") · \(document.id)\(note) ---\n"
                    + "from \(document.metadata["file"] ?? ""), byte \(document.metadata["offset"] ?? "?")\(url)\n"
                    + text)
            }
        }
        guard total > 0 else {
            let known = reasons.keys.sorted().map { "\($0) (\(Format.count(reasons[$0] ?? 0)))" }.joined(separator: ", ")
            throw GristError(.usage, "no rejected document has reason \"\(reason)\"", hint: "kept reasons: \(known)")
        }
        return "\(Format.count(total)) documents dropped for \(reason); the first \(shown.count):\n\n"
            + shown.joined(separator: "\n\n")
    }

    func find(_ phrase: String, maxChars: Int) throws -> String {
        let matches = try browser.find(phrase)
        guard !matches.isEmpty else { return "\"\(phrase)\" is in no document of the shards" }
        var bySource: [String: (documents: Int, occurrences: Int)] = [:]
        for match in matches {
            bySource[match.placement.source, default: (0, 0)].documents += 1
            bySource[match.placement.source, default: (0, 0)].occurrences += match.occurrences
        }
        var summary = TextTable(["source", "documents", "occurrences"], rightAligned: [1, 2])
        for name in try browser.sourceNames() where bySource[name] != nil {
            summary.add([name, Format.count(bySource[name]?.documents ?? 0), Format.count(bySource[name]?.occurrences ?? 0)])
        }
        var documents = TextTable(["source", "document", "split", "occurrences", "input"], rightAligned: [3])
        for match in matches.prefix(50) {
            let p = match.placement
            documents.add([p.source, p.externalId, p.split, Format.count(match.occurrences), "\(p.inputPath):\(p.line)"])
        }
        var out = "\"\(phrase)\" is in \(Format.count(matches.count)) documents\n" + summary.render() + "\n\n"
            + documents.render()
        if matches.count > 50 { out += "\n  … and \(matches.count - 50) more" }
        return out
    }
}
