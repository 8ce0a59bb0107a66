import Foundation
import GristCore
import Testing
@testable import GristParquet

/// Files written with every option, read back by `ParquetFileProbe`: the footer's structure, every
/// page, and every value.
@Suite struct ParquetWriterTests {
    static let columns = [
        ParquetColumnSpec(name: "id", kind: .string, nullable: false),
        ParquetColumnSpec(name: "source", kind: .string, nullable: true),
        ParquetColumnSpec(name: "tokens", kind: .int64, nullable: true),
        ParquetColumnSpec(name: "score", kind: .double, nullable: true),
        ParquetColumnSpec(name: "kept", kind: .boolean, nullable: true),
        ParquetColumnSpec(name: "count", kind: .int64, nullable: false),
    ]

    /// `count` rows: unique ids, three sources and some nulls, numbers that repeat, every fifth row null
    /// in the nullable number columns.
    static func rows(_ count: Int) -> [[ParquetValue?]] {
        (0..<count).map { index -> [ParquetValue?] in
            let sources = ["web", "wiki", "books"]
            let source: ParquetValue? = index % 7 == 3 ? nil : .string(sources[index % 3])
            let tokens: ParquetValue? = index % 5 == 0 ? nil : .int64(Int64(index * 37 - 500))
            let score: ParquetValue? = index % 5 == 1 ? nil : .double(Double(index) / 8 - 3)
            let kept: ParquetValue? = index % 5 == 2 ? nil : .bool(index % 2 == 0)
            return [.string("doc-\(index)"), source, tokens, score, kept, .int64(Int64(index))]
        }
    }

    static func expected(_ rows: [[ParquetValue?]], column: Int) -> [ProbeValue?] {
        rows.map { $0[column].map(ProbeValue.init) }
    }

    /// Writes `rows` to a fresh file and returns the probe of it.
    static func write(_ rows: [[ParquetValue?]], columns: [ParquetColumnSpec] = columns,
                      options: ParquetWriterOptions = ParquetWriterOptions(), name: String = "test") throws -> ParquetFileProbe {
        let folder = try TemporaryFolder()
        let path = folder.path + "/\(name).parquet"
        let writer = try ParquetWriter(path: path, columns: columns, options: options)
        for row in rows { try writer.append(row) }
        try writer.finish()
        return try ParquetFileProbe(path: path)
    }

    static func checkValues(_ probe: ParquetFileProbe, _ rows: [[ParquetValue?]], columns: Int = columns.count) throws {
        for column in 0..<columns {
            #expect(try probe.values(column: column) == expected(rows, column: column), "column \(column)")
        }
    }

    @Test func footerDescribesAFlatSchema() throws {
        let rows = Self.rows(10)
        var options = ParquetWriterOptions()
        options.createdBy = "grist version 0.0 (build test)"
        options.metadata = [.init(key: "grist.version", value: "0.0"), .init(key: "a", value: "b")]
        let probe = try Self.write(rows, options: options)
        let footer = probe.footer
        #expect(footer[1]?.int == 2)
        #expect(footer[3]?.int == 10)
        #expect(footer[6]?.string == "grist version 0.0 (build test)")
        #expect(footer[5]?.list?.map { [$0[1]?.string, $0[2]?.string] } == [["grist.version", "0.0"], ["a", "b"]])
        #expect(footer[7]?.list?.count == Self.columns.count)

        let schema = probe.schema
        #expect(schema.count == 7)
        #expect(schema[0][4]?.string == "schema")
        #expect(schema[0][5]?.int == 6)
        #expect(schema[0][3] == nil)
        let names = schema.dropFirst().map { $0[4]?.string }
        #expect(names == ["id", "source", "tokens", "score", "kept", "count"])
        let types = schema.dropFirst().map { $0[1]?.int }
        #expect(types == [6, 6, 2, 5, 0, 2])
        let repetitions = schema.dropFirst().map { $0[3]?.int }
        #expect(repetitions == [0, 1, 1, 1, 1, 0])
        // Strings: converted type UTF8 and logical type STRING (field 1 of the LogicalType union).
        #expect(schema[1][6]?.int == 0)
        #expect(schema[1][10]?[1] == .fields([:]))
        #expect(schema[3][6] == nil && schema[3][10] == nil)
        try Self.checkValues(probe, rows)
    }

