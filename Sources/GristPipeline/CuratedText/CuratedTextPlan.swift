import GristCore
import GristMix
import GristShards

/// Which documents the curated text holds, and in which files (`text:`).
///
/// Every unique document with a copy in the shards, once, however many copies the mix took: in the
/// order of each document's first copy in the shards (`order: shards`: the train shards, then val, each
/// in ordinal order) or in canonical order (`order: source`: sources in config order, files sorted,
/// records in file order; each source in a folder of its own). Train and val documents go to separate
/// files; the one document `val_tokens` cut in two is written once, whole, where its first copy is (its
/// head, in train; `split` says `both`). A file is closed before the document that would take its text
/// past `text.file_mb` (a longer document gets a file of its own). Everything here follows from the
/// selection and the shard layout, never from the number of workers.
struct CuratedTextPlan: Sendable {
    /// One document to write, with what its fields need.
    struct Document: Sendable {
        var id: String
        var source: Int
        /// The manifest's split: `train`, `val` or `both`.
        var split: DocumentRecord.Split
        /// Where its tokens are: scan job (whose token spill holds them), offset and count in tokens.
        var job: Int
        var tokenOffset: Int
        var tokenCount: Int
        /// Bytes of its cleaned text (what the file size bound counts).
        var byteCount: Int
        var metadata: DocumentMetadata
    }

    struct File: Sendable {
        /// Relative to the output folder (`WorkLayout.curatedTextPath`).
        var path: String
        var split: DataSplit
        /// Its number among the files of its split (and source, with `order: source`), from 0.
        var ordinal: Int
        var documents: [Document] = []
        var textBytes = 0
    }

    let files: [File]

    init(config: CuratedTextConfig, selection: Selection, layout: ShardLayout, sourceNames: [String]) {
        var groups: [(source: Int?, split: DataSplit, documents: [Document])] = []
        switch config.order {
        case .shards:
            // First copies, in shard order; layout.shards is train then val, each in ordinal order.
            var seen = Array(repeating: false, count: selection.entries.count)
            for split in DataSplit.allCases {
                var documents: [Document] = []
                for shard in layout.shards where shard.split == split {
                    for piece in shard.pieces where !seen[piece.document] {
                        seen[piece.document] = true
                        documents.append(Self.document(selection.entries[piece.document], in: selection))
                    }
                }
                groups.append((nil, split, documents))
            }
        case .source:
            var bySource = Array(repeating: [DataSplit: [Document]](), count: sourceNames.count)
            for entry in selection.entries where entry.copies > 0 {
                let document = Self.document(entry, in: selection)
                bySource[entry.source][Self.fileSplit(of: document.split), default: []].append(document)
            }
            for source in sourceNames.indices {
                for split in DataSplit.allCases { groups.append((source, split, bySource[source][split] ?? [])) }
            }
        }
        var files: [File] = []
        for group in groups {
            var current: File?
            var ordinal = 0
            for document in group.documents {
                if let file = current, file.textBytes + document.byteCount > config.fileBytes {
                    files.append(file)
                    current = nil
                    ordinal += 1
                }
                if current == nil {
                    current = File(path: WorkLayout.curatedTextPath(source: group.source.map { sourceNames[$0] },
                                                                     split: group.split, ordinal: ordinal,
                                                                     fileExtension: config.format.fileExtension),
                                   split: group.split, ordinal: ordinal)
                }
                current?.documents.append(document)
                current?.textBytes += document.byteCount
            }
            if let current { files.append(current) }
        }
        self.files = files
    }

    /// The files' split of a document: its own, and train for one cut between the splits (`both`: its
    /// head, where its first copy is).
    static func fileSplit(of split: DocumentRecord.Split) -> DataSplit { split == .val ? .val : .train }

    private static func document(_ entry: Selection.Entry, in selection: Selection) -> Document {
        let scanned = selection.document(entry)
        return Document(id: scanned.externalId, source: entry.source, split: selection.recordedSplit(entry) ?? .train,
                        job: entry.job, tokenOffset: scanned.tokenOffset, tokenCount: scanned.tokenCount,
                        byteCount: scanned.byteCount, metadata: scanned.metadata)
    }
}
