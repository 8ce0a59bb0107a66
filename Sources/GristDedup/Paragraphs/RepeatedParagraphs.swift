import GristCore

/// Paragraph (or line) deduplication across a corpus: every unit of text is hashed where it occurs
/// (`ParagraphSpillWriter`, one file per scan unit), the hashes of all files are sorted together
/// (`RepeatedParagraphs.build`, an external sort), and the units that occur at least `min_count` times
/// are kept with the canonical position of their first occurrence (`RepeatedParagraphTable`). A later
/// pass removes them from each document (`RepeatedParagraphTable.remove`): every occurrence but the
/// first (`keep: first`, as Dolma's paragraph dedup does in its processing order, here in canonical
/// order), or every occurrence (`keep: none`).
///
/// A position is (file, document, unit index): the scan unit's number in canonical order, the
/// document's number among the documents its reader gave in that scan unit, and the unit's number in
/// the document's text. Both passes read the same documents through the same cleaning, so the
/// positions agree, for any number of workers.
public enum ParagraphSplit: Sendable, Equatable {
    /// Runs of non-blank lines, separated by blank lines (whitespace only).
    case paragraph
    /// Each non-blank line.
    case line

    /// Calls `body(content, span)` for each unit of `text`, in order: `content` is the unit without
    /// surrounding ASCII whitespace (what is hashed), `span` what removing it removes (the unit and the
    /// line breaks and blank lines after it, up to the next unit). Blank text is no unit.
    public func forEachUnit(_ text: UnsafeRawBufferPointer, _ body: (Range<Int>, Range<Int>) throws -> Void) rethrows {
        let count = text.count
        var unitStart: Int? = nil
        var contentEnd = 0
        var lineStart = 0
        while lineStart < count {
            var lineEnd = lineStart
            while lineEnd < count, text[lineEnd] != 0x0A { lineEnd += 1 }
            var first = lineStart, last = lineEnd
            while first < last, Self.isSpace(text[first]) { first += 1 }
            while last > first, Self.isSpace(text[last - 1]) { last -= 1 }
            let blank = first == last
            switch self {
            case .line:
                if !blank {
                    // The span runs to the next non-blank line (blank lines after a removed line go with it).
                    let next = Self.nextNonBlankLine(after: lineEnd, in: text)
                    try body(first..<last, lineStart..<next)
                    lineStart = next
                    continue
                }
            case .paragraph:
                if !blank {
                    if unitStart == nil { unitStart = first }
                    contentEnd = last
                } else if let start = unitStart {
                    // The paragraph ended; its span runs to the next non-blank line.
                    let next = Self.nextNonBlankLine(after: lineEnd, in: text)
                    try body(start..<contentEnd, Self.lineStart(of: start, in: text)..<next)
                    unitStart = nil
                    lineStart = next
                    continue
                }
            }
            lineStart = lineEnd + 1
        }
        if self == .paragraph, let start = unitStart {
            try body(start..<contentEnd, Self.lineStart(of: start, in: text)..<count)
        }
    }

    /// The start of the first non-blank line after the line ending at `lineEnd` (the text's end if none).
    private static func nextNonBlankLine(after lineEnd: Int, in text: UnsafeRawBufferPointer) -> Int {
        let count = text.count
        var next = min(lineEnd + 1, count)
        while next < count {
            var end = next
            while end < count, text[end] != 0x0A { end += 1 }
            if text[next..<end].contains(where: { !isSpace($0) }) { break }
            next = min(end + 1, count)
        }
        return next
    }

    private static func lineStart(of index: Int, in text: UnsafeRawBufferPointer) -> Int {
        var start = index
        while start > 0, text[start - 1] != 0x0A { start -= 1 }
        return start
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
}

/// The 128-bit key of one unit of text (two XXH64 of its bytes without surrounding whitespace).
public struct ParagraphKey: Hashable, Comparable, Sendable {
    public var high: UInt64
    public var low: UInt64

    public init(_ bytes: UnsafeRawBufferPointer) {
        high = XXHash64.hash(bytes, seed: 0x5041_5241_0001)
        low = XXHash64.hash(bytes, seed: 0x5041_5241_0002)
    }

