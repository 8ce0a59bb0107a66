import Foundation
import GristCore
import Testing
@testable import GristParquet

/// What `ParquetWriter` writes, `ParquetFile` reads back value for value: every codec the writer
/// has, both page versions, dictionary on and off (and overflowing into PLAIN), several row groups
/// and pages, nulls in every column.
@Suite struct RoundTripTests {
    struct Setting: Sendable, CustomTestStringConvertible {
        let compression: ParquetCompression
        let version: ParquetWriterOptions.DataPageVersion
        let dictionary: Bool
        var testDescription: String { "\(compression) \(version) dictionary \(dictionary)" }
    }

    static let settings: [Setting] = [ParquetCompression.uncompressed, .snappy, .zstd].flatMap { codec in
        [ParquetWriterOptions.DataPageVersion.v1, .v2].flatMap { version in
            [true, false].map { Setting(compression: codec, version: version, dictionary: $0) }
        }
    }

    /// Row `i`: a text (a few repeat, so dictionaries form; some are long, some empty, some null),
    /// an integer, a double and a boolean, each null now and then.
    static func row(_ i: Int) -> (text: String?, number: Int64?, score: Double?, flag: Bool?) {
        let text: String? = i % 11 == 3 ? nil : i % 13 == 0 ? "" : i % 3 == 0
            ? "repeated value \(i % 5)"
            : "document \(i): " + String(repeating: "all the world's a stage, ", count: i % 40)
        return (text, i % 7 == 2 ? nil : Int64(i) * 1_000_003 - 500_000_000,
                i % 5 == 4 ? nil : Double(i) / 7, i % 9 == 1 ? nil : i % 2 == 0)
    }

    @Test(arguments: settings)
    func writtenFilesReadBack(setting: Setting) throws {
        let folder = try TempFolder()
        let path = folder.path + "/round.parquet"
        var options = ParquetWriterOptions()
        options.compression = setting.compression
        options.dataPageVersion = setting.version
        options.dictionary = setting.dictionary
        options.dictionaryPageBytes = 2000  // overflows: dictionary pages, then PLAIN ones
        options.rowGroupBytes = 40_000
        options.pageRows = 97
        let writer = try ParquetWriter(path: path, columns: [
            ParquetColumnSpec(name: "text", kind: .string, nullable: true),
            ParquetColumnSpec(name: "number", kind: .int64, nullable: true),
            ParquetColumnSpec(name: "score", kind: .double, nullable: true),
            ParquetColumnSpec(name: "flag", kind: .boolean, nullable: true),
        ], options: options)
        let rows = 1000
        for i in 0..<rows {
            let r = Self.row(i)
            try writer.append([r.text.map(ParquetValue.string), r.number.map(ParquetValue.int64),
                               r.score.map(ParquetValue.double), r.flag.map(ParquetValue.bool)])
        }
        try writer.finish()

        let file = try ParquetFile(path: path)
        #expect(file.rowCount == rows)
        #expect(file.rowGroups.count > 1)
        #expect(file.columns.map(\.name) == ["text", "number", "score", "flag"])
        #expect(file.columns[0].isString && file.columns.allSatisfy(\.isOptional))
        var row = 0
        var mismatches = 0
        for group in file.rowGroups.indices {
            let text = try file.readColumn(rowGroup: group, column: 0)
            let number = try file.readColumn(rowGroup: group, column: 1)
            let score = try file.readColumn(rowGroup: group, column: 2)
            let flag = try file.readColumn(rowGroup: group, column: 3)
            for r in 0..<file.rowGroups[group].rowCount {
                let want = Self.row(row)
                if text.string(ofRow: r) != want.text { mismatches += 1 }
                if number.string(ofRow: r) != want.number.map({ "\($0)" }) { mismatches += 1 }
                if case .doubles(let values) = score, values[r] == want.score {} else { mismatches += 1 }
                if flag.string(ofRow: r) != want.flag.map({ $0 ? "true" : "false" }) { mismatches += 1 }
                row += 1
            }
        }
        #expect(row == rows)
        #expect(mismatches == 0)
    }
}
