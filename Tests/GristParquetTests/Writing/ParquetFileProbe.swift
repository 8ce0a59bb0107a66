import CSnappy
import CZstd
import Foundation
@testable import GristParquet

// A minimal reader of what ParquetWriter writes, for the writer's tests only: the footer decoded as a
// Thrift tree, each chunk's pages walked, decompressed and decoded (PLAIN, RLE_DICTIONARY, RLE levels).
// GristParquet's own reader replaces it in round-trip tests; pyarrow, polars and DuckDB check the files
// in scripts/reference/check_parquet_written.py.

/// A Thrift compact value, decoded without a schema.
indirect enum ThriftValue: Equatable {
    case bool(Bool), int(Int64), double(Double), binary([UInt8]), list([ThriftValue]), fields([Int16: ThriftValue])

    subscript(_ id: Int16) -> ThriftValue? {
        if case .fields(let fields) = self { return fields[id] }
        return nil
    }
    var int: Int? { if case .int(let value) = self { return Int(value) }; return nil }
    var bool: Bool? { if case .bool(let value) = self { return value }; return nil }
    var binary: [UInt8]? { if case .binary(let value) = self { return value }; return nil }
    var string: String? { binary.map { String(decoding: $0, as: UTF8.self) } }
    var list: [ThriftValue]? { if case .list(let value) = self { return value }; return nil }
    var fieldIDs: [Int16] { if case .fields(let fields) = self { return fields.keys.sorted() }; return [] }
}

/// Decodes the Thrift compact protocol (spec: Apache Thrift's thrift-compact-protocol.md).
struct ThriftProbeReader {
    let bytes: [UInt8]
    var position: Int

    init(_ bytes: [UInt8], at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func readStruct() throws -> ThriftValue {
        var fields: [Int16: ThriftValue] = [:]
        var lastID: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return .fields(fields) }
            let type = header & 0x0F
            let delta = header >> 4
            let id = delta == 0 ? Int16(try zigzag()) : lastID + Int16(delta)
            lastID = id
            fields[id] = type == 1 ? .bool(true) : type == 2 ? .bool(false) : try value(type)
        }
    }

    private mutating func value(_ type: UInt8) throws -> ThriftValue {
        switch type {
        case 1, 2: return .bool(try byte() == 1)  // a bool list element
        case 3: return .int(Int64(Int8(bitPattern: try byte())))
        case 4, 5, 6: return .int(try zigzag())
        case 7:
            var bits: UInt64 = 0
            for shift in 0..<8 { bits |= UInt64(try byte()) << UInt64(8 * shift) }
            return .double(Double(bitPattern: bits))
        case 8:
            let count = Int(try varint())
            guard position + count <= bytes.count else { throw ProbeError("binary past the end at \(position)") }
            defer { position += count }
            return .binary(Array(bytes[position..<position + count]))
        case 9, 10:
            let header = try byte()
            let count = header >> 4 == 15 ? Int(try varint()) : Int(header >> 4)
            return .list(try (0..<count).map { _ in try value(header & 0x0F) })
        case 12: return try readStruct()
        default: throw ProbeError("Thrift type \(type) at \(position)")
        }
    }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw ProbeError("Thrift data ends at \(position)") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            result |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return result }
            shift += 7
            guard shift < 64 else { throw ProbeError("varint too long at \(position)") }
        }
    }

    mutating func zigzag() throws -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}

/// A value read back, to compare with what was written.
enum ProbeValue: Equatable, CustomStringConvertible {
    case bytes([UInt8]), int64(Int64), double(Double), bool(Bool)

    init(_ value: ParquetValue) {
        switch value {
        case .bytes(let bytes): self = .bytes(Array(bytes))
        case .byteArray(let bytes): self = .bytes(bytes)
        case .int64(let number): self = .int64(number)
        case .double(let number): self = .double(number)
        case .bool(let flag): self = .bool(flag)
        }
    }

    /// Doubles by their bits: NaN equals NaN, -0.0 differs from 0.0.
    static func == (left: ProbeValue, right: ProbeValue) -> Bool {
        switch (left, right) {
        case (.bytes(let a), .bytes(let b)): a == b
        case (.int64(let a), .int64(let b)): a == b
        case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern
        case (.bool(let a), .bool(let b)): a == b
        default: false
        }
    }

