import Foundation
import GristCore
import Testing
@testable import GristParquet

/// Files written byte by byte here, for what no writer at hand produces: the deprecated BIT_PACKED
/// definition levels (most significant bit first), the old UINT_32 annotation, and the limits.
@Suite struct HandBuiltFileTests {
    /// A file of one optional INT32 column `n` annotated UINT_32, ten rows in one data page v1 whose
    /// definition levels are BIT_PACKED, values PLAIN, uncompressed.
    static func bitPackedFile(pageValueCount: Int32 = 10) -> [UInt8] {
        // Levels 1 1 0 1 0 1 1 1 | 1 0, most significant bit first; then the 7 values.
        var body: [UInt8] = [0b1101_0111, 0b1000_0000]
        for value: UInt32 in [0, 1, 2_147_483_648, 4_294_967_295, 5, 6, 7] {
            withUnsafeBytes(of: value.littleEndian) { body += $0 }
        }
        var page = CompactBytes()
        page.field(delta: 1, type: 5)
        page.zigzag(0)  // DATA_PAGE
        page.field(delta: 1, type: 5)
        page.zigzag(Int64(body.count))
        page.field(delta: 1, type: 5)
        page.zigzag(Int64(body.count))
        page.field(delta: 2, type: 12)  // 5: data_page_header
        page.field(delta: 1, type: 5)
        page.zigzag(Int64(pageValueCount))
        page.field(delta: 1, type: 5)
        page.zigzag(0)  // PLAIN
        page.field(delta: 1, type: 5)
        page.zigzag(4)  // BIT_PACKED definition levels
        page.field(delta: 1, type: 5)
        page.zigzag(3)
        page.stop()
        page.stop()
        let chunk = page.bytes + body

        var meta = CompactBytes()
        meta.field(delta: 1, type: 5)
        meta.zigzag(1)  // version
        meta.field(delta: 1, type: 9)  // schema
        meta.bytes.append(2 << 4 | 12)
        meta.field(delta: 4, type: 8)  // root: 4 name
        meta.binary("schema")
        meta.field(delta: 1, type: 5)  // 5 num_children
        meta.zigzag(1)
        meta.stop()
        meta.field(delta: 1, type: 5)  // 1 type INT32
        meta.zigzag(1)
        meta.field(delta: 2, type: 5)  // 3 repetition OPTIONAL
        meta.zigzag(1)
        meta.field(delta: 1, type: 8)  // 4 name
        meta.binary("n")
        meta.field(delta: 2, type: 5)  // 6 converted type UINT_32
        meta.zigzag(13)
        meta.stop()
        meta.field(delta: 1, type: 6)  // num_rows
        meta.zigzag(10)
        meta.field(delta: 1, type: 9)  // row_groups
        meta.bytes.append(1 << 4 | 12)
        meta.field(delta: 1, type: 9)  // columns
        meta.bytes.append(1 << 4 | 12)
        meta.field(delta: 2, type: 6)  // 2 file_offset
        meta.zigzag(4)
        meta.field(delta: 1, type: 12)  // 3 meta_data
        meta.field(delta: 1, type: 5)
        meta.zigzag(1)  // INT32
        meta.field(delta: 1, type: 9)
        meta.bytes.append(2 << 4 | 5)
        meta.zigzag(0)
        meta.zigzag(4)
        meta.field(delta: 1, type: 9)
        meta.bytes.append(1 << 4 | 8)
        meta.binary("n")
        meta.field(delta: 1, type: 5)
        meta.zigzag(0)  // UNCOMPRESSED
        meta.field(delta: 1, type: 6)
        meta.zigzag(10)  // num_values
        meta.field(delta: 1, type: 6)
        meta.zigzag(Int64(chunk.count))
        meta.field(delta: 1, type: 6)
        meta.zigzag(Int64(chunk.count))
        meta.field(delta: 2, type: 6)  // 9 data_page_offset
        meta.zigzag(4)
        meta.stop()
        meta.stop()
        meta.field(delta: 1, type: 6)  // 2 total_byte_size
        meta.zigzag(Int64(chunk.count))
        meta.field(delta: 1, type: 6)  // 3 num_rows
        meta.zigzag(10)
        meta.stop()
        meta.stop()

        var file = Array("PAR1".utf8) + chunk + meta.bytes
        withUnsafeBytes(of: UInt32(meta.bytes.count).littleEndian) { file += $0 }
        return file + Array("PAR1".utf8)
    }

    @Test func bitPackedLevelsAndUnsigned32() throws {
        let folder = try TempFolder()
        let file = try ParquetFile(path: folder.write("bits.parquet", Self.bitPackedFile()))
        #expect(file.columns.count == 1)
        #expect(file.columns[0].isOptional && !file.columns[0].isString)
        let values = try file.readColumn(rowGroup: 0, column: 0)
        guard case .int64s(let numbers) = values else {
            Issue.record("UINT_32 is not widened to int64s: \(values)")
            return
        }
        #expect((0..<10).map { numbers[$0] } == [0, 1, nil, 2_147_483_648, nil, 4_294_967_295, 5, 6, 7, nil])
        #expect(values.nullCount == 3)
    }

    @Test func aPageWithMoreValuesThanTheChunkFails() throws {
        let folder = try TempFolder()
        let file = try ParquetFile(path: folder.write("lie.parquet", Self.bitPackedFile(pageValueCount: 11)))
        do {
            _ = try file.readColumn(rowGroup: 0, column: 0)
            Issue.record("read")
        } catch let error as GristError {
            #expect(error.kind == .skip(.corrupt))
            #expect(error.message == "row group 0, column \"n\", page 0: data page holds 11 values, the column chunk has 10 left of its 10")
            #expect(error.position?.byteOffset == 4)
        }
    }

    @Test func pageLimits() {
        #expect(ReadLimits.checkPage(compressed: 10, uncompressed: 1 << 20) == nil)  // 100000x, but small
        #expect(ReadLimits.checkPage(compressed: 1 << 20, uncompressed: 200 << 20) == nil)  // 200x
        #expect(ReadLimits.checkPage(compressed: 3000, uncompressed: 100 << 20)?.kind == .skip(.decompressionBomb))
        #expect(ReadLimits.checkPage(compressed: 1 << 30, uncompressed: (1 << 30) + 1)?.kind == .skip(.corrupt))
        var budget = ColumnBudget(storedBytes: 1 << 20)
        #expect(budget.limit == 1000 << 20)
        #expect(throws: DecodeFailure.self) { try budget.spend((1000 << 20) + 1, for: "too much") }
        #expect(budget.spent == 0)
        #expect(ColumnBudget(storedBytes: 10).limit == ReadLimits.expansionFloorBytes)
        #expect(ColumnBudget(storedBytes: Int.max / 2).limit == Int.max)
    }
}
