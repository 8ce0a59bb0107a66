import Foundation
import GristCore

/// The stored sketches of one build's kept documents (`OUTPUT/dedup-index/`), so that later builds can
/// deduplicate against it without reading its inputs again (`dedup.against`). Documented, with its
/// version history, in docs/dedup.md ("The dedup index of a build").
///
/// ```
/// dedup-index/index.json             what the index is: format, version, sketch shape, build, count (written last)
/// dedup-index/documents.jsonl        one line per indexed document, in index order: {"document", "source", "id"}
/// dedup-index/file-000000.docs       one 40-byte document record per indexed document (GristDedup's work format)
/// dedup-index/file-000000.shingles   their shingle sets (32-bit hashes), back to back (MinHash only)
/// dedup-index/file-000000.band-B     band B's key of every indexed document with shingles (MinHash only)
/// dedup-index/file-000000.done       the document count (as a work folder's marker)
/// ```
///
/// The sketch files are those of a dedup work folder's file 0, so a build links them into its own work
/// folder as extra leading files.
public enum DedupIndex {
    /// The folder's name in a build's output folder.
    public static let folderName = "dedup-index"
    public static let descriptionName = "index.json"
    public static let documentsName = "documents.jsonl"
    public static let format = "grist-dedup-index"
    /// The version this code writes and the only one it reads.
    public static let version = 1
    /// The normalization of the exact keys and shingles (docs/dedup.md, "How it works", step 1).
    public static let normalization = "datatrove-0.10.1-simplify_text"

    /// What `index.json` holds.
    public struct Description: Codable, Sendable, Equatable {
        public struct Shape: Codable, Sendable, Equatable {
            public var ngram: Int
            public var bands: Int
            public var rows: Int
            public var seed: UInt32
        }

        public var format: String
        public var version: Int
        /// The normalization of the texts before hashing.
        public var normalization: String
        /// Whether the build removed exact duplicates (exact keys are stored either way).
        public var exact: Bool
        /// The MinHash shape of the stored shingles and band keys; nil: exact keys only.
        public var minhash: Shape?
        /// The build's pipeline name and build key (the manifest's `meta.buildKey`).
        public var pipeline: String
        public var buildKey: String
        public var documents: Int

        public init(settings: DedupSettings, pipeline: String, buildKey: String, documents: Int) {
            format = DedupIndex.format
            version = DedupIndex.version
            normalization = DedupIndex.normalization
            exact = settings.exact
            minhash = settings.minhash.map { Shape(ngram: $0.ngram, bands: $0.bands, rows: $0.rows, seed: $0.seed) }
            self.pipeline = pipeline
            self.buildKey = buildKey
            self.documents = documents
        }

