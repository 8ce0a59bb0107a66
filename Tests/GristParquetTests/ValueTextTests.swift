import Testing
@testable import GristParquet

/// Values as text: integers, floats as Python writes them, ISO 8601 times as pyarrow's values give
/// them through Python's `isoformat()`.
@Suite struct ValueTextTests {
    func text(_ body: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        body(&out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func integers() {
        #expect(text { ValueText.appendDecimal(Int64(0), to: &$0) } == "0")
        #expect(text { ValueText.appendDecimal(Int64.min, to: &$0) } == "-9223372036854775808")
        #expect(text { ValueText.appendDecimal(Int64.max, to: &$0) } == "9223372036854775807")
        #expect(text { ValueText.appendDecimal(UInt64.max, to: &$0) } == "18446744073709551615")
        #expect(text { ValueText.appendPadded(7, width: 2, to: &$0) } == "07")
        #expect(text { ValueText.appendPadded(123, width: 2, to: &$0) } == "123")
    }

    @Test func floatsAsPythonReprWritesThem() {
        #expect(ValueText.float(0.1) == "0.1")
        #expect(ValueText.float(1e16) == "1e+16")
        #expect(ValueText.float(1e-05) == "1e-05")
        #expect(ValueText.float(-0.0) == "-0.0")
        #expect(ValueText.float(Double.nan) == "nan")
        #expect(ValueText.float(-Double.infinity) == "-inf")
        #expect(ValueText.float(Float(0.9)) == "0.9")
    }

    @Test func dates() {
        #expect(text { ValueText.appendDate(daysSince1970: 0, to: &$0) } == "1970-01-01")
        #expect(text { ValueText.appendDate(daysSince1970: -1, to: &$0) } == "1969-12-31")
        #expect(text { ValueText.appendDate(daysSince1970: 19_724, to: &$0) } == "2024-01-02")
        #expect(text { ValueText.appendDate(daysSince1970: 11_016, to: &$0) } == "2000-02-29")
        #expect(text { ValueText.appendDate(daysSince1970: -719_162, to: &$0) } == "0001-01-01")
        #expect(text { ValueText.appendDate(daysSince1970: 2_932_896, to: &$0) } == "9999-12-31")
    }

    @Test func timestamps() {
        func iso(_ value: Int64, _ unit: ParquetTimeUnit, utc: Bool = false) -> String {
            text { ValueText.appendTimestamp(value, unit: unit, adjustedToUTC: utc, to: &$0) }
        }
        #expect(iso(1_704_164_645_123_456, .microseconds) == "2024-01-02T03:04:05.123456")
        #expect(iso(1_704_164_645_000_000, .microseconds) == "2024-01-02T03:04:05")
        #expect(iso(1_704_164_645_120, .milliseconds) == "2024-01-02T03:04:05.120000")
        #expect(iso(1_704_164_645_123_456_789, .nanoseconds) == "2024-01-02T03:04:05.123456789")
        #expect(iso(1_704_164_645_123_456_000, .nanoseconds) == "2024-01-02T03:04:05.123456")
        #expect(iso(-1, .microseconds) == "1969-12-31T23:59:59.999999")
        #expect(iso(-1, .milliseconds, utc: true) == "1969-12-31T23:59:59.999000+00:00")
        #expect(iso(Int64.min, .nanoseconds) == "1677-09-21T00:12:43.145224192")
    }

    @Test func columnValuesAsText() {
        let values = ParquetColumnValues.int64s(ParquetFixedValues(values: [5, 0, -7], validity: [true, false, true]))
        #expect(values.count == 3)
        #expect(values.nullCount == 1)
        #expect(values.string(ofRow: 0) == "5")
        #expect(values.string(ofRow: 1) == nil)
        var out = Array("x=".utf8)
        #expect(values.appendText(ofRow: 2, to: &out))
        #expect(!values.appendText(ofRow: 1, to: &out))
        #expect(String(decoding: out, as: UTF8.self) == "x=-7")
        let flags = ParquetColumnValues.booleans(ParquetFixedValues(values: [true, false], validity: nil))
        #expect(flags.string(ofRow: 0) == "true")
        #expect(flags.string(ofRow: 1) == "false")
        let strings = ParquetColumnValues.byteArrays(ParquetByteArrays(bytes: Array("abcde".utf8), offsets: [0, 2, 2, 5], validity: [true, false, true]))
        #expect(strings.string(ofRow: 0) == "ab")
        #expect(strings.string(ofRow: 1) == nil)
        #expect(strings.text(ofRow: 2) == Array("cde".utf8))
    }
}
