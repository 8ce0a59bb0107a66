import CZstd
import Foundation
import GristCore
import Testing
@testable import GristParquet

/// Files whose every byte is recorded: `Fixtures/written/NAME.parquet`, with the rows they hold in
/// `NAME.json` beside them. A change to the writer's output shows here first; pyarrow, polars and
/// DuckDB read the same files in scripts/reference/check_parquet_written.py (`make parquet-check`).
///
/// `GRIST_UPDATE_GOLDEN=1 swift test --filter ParquetWriterGoldenTests` rewrites them (only when the
/// bytes are meant to change: say why in the commit, and run `make parquet-check`).
@Suite struct ParquetWriterGoldenTests {
    static let folder = String(#filePath).components(separatedBy: "/Writing/")[0] + "/Fixtures/written"

    static let columns = [
        ParquetColumnSpec(name: "id", kind: .string, nullable: false),
        ParquetColumnSpec(name: "text", kind: .string, nullable: false),
        ParquetColumnSpec(name: "source", kind: .string, nullable: true),
        ParquetColumnSpec(name: "url", kind: .string, nullable: true),
        ParquetColumnSpec(name: "language", kind: .string, nullable: false),
        ParquetColumnSpec(name: "score", kind: .double, nullable: true),
        ParquetColumnSpec(name: "tokens", kind: .int64, nullable: true),
        ParquetColumnSpec(name: "kept", kind: .boolean, nullable: true),
    ]

    /// 30 documents: texts in several scripts, empty, with quotes, backslashes and control characters,
    /// one of 1,200 bytes; nulls in every nullable column; extreme numbers.
    static var rows: [[ParquetValue?]] {
        let texts = [
            "To be, or not to be: that is the question.",
            "", "naïve café, Straße, ½ ⅓", "元始に神天地を創造たまへり", "привет мир", "😀🎉 emoji",
            "line one\nline two\r\n\ttabbed", "quotes \" and \\ backslashes", "nul \u{0} and del \u{7F}",
            String(repeating: "All the world's a stage. ", count: 48),
        ]
        let numbers: [Double?] = [0.5, -3.25, nil, 1e-9, 0, -0.0, 123456.789, nil, 2.5e300, -1]
        let tokens: [Int64?] = [12, nil, 0, -1, Int64.max, Int64.min, 1 << 40, nil, 7, 3]
        return (0..<30).map { index -> [ParquetValue?] in
            let source: ParquetValue? = index % 4 == 3 ? nil : .string(["web", "wiki", "books"][index % 3])
            let url: ParquetValue? = index % 3 == 1 ? nil : .string("https://example.org/\(index)?q=\(index * index)")
            let language: ParquetValue = .string(["en", "ja", "ru"][index % 7 == 0 ? 1 : index % 5 == 0 ? 2 : 0])
            let score = numbers[index % numbers.count].map { ParquetValue.double($0) }
            let count = tokens[index % tokens.count].map { ParquetValue.int64($0) }
            let kept: ParquetValue? = index % 6 == 5 ? nil : .bool(index % 4 != 1)
            return [.string(String(format: "doc-%02d", index)), .string(texts[index % texts.count]), source, url, language,
                    score, count, kept]
        }
    }

    /// Corner cases for the readers: a string column whose first page is all null (a PLAIN page)
    /// before its dictionary-encoded pages, a column of nulls only, a constant empty string (one
    /// dictionary entry), infinities and NaN, a value in a column otherwise null.
    static let edgeColumns = [
        ParquetColumnSpec(name: "late", kind: .string, nullable: true),
        ParquetColumnSpec(name: "never", kind: .string, nullable: true),
        ParquetColumnSpec(name: "same", kind: .string, nullable: false),
        ParquetColumnSpec(name: "flag", kind: .boolean, nullable: false),
        ParquetColumnSpec(name: "once", kind: .int64, nullable: true),
        ParquetColumnSpec(name: "x", kind: .double, nullable: false),
    ]

    static var edgeRows: [[ParquetValue?]] {
        let doubles: [Double] = [.infinity, -.infinity, .nan, 0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        return (0..<20).map { index -> [ParquetValue?] in
            [index < 5 ? nil : .string(index % 2 == 0 ? "a" : "b"), nil, .string(""), .bool(index % 3 == 0),
             index == 11 ? .int64(-42) : nil, .double(doubles[index % doubles.count])]
        }
    }

    /// The rows and columns of a golden file.
    enum Dataset: Sendable { case documents, edgeCases, empty }

    /// One golden file: its name, rows and options.
    struct Golden: CustomStringConvertible, Sendable {
        var name: String
        var dataset = Dataset.documents
        var options: ParquetWriterOptions
        var description: String { name }

        var columns: [ParquetColumnSpec] { dataset == .edgeCases ? edgeColumns : ParquetWriterGoldenTests.columns }
        var rows: [[ParquetValue?]] {
            switch dataset {
            case .documents: ParquetWriterGoldenTests.rows
            case .edgeCases: edgeRows
            case .empty: []
            }
        }
    }

    static let goldens: [Golden] = {
        var snappy = ParquetWriterOptions()
        snappy.rowGroupBytes = 1500  // three row groups
        snappy.pageRows = 4  // several pages a chunk
        snappy.dictionaryPageBytes = 100  // the ids and urls fall back to PLAIN
        snappy.metadata = [.init(key: "grist.version", value: "test")]
        var plain = ParquetWriterOptions()
        plain.compression = .uncompressed
        plain.dictionary = false
        plain.dataPageVersion = .v2
        plain.pageRows = 8
        var zstd = ParquetWriterOptions()
        zstd.compression = .zstd
        var edges = ParquetWriterOptions()
        edges.pageRows = 4
        return [Golden(name: "documents-snappy", options: snappy), Golden(name: "documents-plain-v2", options: plain),
                Golden(name: "documents-zstd", options: zstd),
                Golden(name: "edge-cases", dataset: .edgeCases, options: edges),
                Golden(name: "empty", dataset: .empty, options: ParquetWriterOptions())]
    }()

    /// The libzstd of the recorded zstd file (Debian 12's 1.5.4).
    static let recordedZstdVersion: UInt32 = 10504

    @Test(arguments: goldens)
    func writesTheRecordedBytes(golden: Golden) throws {
        let scratch = try TemporaryFolder()
        let written = scratch.path + "/\(golden.name).parquet"
        let writer = try ParquetWriter(path: written, columns: golden.columns, options: golden.options)
        for row in golden.rows { try writer.append(row) }
        try writer.finish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: written))
        let json = Self.expectedJSON(columns: golden.columns, rows: golden.rows, file: golden.name + ".parquet")

        let path = Self.folder + "/\(golden.name).parquet"
        if ProcessInfo.processInfo.environment["GRIST_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
            try bytes.write(to: URL(fileURLWithPath: path))
            try json.write(toFile: Self.folder + "/\(golden.name).json", atomically: true, encoding: .utf8)
            return
        }
        let recorded = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try String(contentsOfFile: Self.folder + "/\(golden.name).json", encoding: .utf8) == json)
        // zstd's bytes are its library's: another libzstd than the one that wrote the file may compress
        // the pages differently (still readable, as the probe checks below).
        let comparable = golden.options.compression != .zstd || ZSTD_versionNumber() == Self.recordedZstdVersion
        if comparable && bytes != recorded {
            let kept = NSTemporaryDirectory() + "grist-golden-\(golden.name).parquet"
            try bytes.write(to: URL(fileURLWithPath: kept))
            Issue.record("\(path) differs from what the writer writes now (\(kept)); if meant, rewrite it with GRIST_UPDATE_GOLDEN=1")
        }
        // The probe reads the recorded file back to the rows.
        let probe = try ParquetFileProbe(path: path)
        for column in golden.columns.indices {
            #expect(try probe.values(column: column) == golden.rows.map { $0[column].map(ProbeValue.init) })
        }
    }

    /// The rows as JSON for the reference readers: the columns (name, kind, nullable) and one array a
    /// row, null for null, strings as JSON strings, numbers as Swift prints them (shortest round trip;
    /// NaN and the infinities as Python's `json` spells them).
    static func expectedJSON(columns: [ParquetColumnSpec], rows: [[ParquetValue?]], file: String) -> String {
        let header = columns.map { "{\"name\": \(JSONText.quoted($0.name)), \"kind\": \"\($0.kind)\", \"nullable\": \($0.nullable)}" }
        var out = "{\"file\": \(JSONText.quoted(file)),\n \"columns\": [\n  " + header.joined(separator: ",\n  ") + "],\n \"rows\": [\n"
        out += rows.map { "  " + jsonRow($0) }.joined(separator: ",\n")
        return out + "]}\n"
    }

    static func jsonRow(_ row: [ParquetValue?]) -> String {
        "[" + row.map { value -> String in
            switch value {
            case nil: "null"
            case .bytes(let bytes)?: JSONText.quoted(String(decoding: bytes, as: UTF8.self))
            case .byteArray(let bytes)?: JSONText.quoted(String(decoding: bytes, as: UTF8.self))
            case .int64(let number)?: "\(number)"
            case .double(let number)?: number.isNaN ? "NaN" : number.isInfinite ? (number < 0 ? "-Infinity" : "Infinity") : "\(number)"
            case .bool(let flag)?: "\(flag)"
            }
        }.joined(separator: ", ") + "]"
    }
}
