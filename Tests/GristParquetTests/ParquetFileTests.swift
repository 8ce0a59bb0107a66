import Foundation
import Synchronization
import GristCore
import Testing
@testable import GristParquet

/// `ParquetFile`'s API beyond the values: row group places, lookups, nested columns, bad arguments,
/// files that are not files, and reads from several threads at once.
@Suite struct ParquetFileTests {
    @Test func rowGroupsLieInOrderInsideTheFile() throws {
        let path = Fixtures.path("pa-fineweb-snappy-rg30")
        let file = try ParquetFile(path: path)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(file.rowGroups.map(\.rowCount) == [30, 30, 20])
        #expect(file.rowCount == 80)
        #expect(file.rowGroups[0].fileOffset == 4)
        for (earlier, later) in zip(file.rowGroups, file.rowGroups.dropFirst()) {
            #expect(later.fileOffset == earlier.fileOffset + earlier.compressedBytes)
        }
        #expect(file.rowGroups.allSatisfy { $0.compressedBytes > 0 })
        #expect(file.rowGroups.last.map { $0.fileOffset + $0.compressedBytes } ?? 0 < size)
    }

    @Test func columnsByName() throws {
        let file = try ParquetFile(path: Fixtures.path("pa-fineweb-zstd"))
        #expect(file.columns.map(\.name) == ["text", "id", "dump", "url", "date", "file_path", "language", "language_score", "token_count"])
        #expect(file.columnIndex(named: "url") == 3)
        #expect(file.columnIndex(named: "URL") == nil)
        let text = file.columns[0]
        #expect(text.isString && text.physicalType == .byteArray && text.isOptional && !text.isNested)
        #expect(!file.columns[8].isString && file.columns[8].physicalType == .int64)
    }

    @Test func nestedColumnsAreListedAndRefused() throws {
        let file = try ParquetFile(path: Fixtures.path("pa-nested"))
        #expect(file.columns.map(\.name) == ["id", "tags", "meta", "text"])
        #expect(file.columns.map(\.isNested) == [false, true, true, false])
        do {
            _ = try file.readColumn(rowGroup: 0, column: 1)
            Issue.record("a nested column read")
        } catch let error as GristError {
            #expect(error.kind == .usage)
            #expect(error.message.hasPrefix("row group 0, column \"tags\": a nested column"))
        }
        // The flat column after the groups is found past their three leaves.
        let text = try file.readColumn(rowGroup: 0, column: 3)
        #expect(text.count == 20)
        #expect(text.string(ofRow: 0)?.isEmpty == false)
    }

    @Test func rowGroupsAndColumnsOutOfRange() throws {
        let file = try ParquetFile(path: Fixtures.path("pa-fineweb-none"))
        for (group, column) in [(1, 0), (-1, 0), (0, 9), (0, -1)] {
            do {
                _ = try file.readColumn(rowGroup: group, column: column)
                Issue.record("row group \(group), column \(column) read")
            } catch let error as GristError {
                #expect(error.kind == .usage)
            }
        }
    }

    @Test func missingFilesAndFolders() throws {
        let folder = try TempFolder()
        for path in [folder.path + "/missing.parquet", folder.path] {
            do {
                _ = try ParquetFile(path: path)
                Issue.record("\(path) opened")
            } catch let error as GristError {
                #expect(error.kind == .io)
                #expect(error.position?.path == path)
            }
        }
    }

    @Test func readsFromManyThreadsAgree() throws {
        let file = try ParquetFile(path: Fixtures.path("pa-fineweb-snappy-rg30"))
        let jobs = file.rowGroups.indices.flatMap { group in file.columns.indices.map { (group, $0) } }
        let sequential = try jobs.map { try Self.texts(file.readColumn(rowGroup: $0.0, column: $0.1)) }
        let results = Mutex<[[String?]?]>(Array(repeating: nil, count: jobs.count))
        DispatchQueue.concurrentPerform(iterations: jobs.count * 3) { i in
            let job = jobs[i % jobs.count]
            let texts = try? Self.texts(file.readColumn(rowGroup: job.0, column: job.1))
            results.withLock { $0[i % jobs.count] = texts }
        }
        #expect(results.withLock { $0 }.map { $0 ?? [] } == sequential)
    }

    static func texts(_ values: ParquetColumnValues) -> [String?] {
        (0..<values.count).map { values.string(ofRow: $0) }
    }

    @Test func byteArrayOffsetsAreConsistent() throws {
        let file = try ParquetFile(path: Fixtures.path("pa-fineweb-v2-zstd-nulls"))
        guard case .byteArrays(let text) = try file.readColumn(rowGroup: 0, column: 0) else {
            Issue.record("text is not byte arrays")
            return
        }
        #expect(text.offsets.first == 0)
        #expect(text.offsets.last == text.bytes.count)
        #expect(zip(text.offsets, text.offsets.dropFirst()).allSatisfy { $0 <= $1 })
        let validity = try #require(text.validity)
        for row in 0..<text.count where !validity[row] {
            #expect(text.offsets[row] == text.offsets[row + 1])
            #expect(text[row] == nil)
        }
        #expect(validity.contains(false) && validity.contains(true))
    }
}
