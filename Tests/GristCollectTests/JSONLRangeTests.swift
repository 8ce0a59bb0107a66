import GristCollect
import GristCore
import Testing

/// Reading a plain JSON Lines file in byte ranges gives every record exactly once, whatever the cut.
@Suite struct JSONLRangeTests {
    private struct Record: Equatable {
        var id: String
        var text: [UInt8]
        var line: Int
        var ordinal: Int
        var byteOffset: Int
    }

    /// Reads `path` whole, and cut into ranges of `size` bytes (numbers made absolute as the pipeline does).
    /// `fileSize` is the decompressed size; a compressed file's last range is open-ended, as the pipeline cuts it.
    private func read(_ path: String, rangeSize: Int?, fileSize: Int) throws -> (records: [Record], skipped: [Int]) {
        var records: [Record] = [], skipped: [Int] = []
        if let rangeSize {
            var start = 0, lineBase = 0, recordBase = 0
            let compressed = !path.hasSuffix(".jsonl")
            while start < fileSize {
                let last = start + rangeSize >= fileSize
                let end = last && compressed ? Int.max : min(start + rangeSize, fileSize)
                var reader = try JSONLReader(path: path, range: start..<end, options: JSONLReaderOptions())
                while let event = try reader.next() {
                    switch event {
                    case .document(let d):
                        let line = d.line + lineBase
                        records.append(Record(id: d.id.isEmpty ? "\(path):\(line)" : d.id, text: d.text, line: line,
                                              ordinal: d.ordinal + recordBase, byteOffset: d.byteOffset))
                    case .skipped(let e): skipped.append((e.position?.line ?? 0) + lineBase)
                    }
                }
                lineBase += reader.linesRead
                recordBase += reader.recordsRead
                start += rangeSize
            }
        } else {
            var reader = try JSONLReader(path: path, options: JSONLReaderOptions())
            while let event = try reader.next() {
                switch event {
                case .document(let d):
                    records.append(Record(id: d.id, text: d.text, line: d.line, ordinal: d.ordinal, byteOffset: d.byteOffset))
                case .skipped(let e): skipped.append(e.position?.line ?? 0)
                }
            }
        }
        return (records, skipped)
    }

    @Test func rangesReadEveryRecordOnceWithWholeFileNumbers() throws {
        let files = try TempFolder()
        var text = ""
        var generator = SplitMix64(seed: 11)
        for i in 0..<400 {
            switch generator.next() % 7 {
            case 0: text += "\n"                                    // blank line
            case 1: text += "not json \(i)\n"                       // bad record
            case 2: text += "{\"text\": \"no id \(i)\"}\n"           // id made from the line
            default:
                let words = (0..<Int(generator.next() % 40)).map { "w\($0)" }.joined(separator: " ")
                text += "{\"id\": \"d\(i)\", \"text\": \"\(words) é \(i)\"}\n"
            }
        }
        text += "{\"id\": \"last\", \"text\": \"no newline at the end\"}"
        let path = try files.write("data.jsonl", text)
        let size = text.utf8.count
        let whole = try read(path, rangeSize: nil, fileSize: size)
        #expect(whole.records.count > 200)
        for rangeSize in [1, 7, 64, 333, 4096, size, size + 10] {
            let cut = try read(path, rangeSize: rangeSize, fileSize: size)
            #expect(cut.records == whole.records, "range size \(rangeSize)")
            #expect(cut.skipped == whole.skipped, "range size \(rangeSize)")
        }
    }

    /// A compressed file is read in ranges of its decompressed bytes: the same records, and a damaged
    /// stream's break reported once, by the range it falls in.
    @Test(arguments: ["gz", "zst"])
    func compressedFilesReadInRangesGiveTheSameRecords(ext: String) throws {
        let files = try TempFolder()
        var text = ""
        var generator = SplitMix64(seed: 12)
        for i in 0..<300 {
            switch generator.next() % 6 {
            case 0: text += "\n"
            case 1: text += "not json \(i)\n"
            default:
                let words = (0..<Int(generator.next() % 60)).map { "w\($0)" }.joined(separator: " ")
                text += "{\"id\": \"d\(i)\", \"text\": \"\(words) \(i)\"}\n"
            }
        }
        let bytes = Array(text.utf8)
        let path = try files.write("data.jsonl.\(ext)", Compress.encode(bytes, as: ext))
        let whole = try read(path, rangeSize: nil, fileSize: bytes.count)
        #expect(whole.records.count > 150)
        for rangeSize in [1, 97, 1000, 4096, bytes.count - 1, bytes.count] {
            let cut = try read(path, rangeSize: rangeSize, fileSize: bytes.count)
            #expect(cut.records == whole.records, "range size \(rangeSize)")
            #expect(cut.skipped == whole.skipped, "range size \(rangeSize)")
        }
        // Cut short in the middle: the records before the break, and the break once.
        let encoded = Compress.encode(bytes, as: ext)
        let truncated = try files.write("short.jsonl.\(ext)", Array(encoded.prefix(encoded.count * 2 / 3)))
        let broken = try read(truncated, rangeSize: nil, fileSize: bytes.count)
        // (gzip decodes up to the break; this zstd frame is one block, so nothing before it decodes.)
        #expect(broken.records.count < whole.records.count && (ext == "zst" || broken.records.count > 50))
        #expect(broken.skipped.count >= 1, "the break is a skipped record")
        for rangeSize in [1, 500, 3000, bytes.count] {
            let cut = try read(truncated, rangeSize: rangeSize, fileSize: bytes.count)
            #expect(cut.records == broken.records, "range size \(rangeSize)")
            #expect(cut.skipped == broken.skipped, "range size \(rangeSize): the break reported once")
        }
    }
}