    public static func < (a: Self, b: Self) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// One occurrence of a unit (spilled by the first pass, sorted by key then position).
struct ParagraphRecord: BitwiseCopyable, Comparable {
    var high: UInt64
    var low: UInt64
    var file: UInt32
    var document: UInt32
    var index: UInt32
    var zero: UInt32 = 0

    static func < (a: Self, b: Self) -> Bool {
        (a.high, a.low, a.file, a.document, a.index) < (b.high, b.low, b.file, b.document, b.index)
    }
}

/// A repeated unit: its key, the position of its first occurrence, and how often it occurs.
public struct RepeatedParagraph: BitwiseCopyable, Equatable, Sendable {
    public var high: UInt64
    public var low: UInt64
    public var file: UInt32
    public var document: UInt32
    public var index: UInt32
    public var count: UInt32
}

/// The first pass for one scan unit: the key and position of every unit of every document, in order.
public final class ParagraphSpillWriter {
    private let writer: RecordWriter<ParagraphRecord>
    private let file: UInt32
    public let split: ParagraphSplit
    public let minBytes: Int
    public private(set) var units = 0

    /// - Parameters:
    ///   - file: the scan unit's number in canonical order.
    ///   - minBytes: units shorter than this (without surrounding whitespace) are left out: never removed.
    public init(path: String, file: Int, split: ParagraphSplit, minBytes: Int) throws {
        writer = try RecordWriter(path: path, bufferBytes: 1 << 18)
        self.file = UInt32(clamping: file)
        self.split = split
        self.minBytes = minBytes
    }

    /// Adds the units of document `document` (its number among the scan unit's documents).
    public func add(_ text: UnsafeRawBufferPointer, document: Int) throws {
        var index: UInt32 = 0
        try split.forEachUnit(text) { content, _ in
            defer { index += 1 }
            guard content.count >= max(minBytes, 1) else { return }
            let key = ParagraphKey(UnsafeRawBufferPointer(rebasing: text[content]))
            try writer.append(ParagraphRecord(high: key.high, low: key.low, file: file,
                                              document: UInt32(clamping: document), index: index))
            units += 1
        }
    }

    public func close() throws { try writer.close() }
}

/// The units that repeat across the corpus, sorted by key, with the first occurrence of each. Read
/// from its file through a memory map (file-backed pages the kernel can drop, shared by every worker),
/// not copied onto the heap: 32 bytes per distinct repeated unit.
public final class RepeatedParagraphTable: Sendable {
    private let file: MappedFile?
    private let array: [RepeatedParagraph]

    public init(entries: [RepeatedParagraph]) {
        file = nil
        array = entries
    }

    /// Maps a table written by `RepeatedParagraphs.build`.
    public init(path: String) throws {
        let mapped = try MappedFile(path: path)
        guard mapped.count % MemoryLayout<RepeatedParagraph>.stride == 0 else {
            throw GristError(.badFormat, "not a table of repeated paragraphs", at: InputPosition(path: path),
                             hint: "remove the work folder and run again")
        }
        file = mapped
        array = []
    }

    /// Distinct repeated units.
    public var count: Int { withEntries(\.count) }

    /// Every entry, in key order (a copy: for tests and tools).
    public var entries: [RepeatedParagraph] { withEntries { Array($0) } }

    private func withEntries<T>(_ body: (UnsafeBufferPointer<RepeatedParagraph>) -> T) -> T {
        guard let file else { return array.withUnsafeBufferPointer(body) }
        // mmap returns page-aligned memory; the file holds whole records.
        return body(file.bytes.assumingMemoryBound(to: RepeatedParagraph.self))
    }

    /// The entry of `key`, or nil (binary search).
    public func entry(_ key: ParagraphKey) -> RepeatedParagraph? {
        withEntries { entries in
            var low = 0, high = entries.count
            while low < high {
                let mid = (low + high) / 2
                let e = entries[mid]
                if (e.high, e.low) < (key.high, key.low) { low = mid + 1 } else { high = mid }
            }
            guard low < entries.count, entries[low].high == key.high, entries[low].low == key.low else { return nil }
            return entries[low]
        }
    }