    var description: String {
        switch self {
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self).debugDescription
        case .int64(let number): "\(number)"
        case .double(let number): "\(number)"
        case .bool(let flag): "\(flag)"
        }
    }
}

/// One page as the probe found it.
struct ProbePage {
    var type: ParquetPageType
    var encoding: ParquetEncoding
    var values: Int
    var offset: Int
}

/// A written file: its footer, and each column's pages and values.
struct ParquetFileProbe {
    let bytes: [UInt8]
    let footer: ThriftValue

    init(path: String) throws {
        bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count >= 12, Array(bytes.prefix(4)) == parquetMagic, Array(bytes.suffix(4)) == parquetMagic else {
            throw ProbeError("\(path): no PAR1 at both ends")
        }
        let length = bytes[bytes.count - 8..<bytes.count - 4].reversed().reduce(0) { $0 << 8 | Int($1) }
        let start = bytes.count - 8 - length
        var reader = ThriftProbeReader(bytes, at: start)
        footer = try reader.readStruct()
        guard reader.position == bytes.count - 8 else {
            throw ProbeError("the footer decodes to \(reader.position - start) bytes, its length says \(length)")
        }
    }

    var rowGroups: [ThriftValue] { footer[4]?.list ?? [] }
    var schema: [ThriftValue] { footer[2]?.list ?? [] }

    /// The ColumnMetaData of column `column` in row group `group`.
    func metaData(group: Int, column: Int) throws -> ThriftValue {
        guard let meta = rowGroups[group][1]?.list?[column][3] else { throw ProbeError("no meta_data for \(group).\(column)") }
        return meta
    }

    /// Every value of a column, row groups in order; nil for null.
    func values(column: Int) throws -> [ProbeValue?] {
        try rowGroups.indices.flatMap { try chunk(group: $0, column: column).values }
    }

    /// Walks a column chunk: every page from its first offset over its total_compressed_size, decoded.
    func chunk(group: Int, column: Int) throws -> (pages: [ProbePage], values: [ProbeValue?]) {
        let meta = try metaData(group: group, column: column)
        guard let type = meta[1]?.int.flatMap({ ParquetPhysicalType(rawValue: Int32($0)) }),
              let codec = meta[4]?.int.flatMap({ ParquetCompression(rawValue: Int32($0)) }),
              let total = meta[7]?.int, let dataOffset = meta[9]?.int, let valueCount = meta[5]?.int else {
            throw ProbeError("incomplete ColumnMetaData \(meta)")
        }
        let nullable = schema[column + 1][3]?.int == Int(ParquetRepetition.optional.rawValue)
        let start = meta[11]?.int ?? dataOffset
        var position = start
        var pages: [ProbePage] = []
        var dictionary: [ProbeValue] = []
        var values: [ProbeValue?] = []
        while position < start + total {
            var reader = ThriftProbeReader(bytes, at: position)
            let header = try reader.readStruct()
            guard let pageType = header[1]?.int.flatMap({ ParquetPageType(rawValue: Int32($0)) }),
                  let uncompressedSize = header[2]?.int, let compressedSize = header[3]?.int else {
                throw ProbeError("bad page header at \(position)")
            }
            let bodyStart = reader.position
            let body = Array(bytes[bodyStart..<bodyStart + compressedSize])
            switch pageType {
            case .dictionaryPage:
                guard position == start, let count = header[7]?[1]?.int else { throw ProbeError("misplaced dictionary page") }
                let plain = try decompress(body, codec: codec, size: uncompressedSize)
                dictionary = try decodePlain(plain, 0..<plain.count, type: type, count: count)
                pages.append(ProbePage(type: pageType, encoding: .plain, values: count, offset: position))
            case .dataPage, .dataPageV2:
                if pages.isEmpty || pages.last?.type == .dictionaryPage {
                    guard position == dataOffset else { throw ProbeError("first data page at \(position), data_page_offset \(dataOffset)") }
                }
                let isV2 = pageType == .dataPageV2
                guard let pageHeader = header[isV2 ? 8 : 5], let rows = pageHeader[1]?.int,
                      let encoding = pageHeader[isV2 ? 4 : 2]?.int.flatMap({ ParquetEncoding(rawValue: Int32($0)) }) else {
                    throw ProbeError("bad data page header \(header)")
                }
                var page: [UInt8]
                var levelRange: Range<Int>
                if isV2 {
                    let levelBytes = pageHeader[5]?.int ?? 0
                    let compressed = pageHeader[7]?.bool ?? true
                    let rest = Array(body[levelBytes...])
                    page = Array(body[..<levelBytes])
                        + (compressed ? try decompress(rest, codec: codec, size: uncompressedSize - levelBytes) : rest)
                    levelRange = 0..<levelBytes
                } else {
                    page = try decompress(body, codec: codec, size: uncompressedSize)
                    if nullable {
                        let length = page[0..<4].reversed().reduce(0) { $0 << 8 | Int($1) }
                        levelRange = 4..<4 + length
                    } else {
                        levelRange = 0..<0
                    }
                }
                let levels = nullable ? try decodeRLEHybrid(page, levelRange, bitWidth: 1, count: rows) : Array(repeating: 1, count: rows)
                let present = levels.filter { $0 == 1 }.count
                let valueStart = nullable ? levelRange.upperBound : 0
                var decoded: [ProbeValue]
                if encoding == .rleDictionary {
                    let bitWidth = Int(page[valueStart])
                    let indices = try decodeRLEHybrid(page, valueStart + 1..<page.count, bitWidth: bitWidth, count: present)
                    decoded = try indices.map {
                        guard Int($0) < dictionary.count else { throw ProbeError("index \($0) past a dictionary of \(dictionary.count)") }
                        return dictionary[Int($0)]
                    }
                } else {
                    decoded = try decodePlain(page, valueStart..<page.count, type: type, count: present)
                }
                var next = decoded.makeIterator()
                values += levels.map { $0 == 1 ? next.next() : nil }
                pages.append(ProbePage(type: pageType, encoding: encoding, values: rows, offset: position))
            default:
                throw ProbeError("unexpected page type \(pageType)")
            }
            position = bodyStart + compressedSize
        }
        guard position == start + total else { throw ProbeError("pages end at \(position), the chunk at \(start + total)") }
        guard values.count == valueCount else { throw ProbeError("\(values.count) values, num_values \(valueCount)") }
        return (pages, values)
    }