        /// The bytes of `index.json` (keys sorted, so the same index gives the same bytes).
        public func encoded() throws -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            return Array(try encoder.encode(self)) + [0x0A]
        }
    }

    /// One indexed document: its manifest id in its build, its source's name and its id.
    public struct Identity: Codable, Sendable, Equatable {
        public var document: Int64
        public var source: String
        public var id: String

        public init(document: Int64, source: String, id: String) {
            self.document = document
            self.source = source
            self.id = id
        }
    }

    /// An index read from a folder: its description and SHA-256 (for the stage keys of later builds).
    public struct Stored: Sendable {
        public let path: String
        public let description: Description
        public let sha256: String
        /// The sketch files, as a work folder whose file 0 they are.
        public var sketches: DedupWorkFolder { DedupWorkFolder(path: path) }

        /// Reads `index.json` of `path` (an index folder); refuses another format or version.
        public init(path: String) throws {
            self.path = path
            let file = FileSystem.join(path, DedupIndex.descriptionName)
            guard let data = try? MappedFile(path: file) else {
                throw GristError(.usage, "no dedup index: \(DedupIndex.descriptionName) is missing",
                                 at: InputPosition(path: path),
                                 hint: "build it with a dedup: section (Gristmill writes dedup-index/ with every deduplicating build)")
            }
            let bytes = [UInt8](data.bytes)
            let description: Description
            do {
                description = try JSONDecoder().decode(Description.self, from: Data(bytes))
            } catch {
                throw GristError(.badFormat, "not a dedup index description", at: InputPosition(path: file))
            }
            guard description.format == DedupIndex.format else {
                throw GristError(.badFormat, "format \"\(description.format)\" is not \(DedupIndex.format)",
                                 at: InputPosition(path: file))
            }
            guard description.version == DedupIndex.version else {
                throw GristError(.badFormat, "dedup index version \(description.version) cannot be read "
                    + "(this grist reads version \(DedupIndex.version))", at: InputPosition(path: file),
                                 hint: "rebuild that output folder with this grist")
            }
            guard DedupWorkFolder(path: path).finishedDocumentCount(0) == description.documents || description.documents == 0 else {
                throw GristError(.badFormat, "the index's sketch files do not hold \(description.documents) documents",
                                 at: InputPosition(path: path), hint: "rebuild that output folder")
            }
            self.description = description
            sha256 = SHA256.hex(of: bytes)
        }

        /// Why this index cannot be used by a deduplication with `settings`, or nil when it can.
        public func mismatch(with settings: DedupSettings) -> String? {
            if description.normalization != DedupIndex.normalization {
                return "its normalization is \(description.normalization), not \(DedupIndex.normalization)"
            }
            guard let shape = settings.minhash else { return nil }
            guard let stored = description.minhash else {
                return "it holds exact keys only, but this build's dedup has minhash"
            }
            let wanted = Description.Shape(ngram: shape.ngram, bands: shape.bands, rows: shape.rows, seed: shape.seed)
            guard stored == wanted else {
                return "its MinHash shape (ngram \(stored.ngram), bands \(stored.bands), rows \(stored.rows), "
                    + "seed \(stored.seed)) differs from this build's (ngram \(wanted.ngram), bands \(wanted.bands), "
                    + "rows \(wanted.rows), seed \(wanted.seed))"
            }
            return nil
        }

        /// The identities of the indexed documents numbered `wanted` (0-based, index order).
        public func identities(of wanted: Set<Int>) throws -> [Int: Identity] {
            guard !wanted.isEmpty else { return [:] }
            let file = FileSystem.join(path, DedupIndex.documentsName)
            let data = try MappedFile(path: file)
            var found: [Int: Identity] = [:]
            var line = 0, start = 0
            // Read in place from the mapping: only the wanted lines are decoded, nothing is copied whole.
            let bytes = data.bytes
            let decoder = JSONDecoder()
            for i in 0..<bytes.count where bytes[i] == 0x0A {
                if wanted.contains(line) {
                    let text = Data(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
                    guard let identity = try? decoder.decode(Identity.self, from: text) else {
                        throw GristError(.badFormat, "not a document identity", at: InputPosition(path: file, line: line + 1))
                    }
                    found[line] = identity
                }
                line += 1
                start = i + 1
            }
            guard found.count == wanted.count else {
                throw GristError(.badFormat, "holds \(line) documents, fewer than the index", at: InputPosition(path: file))
            }
            return found
        }
    }
}

/// Writes a build's dedup index into a folder (the staging area): the kept documents' sketches copied
/// from the parts' work files, in canonical order, their identities, then `index.json`.
public final class DedupIndexWriter {
    public let path: String
    private let settings: DedupSettings
    private let spill: DedupSpillWriter
    private let identities: BufferedFileWriter

    public init(path: String, settings: DedupSettings) throws {
        self.path = path
        self.settings = settings
        try FileSystem.remove(path)
        try FileSystem.createDirectory(path)
        spill = try DedupSpillWriter(folder: DedupWorkFolder(path: path), file: 0, bands: settings.bands)
        identities = try BufferedFileWriter(path: FileSystem.join(path, DedupIndex.documentsName))
    }