    /// What removing repeated units did to one document: units removed, and bytes (the text's length
    /// before less after).
    public struct Removal: Sendable, Equatable {
        public var units = 0
        public var bytes = 0

        public init(units: Int = 0, bytes: Int = 0) {
            self.units = units
            self.bytes = bytes
        }
    }

    /// Removes the repeated units of document `document` of scan unit `file` from `text` (into `out`):
    /// all but the first occurrence when `keepFirst`, else every occurrence. Returns what was removed;
    /// `out` is `text` unchanged when nothing was.
    public func remove(from text: [UInt8], file: Int, document: Int, split: ParagraphSplit, minBytes: Int,
                       keepFirst: Bool, into out: inout [UInt8]) -> Removal {
        out.removeAll(keepingCapacity: true)
        var removal = Removal()
        guard count > 0 else {
            out.append(contentsOf: text)
            return removal
        }
        text.withUnsafeBytes { raw in
            var index: UInt32 = 0
            var copied = 0
            split.forEachUnit(raw) { content, span in
                defer { index += 1 }
                guard content.count >= max(minBytes, 1),
                      let entry = entry(ParagraphKey(UnsafeRawBufferPointer(rebasing: raw[content]))) else { return }
                let isFirst = entry.file == UInt32(clamping: file) && entry.document == UInt32(clamping: document)
                    && entry.index == index
                if keepFirst && isFirst { return }
                out.append(contentsOf: raw[copied..<span.lowerBound])
                copied = span.upperBound
                removal.units += 1
            }
            out.append(contentsOf: raw[copied..<raw.count])
        }
        if removal.units > 0 {
            // A removed last unit leaves the line breaks of the unit before it: the text ends as it did.
            let endedInSpace = text.last.map(ParagraphSplit.isSpace) ?? false
            if !endedInSpace { while let last = out.last, ParagraphSplit.isSpace(last) { out.removeLast() } }
            removal.bytes = text.count - out.count
        }
        return removal
    }
}

/// The second step: all spilled occurrences sorted together, the repeated units kept.
public enum RepeatedParagraphs {
    public struct Summary: Sendable, Equatable {
        /// Units hashed in all.
        public var units = 0
        /// Distinct units that occur at least `minCount` times, and their occurrences.
        public var repeated = 0
        public var occurrences = 0
    }

    /// Sorts the occurrences of `inputs` (spill files, in any order: positions decide) within
    /// `memoryBytes`, and writes the table of units occurring at least `minCount` times to `output`
    /// (whole or not at all).
    public static func build(inputs: [String], minCount: Int, memoryBytes: Int, runs: String,
                             output: String) throws -> Summary {
        try FileSystem.createDirectory(runs)
        let sorter = ExternalSorter<ParagraphRecord>(directory: runs, name: "paragraphs", bufferBytes: memoryBytes)
        var summary = Summary()
        for input in inputs {
            let reader = try RecordReader<ParagraphRecord>(path: input, bufferBytes: 1 << 18)
            while let record = try reader.next() {
                try sorter.append(record)
                summary.units += 1
            }
        }
        let sorted = try sorter.finish()
        let temporary = output + ".partial"
        let writer = try RecordWriter<RepeatedParagraph>(path: temporary, bufferBytes: 1 << 18)
        var head: ParagraphRecord? = nil
        var count = 0
        func close() throws {
            guard let first = head, count >= minCount else { return }
            try writer.append(RepeatedParagraph(high: first.high, low: first.low, file: first.file,
                                                document: first.document, index: first.index,
                                                count: UInt32(clamping: count)))
            summary.repeated += 1
            summary.occurrences += count
        }
        while let record = try sorted.next() {
            if let first = head, first.high == record.high, first.low == record.low {
                count += 1
            } else {
                try close()
                head = record
                count = 1
            }
        }
        try close()
        try writer.close()
        try DedupWorkFolder.rename(temporary, to: output)
        return summary
    }
}
