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
    private func read(_ path: String, rangeSize: Int?, fileSize: Int) throws -> (records: [Record], skipped: [Int]) {
        var records: [Record] = [], skipped: [Int] = []
        if let rangeSize {
            var start = 0, lineBase = 0, recordBase = 0
            while start < fileSize {
                var reader = try JSONLReader(path: path, range: start..<min(start + rangeSize, fileSize),
                                             options: JSONLReaderOptions())
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

    @Test func refusesCompressedFiles() throws {
        let files = try TempFolder()
        let path = try files.write("data.jsonl.gz", Compress.gzip(Array("{\"text\": \"a\"}\n".utf8)))
        #expect(throws: GristError.self) { try JSONLReader(path: path, range: 0..<10, options: JSONLReaderOptions()) }
    }
}
