/// Settings of `action: remove_spans`.
public struct SpanRemovalOptions: Sendable, Hashable, Codable {
    /// Unicode scalars removed on each side of a matched span, clamped to the text (200, as GPT-3).
    public var window = 200
    /// A document with more matched spans than this is dropped as `too_contaminated` (10, as GPT-3).
    public var maxSplits = 10
    /// A document that would keep less than this share of its scalars is dropped as `too_contaminated`.
    public var minFraction = 0.5
    /// Pieces of fewer Unicode scalars than this are discarded (200, as GPT-3; 0 keeps every piece).
    public var minPieceScalars = 0

    public init(window: Int = 200, maxSplits: Int = 10, minFraction: Double = 0.5, minPieceScalars: Int = 0) {
        self.window = window
        self.maxSplits = maxSplits
        self.minFraction = minFraction
        self.minPieceScalars = minPieceScalars
    }
}

/// What happened to one document.
public enum ContaminationOutcome: Sendable, Equatable {
    /// No match.
    case clean
    /// Matches recorded, document kept whole (`action: report`).
    case reported
    /// Dropped: `reason` is `contaminated` (`action: drop`) or `too_contaminated` (`remove_spans`).
    case dropped(reason: String)
    /// `remove_spans`: the document split at the removed regions; `pieces` are the byte ranges kept
    /// (in order, none empty, only whitespace or shorter than `minPieceScalars`), `removed` the byte
    /// ranges taken out (each matched span with its window, overlapping ones merged).
    case split(pieces: [Range<Int>], removed: [Range<Int>])
}

/// What to do with a document that matched (the stage's `action:`).
public enum ContaminationAction: Sendable, Hashable {
    case removeSpans(SpanRemovalOptions)
    case drop
    case report

    public static let contaminated = "contaminated"
    public static let tooContaminated = "too_contaminated"

    /// The outcome for `text` with `matches` (from ``ContaminationMatcher``, in order). Pure.
    public func apply(text: [UInt8], matches: [ContaminationMatch]) -> ContaminationOutcome {
        text.withUnsafeBufferPointer { apply(text: $0, matches: matches) }
    }

    public func apply(text: UnsafeBufferPointer<UInt8>, matches: [ContaminationMatch]) -> ContaminationOutcome {
        if matches.isEmpty { return .clean }
        switch self {
        case .report: return .reported
        case .drop: return .dropped(reason: Self.contaminated)
        case .removeSpans(let options):
            if matches.count > options.maxSplits { return .dropped(reason: Self.tooContaminated) }
            let removed = Self.removedRegions(text: text, matches: matches, window: options.window)
            var pieces: [Range<Int>] = []
            var keptScalars = 0
            var cursor = 0
            for region in removed + [text.count..<text.count] {
                let piece = cursor..<region.lowerBound
                if !piece.isEmpty {
                    let scalars = UTF8Offsets.scalarCount(text, piece)
                    keptScalars += scalars
                    if scalars >= options.minPieceScalars, piece.contains(where: { !Self.isSpace(text[$0]) }) {
                        pieces.append(piece)
                    }
                }
                cursor = region.upperBound
            }
            let total = UTF8Offsets.scalarCount(text, 0..<text.count)
            if Double(keptScalars) < options.minFraction * Double(total) || pieces.isEmpty {
                return .dropped(reason: Self.tooContaminated)
            }
            return .split(pieces: pieces, removed: removed)
        }
    }

    /// Each match's bytes widened by `window` scalars on both sides (clamped), overlapping or touching
    /// regions merged.
    public static func removedRegions(text: UnsafeBufferPointer<UInt8>, matches: [ContaminationMatch],
                                      window: Int) -> [Range<Int>] {
        var regions: [Range<Int>] = []
        for match in matches {
            let lower = UTF8Offsets.back(text, from: match.bytes.lowerBound, scalars: window)
            let upper = UTF8Offsets.forward(text, from: match.bytes.upperBound, scalars: window)
            if let last = regions.last, lower <= last.upperBound {
                regions[regions.count - 1] = last.lowerBound..<max(last.upperBound, upper)
            } else {
                regions.append(lower..<upper)
            }
        }
        return regions
    }

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
}