    @Test func statisticsGiveNullCountsAndRanges() throws {
        let rows = Self.rows(20)
        let probe = try Self.write(rows)
        func stats(_ column: Int) throws -> ThriftValue? { try probe.metaData(group: 0, column: column)[12] }
        let nullCounts = try (0..<6).map { try stats($0)?[3]?.int }
        #expect(nullCounts == [0, 3, 4, 4, 4, 0])
        #expect(try stats(0)?[6]?.string == "doc-0")
        #expect(try stats(0)?[5]?.string == "doc-9")
        #expect(try stats(1)?[6]?.string == "books")
        #expect(try stats(1)?[5]?.string == "wiki")
        let tokens = rows.compactMap { row -> Int64? in if case .int64(let value) = row[2] { value } else { nil } }
        #expect(try stats(2)?[6]?.binary == withUnsafeBytes(of: tokens.min()!.littleEndian) { Array($0) })
        #expect(try stats(2)?[5]?.binary == withUnsafeBytes(of: tokens.max()!.littleEndian) { Array($0) })
        #expect(try stats(3)?[6]?.binary == withUnsafeBytes(of: (-3.0).bitPattern.littleEndian) { Array($0) })
        #expect(try stats(4)?[6]?.binary == [0])
        #expect(try stats(4)?[5]?.binary == [1])

        var off = ParquetWriterOptions()
        off.statistics = false
        let bare = try Self.write(rows, options: off)
        #expect(try bare.metaData(group: 0, column: 1)[12] == nil)
    }

    @Test func doubleRangesSkipNaNAndSignTheirZeros() throws {
        let columns = [ParquetColumnSpec(name: "x", kind: .double, nullable: false)]
        let probe = try Self.write([[.double(.nan)], [.double(0.0)], [.double(-0.0)]], columns: columns)
        let stats = try probe.metaData(group: 0, column: 0)[12]
        #expect(stats?[6]?.binary == withUnsafeBytes(of: (-0.0).bitPattern.littleEndian) { Array($0) })
        #expect(stats?[5]?.binary == withUnsafeBytes(of: (0.0).bitPattern.littleEndian) { Array($0) })
        let allNaN = try Self.write([[.double(.nan)]], columns: columns)
        #expect(try allNaN.metaData(group: 0, column: 0)[12]?[6] == nil)
    }

    @Test func longStringsLeaveTheRangeOut() throws {
        let columns = [ParquetColumnSpec(name: "text", kind: .string, nullable: false)]
        var options = ParquetWriterOptions()
        options.statisticsMaxBytes = 8
        let short = try Self.write([[.string("b")], [.string("a")], [.string("c")]], columns: columns, options: options)
        #expect(try short.metaData(group: 0, column: 0)[12]?[6]?.string == "a")
        let long = try Self.write([[.string("b")], [.string("a long text")]], columns: columns, options: options)
        #expect(try long.metaData(group: 0, column: 0)[12]?[6] == nil)
        #expect(try long.metaData(group: 0, column: 0)[12]?[3]?.int == 0)
    }

    @Test(arguments: [true, false])
    func dictionaryEncodesStringsWhenOn(dictionary: Bool) throws {
        let rows = Self.rows(50)
        var options = ParquetWriterOptions()
        options.dictionary = dictionary
        let probe = try Self.write(rows, options: options)
        try Self.checkValues(probe, rows)
        let source = try probe.metaData(group: 0, column: 1)
        let encodings = source[2]?.list?.compactMap(\.int)
        let pages = try probe.chunk(group: 0, column: 1).pages
        if dictionary {
            #expect(encodings == [0, 3, 8])  // PLAIN (the dictionary page), RLE (levels), RLE_DICTIONARY
            #expect(source[11]?.int != nil)
            #expect(pages.map(\.type) == [.dictionaryPage, .dataPage])
            #expect(pages.first?.values == 3)
            #expect(pages.last?.encoding == .rleDictionary)
            // encoding_stats: one PLAIN dictionary page, one RLE_DICTIONARY data page
            #expect(source[13]?.list?.map { [$0[1]?.int, $0[2]?.int, $0[3]?.int] } == [[2, 0, 1], [0, 8, 1]])
        } else {
            #expect(encodings == [0, 3])
            #expect(source[11] == nil)
            #expect(pages.map(\.encoding) == [.plain])
        }
        // Numbers and booleans are PLAIN either way; required columns have no levels.
        #expect(try probe.metaData(group: 0, column: 2)[2]?.list?.compactMap(\.int) == [0, 3])
        #expect(try probe.metaData(group: 0, column: 5)[2]?.list?.compactMap(\.int) == [0])
    }

