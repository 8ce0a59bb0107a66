import Foundation
import GristCore
import GristShards
import GristTokenize

/// The train and val shards of a `grist build` output folder, and the tokenizer they were made with.
///
/// With a manifest, the shards are those of its latest build (in order) and the tokenizer is the one it
/// records; without one, `shards/train_*.bin` and `shards/val_*.bin` in name order, tokenizer unknown.
public struct TrainingData {
    public var folder: String
    public var trainPaths: [String]
    public var valPaths: [String]
    public var tokenizer: TokenizerIdentity?
    /// The manifest's path, when the folder has one.
    public var manifestPath: String?
    /// Which build made the shards and what they hold (from the manifest; nil without one).
    public var identity: DataIdentity?

    /// The build a model learned from: its key and every shard's SHA-256, recorded in checkpoints so a
    /// resumed run notices when the shards under it changed.
    public struct DataIdentity: Sendable, Equatable, Codable {
        /// The manifest's `buildKey` (hashes the config, the inputs and every stage's settings).
        public var buildKey: String?
        /// Every shard of the build, in split and ordinal order.
        public var shards: [Shard]

        public struct Shard: Sendable, Equatable, Codable {
            /// The shard's path relative to the output folder (`shards/train_000000.bin`).
            public var path: String
            public var sha256: String

            public init(path: String, sha256: String) {
                self.path = path
                self.sha256 = sha256
            }
        }

        public init(buildKey: String?, shards: [Shard]) {
            self.buildKey = buildKey
            self.shards = shards
        }

        /// What differs between the shards `earlier` recorded and these, one phrase per shard
        /// (at most `limit`, then a count); empty when the shards are the same.
        public func differences(from earlier: DataIdentity, limit: Int = 4) -> [String] {
            let before = Dictionary(earlier.shards.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            let now = Dictionary(shards.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            var found: [String] = []
            for shard in shards {
                switch before[shard.path] {
                case nil: found.append("\(shard.path) is new")
                case let old? where old != shard.sha256:
                    found.append("\(shard.path) changed (SHA-256 \(old.prefix(12))… → \(shard.sha256.prefix(12))…)")
                default: break
                }
            }
            for shard in earlier.shards where now[shard.path] == nil { found.append("\(shard.path) is gone") }
            guard found.count > limit else { return found }
            return Array(found.prefix(limit)) + ["\(found.count - limit) more"]
        }
    }

    /// The tokenizer recorded for the shards (and, in a checkpoint, for the data the model learned).
    public struct TokenizerIdentity: Sendable, Equatable, Codable {
        public var name: String
        public var vocabularySize: Int
        public var endOfTextToken: Int
        public var fileSha256: String
        /// The vocabulary file to load, as an absolute path; nil for the bundled GPT-2 vocabulary (and in
        /// checkpoints written before it was recorded).
        public var file: String?

        /// The vocabulary itself, checked against what was recorded: `vocabulary` (a path, or `gpt2`) when
        /// given, else the recorded file, else GPT-2's.
        public func load(_ vocabulary: String? = nil) throws -> BPEVocabulary {
            let loaded: BPEVocabulary
            if let vocabulary {
                loaded = try BPEVocabulary.load(vocabulary)
            } else if let file {
                guard FileSystem.exists(file) else {
                    throw GristError(.usage, "the vocabulary \(name) the data was tokenized with is no longer at \(file)",
                                     hint: "give its file with --vocab")
                }
                loaded = try BPEVocabulary.load(file)
            } else {
                loaded = try BPEVocabulary.gpt2()
            }
            guard loaded.count == vocabularySize, loaded.endOfText.map(Int.init) == endOfTextToken else {
                throw GristError(.mismatch, "the vocabulary \(loaded.name) has \(NumberText.grouped(loaded.count)) tokens and <|endoftext|> "
                                 + "\(loaded.endOfText.map { String($0) } ?? "none"), but the data's tokenizer \(name) has "
                                 + "\(NumberText.grouped(vocabularySize)) tokens and <|endoftext|> \(endOfTextToken)",
                                 hint: vocabulary == nil ? nil : "give the vocabulary the build used")
            }
            return loaded
        }
    }

    public init(folder: String) throws {
        self.folder = folder
        let manifestFile = FileSystem.join(folder, Manifest.fileName)
        if FileSystem.exists(manifestFile) {
            let manifest = try Manifest.open(path: manifestFile)
            let run = try manifest.requiredLatestRun()
            let shards = try manifest.shards(runId: run.id)
            trainPaths = shards.filter { $0.split == .train }.map { FileSystem.join(folder, $0.path) }
            valPaths = shards.filter { $0.split == .val }.map { FileSystem.join(folder, $0.path) }
            tokenizer = try manifest.tokenizer(runId: run.id).map {
                TokenizerIdentity(name: $0.name, vocabularySize: $0.vocabularySize, endOfTextToken: $0.endOfTextToken,
                                  fileSha256: $0.fileSha256,
                                  file: BPEVocabulary.file(recorded: $0.filePath, outputFolder: folder).map(FileSystem.absolute))
            }
            manifestPath = manifestFile
            identity = DataIdentity(buildKey: try manifest.meta("buildKey"),
                                    shards: shards.map { DataIdentity.Shard(path: $0.path, sha256: $0.sha256) })
        } else {
            let shardFolder = FileSystem.join(folder, "shards")
            let names = FileSystem.contents(of: shardFolder).sorted()
            trainPaths = names.filter { $0.hasPrefix("train_") && $0.hasSuffix(".bin") }.map { FileSystem.join(shardFolder, $0) }
            valPaths = names.filter { $0.hasPrefix("val_") && $0.hasSuffix(".bin") }.map { FileSystem.join(shardFolder, $0) }
            tokenizer = nil
            manifestPath = nil
            identity = nil
        }
        if trainPaths.isEmpty {
            throw GristError(.usage, "no train shards found", at: InputPosition(path: folder),
                             hint: "point --data at the output folder of `grist build` (it holds manifest.sqlite and shards/)")
        }
    }

    /// The vocabulary the shards were tokenized with (GPT-2's when no manifest records one).
    public func vocabulary() throws -> BPEVocabulary {
        try tokenizer?.load() ?? BPEVocabulary.gpt2()
    }

    /// Refuses a model whose vocabulary does not match the shards' tokenizer, before the first step:
    /// by size, and by name when the model comes with a vocabulary of its own (`expectedTokenizer`: a
    /// pretrained GPT-2 reads GPT-2's ids).
    public func check(modelVocabularySize: Int, expectedTokenizer: String? = nil) throws {
        guard let tokenizer else { return }
        if let expectedTokenizer, tokenizer.name != expectedTokenizer {
            throw GristError(.mismatch, "the shards were tokenized with \"\(tokenizer.name)\", the model expects \"\(expectedTokenizer)\"",
                             at: manifestPath.map { InputPosition(path: $0) })
        }
        if tokenizer.vocabularySize != modelVocabularySize {
            throw GristError(.mismatch,
                             "the shards' tokenizer \(tokenizer.name) has \(NumberText.grouped(tokenizer.vocabularySize)) tokens but the model's vocabulary has \(NumberText.grouped(modelVocabularySize))",
                             at: manifestPath.map { InputPosition(path: $0) },
                             hint: "set the model's vocab_size to \(tokenizer.vocabularySize)")
        }
    }
}
