import GristCore
import GristDedup
import GristShards

/// Every name in an output folder: what a build publishes, and its work area `OUTPUT/.grist/`.
///
/// The single source of those names: the stages, the output folder, `grist status` and the Slurm
/// tasks ask this type for a path and spell none themselves. It only computes paths; it never
/// touches the file system.
///
/// ```
/// OUTPUT/manifest.sqlite                        the published build (written last)
/// OUTPUT/shards/{train,val}_NNNNNN.bin          its token shards
/// OUTPUT/tokenizer.{tiktoken,json}              the vocabulary it trained (tokenizer.train)
/// OUTPUT/rejects/STAGE.jsonl.zst                what filters with `rejects: true` dropped
/// OUTPUT/{megatron,nanogpt}/SPLIT.*             the shards in other formats (`shards.formats`)
/// OUTPUT/dedup-index/                         the sketches of the documents it kept through dedup (docs/dedup.md)
/// OUTPUT/text/SPLIT-NNNNN.jsonl.zst             the curated text (`text:`; `order: source`: text/SOURCE/SPLIT-NNNNN…)
/// OUTPUT/.grist/lock                            held by the running build (a second one refuses)
/// OUTPUT/.grist/stages.txt                      each stage's name, key and work items, as planned
/// OUTPUT/.grist/inputs.txt                      size and time of every input, for "changed since"
/// OUTPUT/.grist/publishing                      marker of a publish in progress (finished by the next build)
/// OUTPUT/.grist/parts/UNIT/done                 scan stage: a unit's part count, written last
/// OUTPUT/.grist/parts/UNIT/part-N/              result.bin, tokens.u32 or text.bin, dedup/, rejects-STAGE.zst
/// OUTPUT/.grist/dedup/KEY/                      dedup stage: sketches, pairs (GristDedup's names), members.bin
/// OUTPUT/.grist/vocab/KEY/                      tokenizer and tokenize stages: trained.tiktoken,
///                                               tokens-N.u32 and tokens-N.loc per part
/// OUTPUT/.grist/staging/                        the next manifest, shards, vocabulary and rejects
/// OUTPUT/.grist/slurm/                          job scripts, logs and jobs.txt of a Slurm submission
/// ```
struct WorkLayout: Sendable, Equatable {
    /// The output folder.
    let output: String

    init(output: String) { self.output = output }

    // MARK: what a build publishes

    static let workName = ".grist"
    static let shardsName = "shards"
    /// The folder of the curated text (`text:`).
    static let curatedTextName = "text"
    /// The folders written besides llm.c's shards, each published and removed whole: the other formats
    /// (`shards.formats`) and the curated text.
    static let formatFolders = ["megatron", "nanogpt", curatedTextName]
    /// The dedup index of a deduplicating build (`dedup-index/`, GristDedup's `DedupIndex`).
    static let dedupIndexName = DedupIndex.folderName
    /// Every folder a build publishes and removes whole: the format folders and the dedup index.
    static let publishedFolders = formatFolders + [dedupIndexName]
    static let rejectsName = "rejects"
    /// File name (without extension) of a vocabulary the build trained.
    static let vocabularyName = "tokenizer"
    static var vocabularyFiles: [String] { [vocabularyName + ".tiktoken", vocabularyName + ".json"] }
    /// What the manifest's `tokenizer.filePath` says of a trained vocabulary.
    static var vocabularyManifestPath: String { vocabularyName + ".tiktoken" }
    /// The staging folder of earlier versions of Gristmill (removed when found).
    static let legacyStagingName = ".grist-build"

    var manifest: String { FileSystem.join(output, Manifest.fileName) }
    var shards: String { FileSystem.join(output, Self.shardsName) }
    var rejects: String { FileSystem.join(output, Self.rejectsName) }
    var dedupIndex: String { FileSystem.join(output, Self.dedupIndexName) }
    var dedupIndexDescription: String { FileSystem.join(dedupIndex, DedupIndex.descriptionName) }

    /// A shard's path relative to the output folder (as the manifest records it).
    static func shardPath(split: DataSplit, ordinal: Int) -> String {
        "\(shardsName)/\(split.rawValue)_\(zeroPadded(ordinal, 6)).bin"
    }

    /// A curated text file's path relative to the output folder: `text/SPLIT-NNNNN.EXT`, or with
    /// `order: source` `text/SOURCE/SPLIT-NNNNN.EXT` (the source's name made file-safe).
    static func curatedTextPath(source: String?, split: DataSplit, ordinal: Int, fileExtension: String) -> String {
        curatedTextName + "/" + (source.map { fileSafe($0) + "/" } ?? "")
            + "\(split.rawValue)-\(zeroPadded(ordinal, 5)).\(fileExtension)"
    }

    /// The published rejects file of a filter's stage (`length#2` → `length_2.jsonl.zst`).
    static func rejectsFileName(stage: String) -> String { fileSafe(stage) + ".jsonl.zst" }

    // MARK: the work area

