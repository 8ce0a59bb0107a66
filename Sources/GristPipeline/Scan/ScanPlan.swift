import GristCollect
import GristCore
import GristDedup

#if canImport(Glibc)
import Glibc
#endif

/// How a build's input files are cut into units of scan work, and the key of each unit's results.
///
/// A unit is a whole file, or one byte range of a large JSON Lines file, so one big file is read by
/// several workers at once: a plain file in ranges of `partBytes`; a gzip or zstd one in at most
/// `compressedUnits` ranges of its decompressed bytes (each worker decompresses from the start and skips
/// to its range, so more ranges would cost more than they gain; their size assumes 4x compression and
/// the last range takes the rest). A unit's results are stored in parts of about `partBytes` of input
/// each, by record offset, so a crash loses at most the part being written. The cut depends only on
/// the files and `partBytes`, never on the number of workers, so the output does not either.
///
/// A unit's key hashes everything its results depend on: the tool version, the source's reader
/// options, the cleaning and filters, the error policy, the tokenizer (or "text" when the build trains
/// one), the dedup sketch shape and the source's dedup priority, the file (path, size, modification
/// time) and its range, the SHA-256 of every file a rule reads (a blocklist), and the `decontaminate:`
/// section with the SHA-256 of its eval files. Results stored under a
/// key are reused as they are.
struct ScanPlan: Sendable {
    struct Unit: Sendable {
        var source: Int
        /// Index in `files`.
        var file: Int
        /// Byte range (of the decompressed bytes) of a JSON Lines or Parquet file read in pieces; nil for the
        /// whole file.
        var range: Range<Int>?
        var key: String
        /// What the unit's cleaned documents depend on (reader options, cleaning, the file and range):
        /// the paragraph stage's input.
        var readKey: String = ""
        /// Its place in `units` (canonical order): the file number of its paragraph positions.
        var number = 0
    }

    struct File: Sendable {
        var source: Int
        var input: InputFile
        /// Modification time in nanoseconds since the epoch.
        var modified: Int
    }

    let files: [File]
    let units: [Unit]
    let partBytes: Int
    /// Under `dedup.paragraphs`, the key of the repeated-paragraph table the scan removes by (a hash
    /// of its settings and every unit's read key); it is part of every unit's key.
    let paragraphKey: String?

    /// - Parameters:
    ///   - tokenizer: what the scan tokenizes with (`vocab:SHA256…`), or `text` when it spills text.
    ///   - dedup: the dedup settings, nil when the build does not deduplicate.
    ///   - priorities: each source's dedup priority.
    ///   - rankKey: the metadata key `keep: highest_quality` or `most_recent` ranks by.
    init(plan: BuildPlan, tokenizer: String, dedup: DedupSettings?, priorities: [Int], rankKey: DedupRankKey? = nil,
         partBytes: Int) throws {
        self.partBytes = partBytes
        let sections = ConfigSections(yaml: plan.loaded.text)
        // What the cleaned text depends on (the paragraph stage reads and cleans as the scan does).
        let cleaners = Array(plan.rules.prefix(plan.rules.count - plan.config.filters.count))
        let reading = ["clean=" + sections.section("clean"), "rule_files=" + (try Self.ruleFiles(cleaners)),
                       "on_error=" + plan.config.onError.rawValue]
        let shared = [
            "clean=" + sections.section("clean"),
            "filters=" + sections.section("filters"),
            "rule_files=" + (try Self.ruleFiles(plan.rules)),
            "on_error=" + plan.config.onError.rawValue,
            "tokenizer=" + tokenizer,
            "dedup=" + (dedup.map(Self.sketchShape) ?? "off"),
        ] + (rankKey.map { ["rank=\($0.rule.rawValue):\($0.key)"] } ?? [])
            + (try plan.decontamination.map { ["decontaminate=" + sections.section("decontaminate"),
                                               "eval_files=" + (try $0.fileKey())] } ?? [])
        var files: [File] = []
        var units: [Unit] = []
        for (sourceIndex, source) in plan.sources.enumerated() {
            // Its on_error limits are checked after the scan: changing them rescans nothing.
            let reader = sections.source(sourceIndex, excluding: ["name", "weight", "paths", "on_error"])
            for input in source.files {
                let modified = try Self.modificationTime(input.path)
                let fileIndex = files.count
                files.append(File(source: sourceIndex, input: input, modified: modified))
                let identity = ["reader=" + reader, "file=\(input.path)", "size=\(input.byteSize)",
                                "modified=\(modified)", "part_bytes=\(partBytes)"]
                var base = shared + identity + ["priority=\(priorities[sourceIndex])"]
                let read = reading + identity
                if Self.splits(source.config, input: input, partBytes: partBytes) {
                    for range in Self.ranges(input, partBytes: partBytes) {
                        base.append("range=\(range.lowerBound)-\(range.upperBound)")
                        units.append(Unit(source: sourceIndex, file: fileIndex, range: range, key: Self.key(base),
                                          readKey: Self.key(read + ["range=\(range.lowerBound)-\(range.upperBound)"])))
                        base.removeLast()
                    }
                } else {
                    units.append(Unit(source: sourceIndex, file: fileIndex, range: nil, key: Self.key(base),
                                      readKey: Self.key(read)))
                }
            }
        }
        self.files = files
        for index in units.indices { units[index].number = index }
        if let p = plan.config.dedup.paragraphs {
            let settings = "unit=\(p.unit.rawValue),min_count=\(p.minCount),keep=\(p.keep.rawValue),min_bytes=\(p.minBytes)"
            let key = Self.key(["paragraphs", settings] + units.map(\.readKey))
            paragraphKey = key
            // The scan removes by the table: its key is part of every unit's.
            for index in units.indices { units[index].key = Self.key([units[index].key, "paragraphs=" + key]) }
        } else {
            paragraphKey = nil
        }
        self.units = units
    }