    private func decompress(_ body: [UInt8], codec: ParquetCompression, size: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        switch codec {
        case .uncompressed:
            out = body
        case .snappy:
            var length = size
            let status = body.withUnsafeBytes { input in
                out.withUnsafeMutableBytes { output in
                    snappy_uncompress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                      output.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
                }
            }
            guard status == SNAPPY_OK, length == size else { throw ProbeError("snappy page: status \(status), \(length) of \(size) bytes") }
        case .zstd:
            let length = body.withUnsafeBytes { input in
                out.withUnsafeMutableBytes { ZSTD_decompress($0.baseAddress, size, input.baseAddress, input.count) }
            }
            guard ZSTD_isError(length) == 0, length == size else { throw ProbeError("zstd page: \(length) of \(size) bytes") }
        default:
            throw ProbeError("codec \(codec)")
        }
        guard out.count == size else { throw ProbeError("page of \(out.count) bytes, header says \(size)") }
        return out
    }

    private func decodePlain(_ page: [UInt8], _ range: Range<Int>, type: ParquetPhysicalType, count: Int) throws -> [ProbeValue] {
        var position = range.lowerBound
        func littleEndian(_ width: Int) throws -> UInt64 {
            guard position + width <= range.upperBound else { throw ProbeError("PLAIN values end early") }
            defer { position += width }
            return page[position..<position + width].reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
        var out: [ProbeValue] = []
        for index in 0..<count {
            switch type {
            case .byteArray:
                let length = Int(try littleEndian(4))
                guard position + length <= range.upperBound else { throw ProbeError("a byte array runs past the page") }
                out.append(.bytes(Array(page[position..<position + length])))
                position += length
            case .int64: out.append(.int64(Int64(bitPattern: try littleEndian(8))))
            case .double: out.append(.double(Double(bitPattern: try littleEndian(8))))
            case .boolean: out.append(.bool(page[range.lowerBound + index / 8] >> UInt8(index % 8) & 1 == 1))
            default: throw ProbeError("type \(type)")
            }
        }
        if type == .boolean { position = range.lowerBound + (count + 7) / 8 }
        guard position == range.upperBound else { throw ProbeError("\(range.upperBound - position) bytes after the PLAIN values") }
        return out
    }
}
