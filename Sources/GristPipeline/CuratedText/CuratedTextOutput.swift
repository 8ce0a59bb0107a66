import GristCore
import GristShards
import GristTokenize

/// Writes the files of a `CuratedTextPlan` into the staging area, in parallel (each file by one worker,
/// so its bytes never depend on how many there are), and returns their manifest rows.
///
/// A document's text is its tokens decoded: the scan stores every kept document's tokens (not its text),
/// and byte-level BPE gives back the exact bytes it encoded, so the text is the cleaned text that was
/// tokenized, byte for byte, at the cost of one table lookup per token, and a change of `text:` needs no
/// rescan (docs/formats.md).
struct CuratedTextOutput {
    let plan: CuratedTextPlan
    let config: CuratedTextConfig
    let fields: [CuratedTextField]
    let sourceNames: [String]
    /// The scan jobs' token spills (`CuratedTextPlan.Document.job` indexes them).
    let spills: [MappedFile]
    let vocabulary: BPEVocabulary
    /// The files' paths are relative to the output folder; they are written below this folder first.
    let stagingDirectory: String
    let workers: Int

    /// Writes every file; the rows are numbered from `firstId`, in plan order.
    func write(firstId: Int64) throws -> [ShardRecord] {
        let files = plan.files, config = config, fields = fields, sourceNames = sourceNames, spills = spills
        let vocabulary = vocabulary, staging = stagingDirectory
        for folder in Set(files.map { FileSystem.parent(of: FileSystem.join(staging, $0.path)) }).sorted() {
            try FileSystem.createDirectory(folder)
        }
        let results = Parallel.map(items: files.count, workers: workers, makeState: { [UInt8]() }) { index, text in
            Result {
                try Self.write(files[index], id: firstId + Int64(index), config: config, fields: fields,
                               sourceNames: sourceNames, spills: spills, vocabulary: vocabulary, staging: staging,
                               text: &text)
            }
        }
        return try results.map { try $0.get() }
    }

    private static func write(_ file: CuratedTextPlan.File, id: Int64, config: CuratedTextConfig,
                              fields: [CuratedTextField], sourceNames: [String], spills: [MappedFile],
                              vocabulary: BPEVocabulary, staging: String, text: inout [UInt8]) throws -> ShardRecord {
        let writer = try config.open(path: FileSystem.join(staging, file.path), fields: fields)
        var tokens = 0
        for document in file.documents {
            try decode(document, spills: spills, vocabulary: vocabulary, into: &text)
            let values: [CuratedTextValue?] = fields.map { field in
                switch field {
                case .id: .string(Array(document.id.utf8))
                case .text: .string(text)
                case .source: .string(Array(sourceNames[document.source].utf8))
                case .split: .string(Array(document.split.rawValue.utf8))
                case .tokens: .integer(document.tokenCount)
                case .metadata(let key): document.metadata[key].map { .string(Array($0.utf8)) }
                }
            }
            try writer.append(values)
            tokens += document.tokenCount
        }
        let (sha256, byteCount) = try writer.finish()
        return ShardRecord(id: id, path: file.path, split: file.split, ordinal: file.ordinal,
                           format: config.format.fileExtension, tokenCount: tokens, documentCount: file.documents.count,
                           byteSize: byteCount, sha256: sha256)
    }

    /// The document's text: its tokens, decoded.
    private static func decode(_ document: CuratedTextPlan.Document, spills: [MappedFile], vocabulary: BPEVocabulary,
                               into text: inout [UInt8]) throws {
        text.removeAll(keepingCapacity: true)
        let bytes = spills[document.job].bytes
        let start = document.tokenOffset * 4, end = start + document.tokenCount * 4
        guard end <= bytes.count else {
            throw GristError(.mismatch, "token spill is shorter than recorded", at: InputPosition(path: spills[document.job].path))
        }
        try UnsafeRawBufferPointer(rebasing: bytes[start..<end]).withMemoryRebound(to: UInt32.self) { tokens in
            for token in tokens where !vocabulary.append(token, to: &text) {
                throw GristError(.mismatch, "token \(token) of document \(document.id) is not in the vocabulary",
                                 at: InputPosition(path: spills[document.job].path))
            }
        }
    }
}
