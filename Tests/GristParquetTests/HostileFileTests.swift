import Foundation
import GristCore
import Testing
@testable import GristParquet

/// Hostile files (made by scripts/reference/make_parquet_fixtures.py from good ones) fail with the
/// expected kind and a message naming the file, and for column reads the row group, column and page.
@Suite struct HostileFileTests {
    @Test(arguments: Fixtures.hostileNames)
    func failsAsExpected(name: String) throws {
        let spec = try #require(Fixtures.hostile[name])
        let path = Fixtures.path(name)
        let error: GristError
        if spec["at"] as? String == "open" {
            do {
                _ = try ParquetFile(path: path)
                Issue.record("\(name) opened")
                return
            } catch let failure as GristError {
                error = failure
            }
        } else {
            let file = try ParquetFile(path: path)
            let column = try #require(file.columnIndex(named: spec["column"] as? String ?? ""))
            let rowGroup = try #require(spec["row_group"] as? Int)
            do {
                _ = try file.readColumn(rowGroup: rowGroup, column: column)
                Issue.record("\(name): the column read")
                return
            } catch let failure as GristError {
                error = failure
            }
            var place = "row group \(rowGroup), column \"\(spec["column"] as? String ?? "")\""
            if let page = spec["page"] as? Int { place += ", page \(page)" }
            #expect(error.message.hasPrefix(place + ": "), "\(error.message)")
            #expect(error.position?.byteOffset != nil)
            // The other columns still read (a bad chunk spoils only itself).
            for other in file.columns.indices where other != column && !file.columns[other].isNested {
                if name.hasPrefix("bad-chunk") || name.hasPrefix("bad-page") || name.hasPrefix("bad-codec") {
                    _ = try file.readColumn(rowGroup: rowGroup, column: other)
                }
            }
        }
        #expect(error.kind.code == spec["kind"] as? String, "\(error)")
        #expect(error.position?.path == path)
        #expect(error.description.hasPrefix(path))
        for word in spec["words"] as? [String] ?? [] {
            #expect(error.message.contains(word), "\(error.message) lacks \(word)")
        }
    }

    @Test func truncatedCopiesFailCleanly() throws {
        // Every prefix of a small file either fails with a GristError or (only whole) reads.
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: Fixtures.path("pa-fineweb-gzip"))))
        let folder = try TempFolder()
        var opened = 0
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 400)) {
            let path = try folder.write("cut.parquet", Array(bytes[0..<length]))
            do {
                _ = try ParquetFile(path: path)
                opened += 1
            } catch let error as GristError {
                #expect(error.kind == (length == 0 ? .skip(.emptyFile) : .skip(.truncated)), "\(length): \(error)")
            }
        }
        #expect(opened == 0)
    }

    /// Random changes of one to four bytes anywhere: every outcome is a value or a GristError, never a
    /// trap. One fixture per kind of page: dictionary v2, delta v1, plain v2 with many pages, duckdb v2.
    @Test(arguments: ["pa-types-v2-nulls", "pa-delta-v1", "pa-nodict-smallpages-v2", "dd-fineweb-v2-nulls"])
    func changedBytesNeverCrash(name: String) throws {
        let original = try Array(Data(contentsOf: URL(fileURLWithPath: Fixtures.path(name))))
        let folder = try TempFolder()
        var random = SplitMix64(seed: 15)
        let rounds = Int(ProcessInfo.processInfo.environment["GRIST_PARQUET_FUZZ_ROUNDS"] ?? "") ?? 250
        var failures = 0
        for _ in 0..<rounds {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 4)) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            let path = try folder.write("changed.parquet", bytes)
            do {
                let file = try ParquetFile(path: path)
                for group in file.rowGroups.indices {
                    for column in file.columns.indices {
                        do {
                            let values = try file.readColumn(rowGroup: group, column: column)
                            for row in 0..<values.count { _ = values.text(ofRow: row) }
                        } catch is GristError {
                            failures += 1
                        }
                    }
                }
            } catch is GristError {
                failures += 1
            }
        }
        #expect(failures > 0)
    }
}