    @Test(arguments: [ParquetCompression.uncompressed, .snappy, .zstd],
          [ParquetWriterOptions.DataPageVersion.v1, .v2])
    func everyCodecAndPageVersionReadsBack(codec: ParquetCompression, version: ParquetWriterOptions.DataPageVersion) throws {
        let rows = Self.rows(3000)
        var options = ParquetWriterOptions()
        options.compression = codec
        options.dataPageVersion = version
        options.pageRows = 700
        let probe = try Self.write(rows, options: options)
        try Self.checkValues(probe, rows)
        let meta = try probe.metaData(group: 0, column: 2)
        #expect(meta[4]?.int == Int(codec.rawValue))
        let pages = try probe.chunk(group: 0, column: 2).pages
        #expect(pages.count == 5)
        #expect(pages.allSatisfy { $0.type == (version == .v1 ? .dataPage : .dataPageV2) })
        if codec != .uncompressed {
            #expect(meta[7]!.int! < meta[6]!.int!, "compressed below uncompressed")
        } else {
            #expect(meta[7]?.int == meta[6]?.int)
        }
    }

    @Test func rowGroupsCloseAtTheirByteSizeAndPagesAtTheirs() throws {
        let rows = Self.rows(1000)
        var options = ParquetWriterOptions()
        options.rowGroupBytes = 10_000
        options.pageBytes = 1000
        let probe = try Self.write(rows, options: options)
        try Self.checkValues(probe, rows)
        // A row's bytes: "doc-N" (5...7), a source (3...5) unless null, 8 + 8 + 1 + 8 unless null.
        var groupSizes: [Int] = []
        var bytes = 0
        var count = 0
        for row in rows {
            bytes += row.compactMap { $0?.byteSize }.reduce(0, +)
            count += 1
            if bytes >= options.rowGroupBytes {
                groupSizes.append(count)
                bytes = 0
                count = 0
            }
        }
        if count > 0 { groupSizes.append(count) }
        #expect(probe.rowGroups.map { $0[3]?.int } == groupSizes)
        #expect(groupSizes.count > 3)
        var offset = 4
        for (index, group) in probe.rowGroups.enumerated() {
            #expect(group[5]?.int == offset, "row group \(index) starts where the last ended")
            #expect(group[7]?.int == index)
            offset += group[6]?.int ?? 0
            let columns = group[1]?.list ?? []
            #expect(group[2]?.int == columns.compactMap { $0[3]?[6]?.int }.reduce(0, +))
        }
        // Pages of about 1000 bytes: the 8-byte count column of a row group holds several.
        let pages = try probe.chunk(group: 0, column: 5).pages
        #expect(pages.count == (groupSizes[0] * 8 + 999) / 1000)
    }

    @Test func dictionaryFallsBackToPlainPastItsLimit() throws {
        let columns = [ParquetColumnSpec(name: "id", kind: .string, nullable: true),
                       ParquetColumnSpec(name: "lang", kind: .string, nullable: false)]
        let rows: [[ParquetValue?]] = (0..<600).map { index in
            [index % 9 == 4 ? nil : .string("document-\(index / 2)"), .string(index % 3 == 0 ? "en" : "fr")]
        }
        var options = ParquetWriterOptions()
        options.dictionaryPageBytes = 600
        options.rowGroupBytes = 4000
        let probe = try Self.write(rows, columns: columns, options: options)
        try Self.checkValues(probe, rows, columns: 2)
        #expect(probe.rowGroups.count >= 2)
        for group in probe.rowGroups.indices {
            let ids = try probe.chunk(group: group, column: 0).pages
            #expect(ids.map(\.type).first == .dictionaryPage)
            #expect(ids.dropFirst().first?.encoding == .rleDictionary)
            #expect(ids.last?.encoding == .plain, "row group \(group) of \(probe.rowGroups.map { $0[3]?.int }) falls back: \(ids.map(\.encoding))")
            let langs = try probe.chunk(group: group, column: 1).pages
            #expect(langs.map(\.encoding) == [.plain, .rleDictionary], "the small dictionary stays")
            #expect(try probe.metaData(group: group, column: 0)[2]?.list?.compactMap(\.int) == [0, 3, 8])
        }
    }