    var work: String { FileSystem.join(output, Self.workName) }
    var lock: String { FileSystem.join(work, "lock") }
    var stageList: String { FileSystem.join(work, "stages.txt") }
    var inputList: String { FileSystem.join(work, "inputs.txt") }
    var publishingMarker: String { FileSystem.join(work, "publishing") }

    /// Scan stage: every unit's folder.
    var parts: String { FileSystem.join(work, "parts") }
    func unit(_ key: String) -> String { FileSystem.join(parts, key) }
    /// A unit's marker, written after its last part: the number of parts.
    static func unitDoneMarker(_ unitFolder: String) -> String { FileSystem.join(unitFolder, "done") }
    /// A part's identity in the work area (its path below `parts/`), independent of where the output is.
    func partId(_ part: PartLocation) -> String { String(part.folder.dropFirst(parts.count)) }

    /// Paragraph stage: one folder per key (per-unit hash spills, then the table of repeated units).
    var paragraphs: String { FileSystem.join(work, "paragraphs") }
    func paragraphs(_ key: String) -> String { FileSystem.join(paragraphs, key) }
    static func paragraphSpill(_ folder: String, unit: Int) -> String { FileSystem.join(folder, "unit-\(unit).hashes") }
    static func paragraphTable(_ folder: String) -> String { FileSystem.join(folder, "repeated.bin") }

    /// Dedup stage: one folder per key.
    var dedup: String { FileSystem.join(work, "dedup") }
    func dedup(_ key: String) -> DedupWorkFolder { DedupWorkFolder(path: FileSystem.join(dedup, key)) }
    /// The clusters of a finished deduplication, stored whole.
    static func dedupMembers(_ folder: DedupWorkFolder) -> String { FileSystem.join(folder.path, "members.bin") }

    /// Tokenizer and tokenize stages: one folder per key.
    var vocab: String { FileSystem.join(work, "vocab") }
    func vocabulary(_ key: String) -> VocabularyFolder { VocabularyFolder(path: FileSystem.join(vocab, key)) }

    /// The next build, until it is published.
    var staging: String { FileSystem.join(work, "staging") }
    var stagingManifest: String { FileSystem.join(staging, Manifest.fileName) }
    var stagingShards: String { FileSystem.join(staging, Self.shardsName) }
    var stagingRejects: String { FileSystem.join(staging, Self.rejectsName) }
    var stagingDedupIndex: String { FileSystem.join(staging, Self.dedupIndexName) }
    var legacyStaging: String { FileSystem.join(output, Self.legacyStagingName) }

    /// Slurm submissions: scripts and logs, and the jobs of the last one (`grist status` reads it).
    var slurm: String { FileSystem.join(work, "slurm") }
    var slurmJobs: String { FileSystem.join(slurm, "jobs.txt") }
    func slurmScript(_ job: String) -> String { FileSystem.join(slurm, "\(job).sbatch") }
    /// A job's log (`arrayTask` is Slurm's pattern for an array task's index, `%a`).
    func slurmLog(_ job: String, arrayTask: String? = nil) -> String {
        FileSystem.join(slurm, job + (arrayTask.map { "-" + $0 } ?? "") + ".log")
    }

    /// A stage name as a file name: letters, digits, `_` and `-` kept, anything else `_`.
    static func fileSafe(_ stage: String) -> String {
        String(stage.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
    }
}

/// Where one stored part of a scan unit keeps its files (`parts/UNIT/part-N/`).
struct PartLocation: Sendable {
    let folder: String

    init(unitFolder: String, index: Int) {
        folder = FileSystem.join(unitFolder, "part-" + zeroPadded(index, 6))
    }

    /// The same files in another folder (a part is written under a temporary name first).
    init(folder: String) { self.folder = folder }

    var result: String { FileSystem.join(folder, "result.bin") }
    /// Little-endian uint32 tokens of the part's documents, back to back.
    var tokens: String { FileSystem.join(folder, "tokens.u32") }
    /// Their cleaned text instead, when the build trains its vocabulary after the scan.
    var text: String { FileSystem.join(folder, "text.bin") }
    var dedup: DedupWorkFolder { DedupWorkFolder(path: FileSystem.join(folder, "dedup")) }
    /// The zstd frame of documents a filter with `rejects: true` dropped in this part.
    func rejects(stage: String) -> String { FileSystem.join(folder, "rejects-" + WorkLayout.fileSafe(stage) + ".zst") }
}

/// A trained vocabulary's work folder (`vocab/KEY/`): the vocabulary, and each part's tokens made with it.
struct VocabularyFolder: Sendable {
    let path: String

    /// The name `BPEVocabulary.save` gives the stored vocabulary's files (`trained.tiktoken`, `trained.json`).
    static let vocabularyName = "trained"
    var ranks: String { FileSystem.join(path, Self.vocabularyName + ".tiktoken") }
    /// Part `index`'s tokens (in canonical part order), and where each document's are (written last).
    func tokens(part index: Int) -> String { FileSystem.join(path, "tokens-\(zeroPadded(index, 6)).u32") }
    func tokenLocations(part index: Int) -> String { FileSystem.join(path, "tokens-\(zeroPadded(index, 6)).loc") }
}

/// `value` in decimal, left-padded with zeros to `width` digits.
private func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