    /// At most this many units read one compressed file.
    static let compressedUnits = 4

    /// Whether a file is read in byte ranges: JSON Lines or Parquet of more than one part (a compressed
    /// file by its expected decompressed size; bzip2 decompresses too slowly to skip through, so it is
    /// read whole). A Parquet range reads the row groups that start in it.
    static func splits(_ source: SourceConfig, input: InputFile, partBytes: Int) -> Bool {
        guard Readers.readsRanges(source.format), !input.path.hasSuffix(".bz2") else { return false }
        return (isCompressed(input.path) ? input.byteSize * expansion : input.byteSize) > partBytes
    }

    /// The compression ratio assumed for a compressed file's size (text usually compresses 3-5x).
    private static let expansion = 4

    /// The byte ranges of a file that `splits`: of the file itself when plain, of its decompressed bytes
    /// (the last one open-ended) when compressed.
    static func ranges(_ input: InputFile, partBytes: Int) -> [Range<Int>] {
        guard isCompressed(input.path) else {
            return stride(from: 0, to: input.byteSize, by: partBytes).map { $0..<min($0 + partBytes, input.byteSize) }
        }
        let expected = input.byteSize * expansion
        let count = min(compressedUnits, max(1, (expected + partBytes - 1) / partBytes))
        let size = (expected + count - 1) / count
        return (0..<count).map { k in k * size..<(k == count - 1 ? Int.max : (k + 1) * size) }
    }

    private static func isCompressed(_ path: String) -> Bool {
        [".gz", ".gzip", ".zst", ".zstd", ".bz2"].contains { path.hasSuffix($0) }
    }

    /// The files the rules read, each with the SHA-256 of its contents: editing a blocklist changes every
    /// unit's key, as editing the config would.
    static func ruleFiles(_ rules: [any DocumentRule]) throws -> String {
        try rules.flatMap(\.inputFiles).map { path in path + ":" + (try SHA256.hexDigest(ofFile: path)) }
            .joined(separator: ",")
    }

    private static func sketchShape(_ settings: DedupSettings) -> String {
        let minhash = settings.minhash.map { "ngram=\($0.ngram),bands=\($0.bands),rows=\($0.rows),seed=\($0.seed)" }
        let url = settings.url.map { "normalize=\($0.normalize),field=\($0.field)" }
        return "exact=\(settings.exact),minhash=\(minhash ?? "off")" + (url.map { ",url=" + $0 } ?? "")
    }

    /// The formats of the work files (part results, spills, dedup sketches). Bump `workFormat` when any
    /// of them changes: stage keys change with it, so an output left by an older grist is redone rather
    /// than misread.
    static let workFormat = "work=2,parts=\(PartResultFile.version)"

    /// A stage key: the first 32 hex digits of the SHA-256 of the lines.
    static func key(_ lines: [String]) -> String {
        let header = "grist/\(GristVersion.current) \(workFormat)"
        return String(SHA256.hex(of: Array(([header] + lines).joined(separator: "\n").utf8)).prefix(32))
    }

    static func modificationTime(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw GristError(.io, "cannot stat: \(errnoText())", at: InputPosition(path: path))
        }
        return Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
    }
}