    /// Adds the documents numbered `kept` (ascending, local numbers) of file 0 of `part` (a part's own
    /// sketch folder), with their identities.
    public func add(from part: DedupWorkFolder, kept: [(local: Int, identity: DedupIndex.Identity)]) throws {
        guard !kept.isEmpty else { return }
        let documents = try RecordReader<SketchedDocument>(path: part.documentsPath(0), bufferBytes: 1 << 18)
        let shingles = settings.bands > 0 ? try RecordReader<UInt32>(path: part.shinglesPath(0), bufferBytes: 1 << 18) : nil
        let bands = try (0..<settings.bands).map {
            try RecordReader<BandRecord>(path: part.bandPath(0, band: $0), bufferBytes: 1 << 14)
        }
        var pending = try bands.map { try $0.next() }
        var next = 0
        var local = 0
        var sketch = DocumentSketch()
        while next < kept.count, let record = try documents.next() {
            defer { local += 1 }
            sketch.shingles.removeAll(keepingCapacity: true)
            for _ in 0..<Int(record.shingleCount) {
                guard let value = try shingles?.next() else { break }
                sketch.shingles.append(value)
            }
            sketch.bandKeys.removeAll(keepingCapacity: true)
            for band in bands.indices {
                if let band = pending[band], band.document == UInt32(local) { sketch.bandKeys.append(band.key) }
                while let record = pending[band], record.document <= UInt32(local) { pending[band] = try bands[band].next() }
            }
            guard kept[next].local == local else { continue }
            sketch.exactKey = ExactKey(high: record.exactHigh, low: record.exactLow)
            if sketch.bandKeys.count != bands.count { sketch.bandKeys = [] }
            try spill.add(sketch, byteCount: Int(record.byteCount), priority: Int(record.priority))
            let identity = kept[next].identity
            try identities.write(Array(("{\"document\": \(identity.document), \"source\": \(JSONText.quoted(identity.source)), "
                + "\"id\": \(JSONText.quoted(identity.id))}\n").utf8))
            next += 1
        }
        guard next == kept.count else {
            throw GristError(.badFormat, "the part's sketches hold fewer documents than its results",
                             at: InputPosition(path: part.path))
        }
    }

    /// Finishes the files; `index.json` comes last.
    public func finish(pipeline: String, buildKey: String) throws {
        let count = try spill.finish()
        try identities.close()
        let description = DedupIndex.Description(settings: settings, pipeline: pipeline, buildKey: buildKey,
                                                 documents: count)
        try AtomicFile.write(path: FileSystem.join(path, DedupIndex.descriptionName)) { try $0.write(try description.encoded()) }
    }
}

extension DedupWorkFolder {
    /// Links file 0 of an earlier build's index into this folder as file `number`, its documents pinned:
    /// each one's record gets the best rank under every keep rule (priority 0, the most bytes), so with
    /// ties going to the first document in canonical order, an indexed document always survives its
    /// cluster (it is published already). Shingles and bands are hard-linked; the records are rewritten.
    public func linkPinned(index: DedupIndex.Stored, as number: Int) throws {
        let source = index.sketches
        let prefix = source.name(0) + "."
        for entry in FileSystem.contents(of: source.path) where entry.hasPrefix(prefix) && !entry.hasSuffix(".docs") {
            try FileSystem.link(FileSystem.join(source.path, entry),
                                to: FileSystem.join(path, name(number) + "." + entry.dropFirst(prefix.count)))
        }
        let target = documentsPath(number)
        guard !FileSystem.exists(target) else { return }
        let reader = try RecordReader<SketchedDocument>(path: source.documentsPath(0), bufferBytes: 1 << 18)
        let temporary = target + ".partial-\(getpid())"
        let writer = try RecordWriter<SketchedDocument>(path: temporary, bufferBytes: 1 << 18)
        while var record = try reader.next() {
            record.priority = 0
            record.byteCount = UInt32.max
            try writer.append(record)
        }
        try writer.close()
        try Self.rename(temporary, to: target)
    }
}