    @Test func aConstantOrAllNullColumn() throws {
        let columns = [ParquetColumnSpec(name: "empty", kind: .string, nullable: true),
                       ParquetColumnSpec(name: "same", kind: .string, nullable: false),
                       ParquetColumnSpec(name: "none", kind: .int64, nullable: true)]
        let rows: [[ParquetValue?]] = (0..<100).map { _ in [nil, .string(""), nil] }
        let probe = try Self.write(rows, columns: columns)
        try Self.checkValues(probe, rows, columns: 3)
        #expect(try probe.chunk(group: 0, column: 0).pages.map(\.encoding) == [.plain])
        #expect(try probe.metaData(group: 0, column: 0)[12]?[3]?.int == 100)
        #expect(try probe.metaData(group: 0, column: 0)[12]?[6] == nil)
        #expect(try probe.metaData(group: 0, column: 1)[12]?[6]?.binary == [])
    }

    @Test func noRowsMakeAFileOfNoRowGroups() throws {
        let probe = try Self.write([])
        #expect(probe.footer[3]?.int == 0)
        #expect(probe.rowGroups.isEmpty)
        #expect(probe.schema.count == 7)
    }

    @Test func sameRowsMakeTheSameBytes() throws {
        var options = ParquetWriterOptions()
        options.compression = .zstd
        options.rowGroupBytes = 5000
        let first = try Self.write(Self.rows(500), options: options, name: "a")
        let second = try Self.write(Self.rows(500), options: options, name: "b")
        #expect(first.bytes == second.bytes)
    }

    @Test func bytesAndArraysOfTheSameTextAreOneValue() throws {
        let columns = [ParquetColumnSpec(name: "text", kind: .string, nullable: false)]
        let text = Array("héllo, wörld".utf8)
        let folder = try TemporaryFolder()
        let path = folder.path + "/t.parquet"
        let writer = try ParquetWriter(path: path, columns: columns, options: ParquetWriterOptions())
        try text.withUnsafeBytes { try writer.append([.bytes($0)]) }
        try writer.append([.byteArray(text)])
        try writer.finish()
        let probe = try ParquetFileProbe(path: path)
        #expect(try probe.values(column: 0) == [.bytes(text), .bytes(text)])
        #expect(try probe.chunk(group: 0, column: 0).pages.first?.values == 1, "one dictionary entry")
    }

    @Test func refusesRowsThatDoNotFitAndKeepsTheOthers() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/r.parquet"
        let writer = try ParquetWriter(path: path, columns: Self.columns, options: ParquetWriterOptions())
        let good = Self.rows(2)
        try writer.append(good[0])
        for bad: [ParquetValue?] in [
            [.string("x")],
            [nil, nil, nil, nil, nil, .int64(1)],
            [.string("x"), nil, .double(1), nil, nil, .int64(1)],
        ] {
            #expect { try writer.append(bad) } throws: { ($0 as? GristError)?.kind == .usage }
        }
        try writer.append(good[1])
        try writer.finish()
        #expect(writer.rowCount == 2)
        try Self.checkValues(try ParquetFileProbe(path: path), good)
        #expect { try writer.append(good[0]) } throws: { ($0 as? GristError)?.kind == .usage }
    }

    @Test func refusesBadColumnsAndCodecs() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/c.parquet"
        let one = [ParquetColumnSpec(name: "a", kind: .int64, nullable: false)]
        var gzip = ParquetWriterOptions()
        gzip.compression = .gzip
        var zeroPage = ParquetWriterOptions()
        zeroPage.pageBytes = 0
        let cases: [([ParquetColumnSpec], ParquetWriterOptions)] = [
            ([], ParquetWriterOptions()), (one + one, ParquetWriterOptions()),
            ([ParquetColumnSpec(name: "", kind: .int64, nullable: false)], ParquetWriterOptions()),
            (one, gzip), (one, zeroPage),
        ]
        for (columns, options) in cases {
            #expect { _ = try ParquetWriter(path: path, columns: columns, options: options) } throws: {
                ($0 as? GristError)?.kind == .usage
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func theFileAppearsWholeOnFinishOnly() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/w.parquet"
        do {
            let writer = try ParquetWriter(path: path, columns: Self.columns, options: ParquetWriterOptions())
            for row in Self.rows(10) { try writer.append(row) }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        // Dropped without finish(): nothing is left, not even the temporary file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let writer = try ParquetWriter(path: path, columns: Self.columns, options: ParquetWriterOptions())
        try writer.append(Self.rows(1)[0])
        try writer.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["w.parquet"])
    }
}

/// A folder under the system's temporary folder, removed with its files when the value goes.
final class TemporaryFolder {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "grist-parquet-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
