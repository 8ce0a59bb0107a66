import GristCollect
import GristCore
import GristDedup
import GristFilter
import GristShards
import GristTokenize
import Synchronization

/// A document as the scan left it: where it came from, what it became, and (if it passed every rule)
/// where its tokens are in the file's token spill.
struct ScannedDocument: Sendable {
    var ordinal: Int
    var line: Int
    var byteOffset: Int
    var externalId: String
    /// Bytes of the text after the last rule that saw it.
    var byteCount: Int
    /// Unicode scalars of the text of a document that passed every rule (else 0).
    var charCount = 0
    /// Set when the document passed every rule.
    var fingerprint: Fingerprint?
    /// Where its tokens are in the file's token spill (in tokens).
    var tokenOffset: Int
    var tokenCount: Int
    /// Where its cleaned text is in the file's text spill (in bytes; builds that train a tokenizer).
    var textOffset = 0
    /// The stage name of the rule that dropped it, and the rule's reason.
    var droppedStage: String?
    var droppedReason: String?
    /// Number in the file's dedup sketches (documents that passed every rule, in order), when dedup runs.
    var dedupIndex: Int?
    /// Whether it had a URL for URL deduplication (false when URL dedup is off).
    var hasURL = false
    /// The language a `language` filter labelled it with (its metadata's `language`), if any.
    var language: String?
    /// The metadata recorded in the manifest (the source's `metadata_fields`, a language filter's label
    /// and score), in key order.
    var metadata = DocumentMetadata()
    /// Its number among the pieces decontamination split its record into, else nil.
    var piece: Int?
    /// What decontamination found and did (on the first piece of a split record), if it matched.
    var contamination: ContaminationRecord?
}

/// What scanning one part of an input file produced (stored as the part's `result.bin`).
struct FileScan: Sendable {
    var documents: [ScannedDocument] = []
    var skipped: [GristError] = []
    /// Set when the file could not be read to its end, or (policy `fail`) at its first bad record.
    var failure: GristError?
    var tally = StageTally()
    /// Raw little-endian uint32 tokens of the documents that passed, back to back (or, when the build
    /// trains its tokenizer, their cleaned text: tokens come later, from `TokenizePhase`).
    var tokenFile: String
    var bytesRead = 0
    /// False when the scan stopped early because another worker failed under policy `fail`.
    var finished = true
    /// Documents written to the file's dedup sketches.
    var sketched = 0
    /// Under `dedup.paragraphs`: repeated units removed from this part's documents, and their bytes.
    var paragraphsRemoved = 0
    var paragraphBytesRemoved = 0
    /// Writing the dedup sketches failed (an I/O error: the build cannot go on).
    var sketchFailure: GristError?
    /// Of a part read by byte range: lines and records it consumed (to number the next part's).
    var linesRead = 0
    var recordsRead = 0
}

/// What one scanning thread owns: its encoder (none when the build trains its vocabulary after the
/// scan) and its dedup sketcher (scratch buffers, caches).
struct ScanState {
    var encoder: BPEEncoder?
    var sketcher: DocumentSketcher
    /// Nil when the build does not decontaminate.
    var matcher: ContaminationMatcher?
    /// The text of a document without its repeated paragraphs (reused).
    var paragraphScratch: [UInt8] = []
}

/// Under `dedup.paragraphs`: the table of repeated units and how the scan removes them (after the
/// cleaners, before the filters).
struct ParagraphRemoval: Sendable {
    let table: RepeatedParagraphTable
    let split: ParagraphSplit
    let minBytes: Int
    let keepFirst: Bool
    /// The rules before this index are the cleaners.
    let cleanerCount: Int

    /// The metadata keys a document with removed units carries (recorded in the manifest).
    static let countKey = "dedup_paragraphs_removed"
    static let fractionKey = "dedup_paragraph_fraction"
}

/// Where phase 1 leaves the dedup sketches, and with what settings.
struct DedupSpilling: Sendable {
    let settings: DedupSettings
    let folder: DedupWorkFolder
    /// Priority of each source under `keep: priority` (lower wins).
    let sourcePriority: [Int]
    /// Under `keep: highest_quality` or `most_recent`, the metadata key of each document's score or date
    /// (its rank is the priority).
    var rankKey: DedupRankKey? = nil
    /// Under URL dedup, the metadata key of each document's URL (as documents carry it: a dotted path's last name).
    var urlField: String? = nil
    /// Per source, whether its reader gives each document its `url` metadata (WARC, WET: the
    /// `WARC-Target-URI`), used when the document has no `urlField`.
    var recordURLs: [Bool] = []
}

/// A flag workers check between documents, raised when one of them fails under policy `fail`.
final class Cancellation: Sendable {
    private let cancelled = Mutex(false)

    var isCancelled: Bool { cancelled.withLock { $0 } }

    func cancel() { cancelled.withLock { $0 = true } }
}

extension FileScan {
    /// Documents the reader made (a record decontamination split into pieces counts once).
    var documentsRead: Int { documents.reduce(0) { $0 + (($1.piece ?? 0) == 0 ? 1 : 0) } }
}
