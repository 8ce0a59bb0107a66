import Foundation
import GristCore
import Testing
@testable import GristParquet

/// Every good fixture (written by pyarrow, polars or duckdb; scripts/reference/make_parquet_fixtures.py)
/// reads as pyarrow 26.0.1 reads it: the same row groups, column descriptions and every value of
/// every flat column, row by row (strings byte for byte, long ones by SHA-256).
@Suite struct FixtureTests {
    @Test func fixturesArePresent() {
        // The writers and settings the script covers; a lost fixture must not pass silently.
        #expect(Fixtures.goodNames.count >= 35)
        for prefix in ["pa-", "pl-", "dd-"] {
            #expect(Fixtures.goodNames.filter { $0.hasPrefix(prefix) }.count >= 7, "fixtures of \(prefix)")
        }
        #expect(Fixtures.hostile.count >= 15)
    }

    @Test(arguments: Fixtures.goodNames)
    func readsAsPyarrowDoes(name: String) throws {
        let expected = try Fixtures.json(name + ".json")
        let file = try ParquetFile(path: Fixtures.path(name))
        #expect(file.rowCount == expected["rows"] as? Int)
        #expect(file.rowGroups.map(\.rowCount) == expected["row_groups"] as? [Int])

        let columns = try #require(expected["columns"] as? [[String: Any]])
        #expect(file.columns.map(\.name) == columns.map { $0["name"] as? String ?? "" })
        for (descriptor, column) in zip(file.columns, columns) {
            #expect(descriptor.physicalType.thriftName == column["physical"] as? String, "\(descriptor.name)")
            #expect(descriptor.isNested == column["nested"] as? Bool, "\(descriptor.name)")
            #expect(descriptor.isString == column["string"] as? Bool, "\(descriptor.name)")
            #expect(descriptor.timestampUnit.map(Self.unitName) == column["timestamp_unit"] as? String, "\(descriptor.name)")
            if !descriptor.isNested {
                #expect(descriptor.isOptional == column["optional"] as? Bool, "\(descriptor.name)")
                #expect(file.columnIndex(named: descriptor.name) == file.columns.firstIndex { $0.name == descriptor.name })
            }
        }

        let values = try #require(expected["values"] as? [String: [Any]])
        var checked = 0
        for (index, descriptor) in file.columns.enumerated() where !descriptor.isNested {
            let want = try #require(values[descriptor.name], "values of \(descriptor.name)")
            var row = 0
            var mismatches: [String] = []
            for group in file.rowGroups.indices {
                let got = try file.readColumn(rowGroup: group, column: index)
                #expect(got.count == file.rowGroups[group].rowCount)
                for r in 0..<got.count where row < want.count {
                    if let problem = Self.mismatch(got, r, want[row]) {
                        mismatches.append("row \(row): \(problem)")
                    }
                    row += 1
                    checked += 1
                }
            }
            #expect(row == want.count, "\(descriptor.name): \(row) rows read, pyarrow reads \(want.count)")
            #expect(mismatches.isEmpty, "\(name) column \(descriptor.name): \(mismatches.count) rows differ, first \(mismatches.prefix(3))")
        }
        if file.rowCount > 0 { #expect(checked > 0) }
    }

    static func unitName(_ unit: ParquetTimeUnit) -> String {
        switch unit {
        case .milliseconds: "ms"
        case .microseconds: "us"
        case .nanoseconds: "ns"
        }
    }

    /// Why row `row` of `got` is not `want` (as make_parquet_fixtures.py records values), or nil.
    static func mismatch(_ got: ParquetColumnValues, _ row: Int, _ want: Any) -> String? {
        if want is NSNull { return got.isNull(row) ? nil : "expected null, got \(got.string(ofRow: row) ?? "")" }
        guard !got.isNull(row) else { return "expected \(want), got null" }
        switch got {
        case .byteArrays(let arrays):
            let bytes = Array(arrays[row]!)
            var direct: [UInt8] = []
            arrays.withBytes(ofRow: row) { direct = Array($0!) }
            if direct != bytes { return "withBytes and the subscript disagree" }
            if let text = want as? String { return bytes == Array(text.utf8) ? nil : "expected \(text.debugDescription)" }
            guard let object = want as? [String: Any] else { return "unexpected expectation \(want)" }
            if let hexText = object["hex"] as? String { return hexString(bytes) == hexText ? nil : "expected hex \(hexText)" }
            let length = object["len"] as? Int
            let digest = object["sha256"] as? String
            return bytes.count == length && shortSHA256(bytes) == digest ? nil : "expected \(object), got \(bytes.count) bytes"
        case .booleans:
            return got.string(ofRow: row) == ((want as? Bool) == true ? "true" : "false") ? nil : "expected \(want)"
        case .int32s, .int64s, .uint64s:
            let text = (want as? String) ?? (want as? NSNumber).map { "\($0.int64Value)" } ?? "?"
            return got.string(ofRow: row) == text ? nil : "expected \(text), got \(got.string(ofRow: row) ?? "")"
        case .floats(let values):
            // pyarrow gives a FLOAT widened to a double: compare values (the texts differ: "0.9" here).
            return same(Double(values[row]!), want) ? nil : "expected \(want), got \(values[row]!)"
        case .doubles(let values):
            // The value, and the text: Python's repr of the double.
            guard same(values[row]!, want) else { return "expected \(want), got \(values[row]!)" }
            return got.string(ofRow: row) == want as? String ? nil : "expected the text \(want), got \(got.string(ofRow: row)!)"
        case .timestamps(let values, let unit, _):
            return timeMismatch(Int64(values[row]!), got.string(ofRow: row)!, want, nanoseconds: unit == .nanoseconds)
        case .dates(let values):
            return timeMismatch(Int64(values[row]!), got.string(ofRow: row)!, want, nanoseconds: false)
        }
    }

    /// Whether `value` is the float the fixture writes as Python's `repr` (a string: JSON readers
    /// need not round decimals exactly).
    static func same(_ value: Double, _ want: Any) -> Bool {
        guard let text = want as? String, let expected = Double(text) else { return false }
        return expected.isNaN ? value.isNaN : value == expected && value.sign == expected.sign
    }

    /// A timestamp or date: its raw count and its ISO text (numpy writes nanoseconds always with 9
    /// digits; ours has 6 when the nanoseconds are whole microseconds, as pandas' `isoformat`).
    static func timeMismatch(_ raw: Int64, _ text: String, _ want: Any, nanoseconds: Bool) -> String? {
        guard let object = want as? [String: Any] else { return "unexpected expectation \(want)" }
        let wantRaw = (object["int"] as? String) ?? (object["int"] as? NSNumber).map { "\($0.int64Value)" } ?? "?"
        guard "\(raw)" == wantRaw else { return "expected \(wantRaw), got \(raw)" }
        guard var wantText = object["iso"] as? String else { return "no iso text" }
        var gotText = text
        if nanoseconds {
            wantText = nineDigits(wantText)
            gotText = nineDigits(gotText)
        }
        return gotText == wantText ? nil : "expected \(wantText), got \(gotText)"
    }

    /// The time with its fraction written in 9 digits.
    static func nineDigits(_ text: String) -> String {
        var body = text
        var zone = ""
        if body.hasSuffix("+00:00") {
            body.removeLast(6)
            zone = "+00:00"
        }
        guard let tee = body.firstIndex(of: "T") else { return text }
        if let dot = body[tee...].firstIndex(of: ".") {
            let fraction = body[body.index(after: dot)...]
            return body[..<dot] + "." + fraction + String(repeating: "0", count: max(0, 9 - fraction.count)) + zone
        }
        return body + ".000000000" + zone
    }
}
