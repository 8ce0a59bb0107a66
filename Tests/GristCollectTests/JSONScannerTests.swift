import GristCore
import Testing
@testable import GristCollect

@Suite("JSONScanner")
struct JSONScannerTests {
    /// Scans `line` for a `text` field; returns its decoded text, or the error.
    private func scan(_ line: String, field: String = "text") -> Result<String?, JSONScanError> {
        var scanner = JSONScanner(fields: [JSONFieldPath(field)])
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { raw -> Result<String?, JSONScanError> in
            do throws(JSONScanError) {
                try scanner.scan(raw)
            } catch {
                return .failure(error)
            }
            guard let span = scanner.value(ofField: 0), span.type == .string,
                  let p = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .success(nil) }
            let text = JSONString.decode(p, from: span.start + 1, to: span.end - 1, escaped: span.escaped)
            return .success(String(decoding: text, as: UTF8.self))
        }
    }

    private func isValid(_ line: String) -> Bool {
        if case .success = scan(line) { return true }
        return false
    }

    @Test("valid JSON objects", arguments: [
        "{}", " { } ", "{\"a\":1}", "{\"a\":-0}", "{\"a\":0.5}", "{\"a\":1e10}", "{\"a\":1E+2}", "{\"a\":-1.25e-7}",
        "{\"a\":true,\"b\":false,\"c\":null}", "{\"a\":[]}", "{\"a\":[1,[2,{}],\"x\"]}", "{\"a\":{\"b\":{\"c\":{}}}}",
        "{\"\":\"\"}", "{\"a\\u0041\":\"\\/\"}", "{\"a\"\t:\r\"b\"}", "{\"a\":\"\\uD834\\uDD1E\"}",
    ])
    func valid(line: String) {
        #expect(isValid(line))
    }

    @Test("invalid JSON", arguments: [
        "", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}", "{'a':1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}",
        "{\"a\":+1}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":\"x}",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":1}}", "{\"a\":1} {}", "[{}]", "\"s\"", "42",
        "{\"a\":NaN}", "{\"a\":\"line\nbreak\"}",
    ])
    func invalid(line: String) {
        guard case .failure(let error) = scan(line) else {
            Issue.record("accepted \(line)")
            return
        }
        #expect(error.kind == .skip(.notJSON))
    }

    @Test func decodesTheField() throws {
        #expect(try scan(#"{"x": {"text": "no"}, "text": "a\u00e9\n"}"#).get() == "aé\n")
        #expect(try scan(#"{"t\u0065xt": "escaped key"}"#).get() == "escaped key")
        #expect(try scan(#"{"x": 1}"#).get() == nil)
        #expect(try scan(#"{"a": {"b": {"c": "deep"}}}"#, field: "a.b.c").get() == "deep")
        #expect(try scan(#"{"a": [{"b": "in array"}]}"#, field: "a.b").get() == nil)
    }

    @Test func longStringsUseTheFastPath() throws {
        let long = String(repeating: "abcdefgh é 中 ", count: 500)
        #expect(try scan("{\"text\": \"\(long)\"}").get() == long)
    }

    @Test func surrogateErrorsAreInvalidUTF8() {
        for line in [#"{"a": "\ud800"}"#, #"{"a": "\udfff x"}"#, #"{"a": "\ud800\u0041"}"#, #"{"a": "\ud800\ud800"}"#] {
            guard case .failure(let error) = scan(line) else {
                Issue.record("accepted \(line)")
                continue
            }
            #expect(error.kind == .skip(.invalidUTF8))
            #expect(error.index == 7)
        }
    }

    @Test func rawInvalidUTF8() {
        // Overlong, surrogate-encoded, too-large and cut-off sequences.
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            var scanner = JSONScanner(fields: [JSONFieldPath("text")])
            let line = Array("{\"text\": \"".utf8) + bad + Array("\"}".utf8)
            let result: JSONScanError? = line.withUnsafeBytes { raw in
                do throws(JSONScanError) {
                    try scanner.scan(raw)
                    return nil
                } catch {
                    return error
                }
            }
            #expect(result?.kind == .skip(.invalidUTF8))
            #expect(result?.index == 10)
        }
    }

    @Test func nestingLimit() {
        let nested = { (depth: Int) in
            String(repeating: "{\"a\":", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        }
        #expect(isValid(nested(JSONScanner.maxDepth)))
        guard case .failure(let error) = scan(nested(JSONScanner.maxDepth + 1)) else {
            Issue.record("accepted too deep nesting")
            return
        }
        #expect(error.message.contains("deeper than"))
    }
}
