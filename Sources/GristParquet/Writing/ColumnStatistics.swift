#if canImport(Glibc)
import Glibc
#endif

/// A column chunk's null count and the least and greatest of its values, as the footer's `Statistics`
/// stores them (PLAIN bytes; strings without their length). Orders are parquet.thrift's
/// `TypeDefinedOrder`: signed integers, doubles without NaN (a zero minimum is written -0.0, a zero
/// maximum +0.0), false before true, strings byte by byte as unsigned.
struct ColumnStatistics {
    var nullCount = 0
    private var minInt = Int64.max, maxInt = Int64.min
    private var minDouble = Double.infinity, maxDouble = -Double.infinity
    private var sawFalse = false, sawTrue = false
    private var minBytes: [UInt8]?, maxBytes: [UInt8]?
    /// A string past the length limit would have been the minimum or maximum: none is written.
    private var bytesDropped = false
    private var hasRange = false

    mutating func add(_ value: Int64) {
        minInt = min(minInt, value)
        maxInt = max(maxInt, value)
        hasRange = true
    }

    mutating func add(_ value: Double) {
        if value.isNaN { return }
        minDouble = min(minDouble, value)
        maxDouble = max(maxDouble, value)
        hasRange = true
    }

    mutating func add(_ value: Bool) {
        if value { sawTrue = true } else { sawFalse = true }
        hasRange = true
    }

    /// Adds a string, remembered only while it and the current bounds are at most `limit` bytes.
    mutating func add(_ value: UnsafeRawBufferPointer, limit: Int) {
        if bytesDropped { return }
        let isMin = minBytes.map { Self.compare(value, $0) < 0 } ?? true
        let isMax = maxBytes.map { Self.compare(value, $0) > 0 } ?? true
        if !isMin && !isMax { return }
        if value.count > limit {
            bytesDropped = true
            minBytes = nil
            maxBytes = nil
            return
        }
        if isMin { minBytes = Array(value) }
        if isMax { maxBytes = Array(value) }
        hasRange = true
    }

    /// The PLAIN bytes of the minimum and maximum, nil when unknown (no values, all NaN, or a long string).
    func encodedRange(_ kind: ParquetColumnSpec.Kind) -> (min: [UInt8], max: [UInt8])? {
        guard hasRange else { return nil }
        switch kind {
        case .int64:
            return (Self.littleEndian(minInt), Self.littleEndian(maxInt))
        case .double:
            let low = minDouble == 0 ? -0.0 : minDouble
            let high = maxDouble == 0 ? 0.0 : maxDouble
            return (Self.littleEndian(low.bitPattern), Self.littleEndian(high.bitPattern))
        case .boolean:
            return ([sawFalse ? 0 : 1], [sawTrue ? 1 : 0])
        case .string:
            guard !bytesDropped, let minBytes, let maxBytes else { return nil }
            return (minBytes, maxBytes)
        }
    }

    /// Unsigned byte-wise comparison, a prefix before the longer string: <0, 0 or >0.
    static func compare(_ left: UnsafeRawBufferPointer, _ right: [UInt8]) -> Int {
        right.withUnsafeBytes { right in
            let common = min(left.count, right.count)
            if common > 0 {
                let order = memcmp(left.baseAddress!, right.baseAddress!, common)
                if order != 0 { return Int(order) }
            }
            return left.count - right.count
        }
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
