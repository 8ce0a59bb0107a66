import Foundation
@testable import GristDedup
import Testing

/// Normalization, shingle hashes, permutation parameters and signatures, value for value against
/// datatrove 0.10.1 (fixtures: `scripts/golden/make_dedup_golden.py`).
@Suite struct DatatroveGoldenTests {
    @Test func normalizationEqualsSimplifyText() throws {
        var normalizer = TextNormalizer()
        var mismatches: [String] = []
        let rows = try Fixtures.lines("normalize.jsonl")
        #expect(rows.count > 50)
        for row in rows {
            let text = row["text"] as? String ?? "", expected = row["normalized"] as? String ?? "?"
            let got = String(decoding: normalizer.normalize(Array(text.utf8)), as: UTF8.self)
            if got != expected { mismatches.append("\(text.prefix(60).debugDescription): got \(got.prefix(80).debugDescription), datatrove \(expected.prefix(80).debugDescription)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(5).joined(separator: "\n"))")
    }

    @Test func xxhash64EqualsReference() throws {
        let rows = try Fixtures.lines("xxhash.jsonl")
        #expect(rows.count == 33)
        for row in rows {
            let hex = row["hex"] as? String ?? ""
            var bytes: [UInt8] = []
            var index = hex.startIndex
            while index < hex.endIndex {
                let next = hex.index(index, offsetBy: 2)
                bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
                index = next
            }
            let seed = try #require(uint64(row["seed"]))
            #expect(XXHash64.hash(bytes, seed: seed) == uint64(row["hash"]), "\(hex) seed \(seed)")
        }
    }

    @Test func permutationParametersEqualNumpyRandomState() throws {
        let sets = try #require(try Fixtures.json("parameters.json") as? [[String: Any]])
        #expect(sets.count == 2)
        for set in sets {
            let seed = try #require(uint64(set["seed"])), count = try #require(set["count"] as? Int)
            let parameters = MinHashParameters(count: count, seed: UInt32(seed))
            let a = (set["a"] as? [Any] ?? []).compactMap(uint64), b = (set["b"] as? [Any] ?? []).compactMap(uint64)
            #expect(a.count == count && b.count == count)
            #expect(parameters.a == a, "seed \(seed): a")
            #expect(parameters.b == b, "seed \(seed): b")
        }
    }

    @Test func signaturesEqualDatatroveWhereSpacySplitsAtSpaces() throws {
        var sketcher = DocumentSketcher()
        var compared = 0, withSignature = 0
        for row in try Fixtures.lines("signatures.jsonl") {
            let text = row["text"] as? String ?? ""
            let expected = (row["signature"] as? [Any] ?? []).compactMap(uint64)
            let sketch = sketcher.sketch(Array(text.utf8))
            if !expected.isEmpty { withSignature += 1 }
            guard row["spacy_words_equal"] as? Bool == true else { continue }
            compared += 1
            #expect(sketch.signature == expected, "\(text.prefix(80).debugDescription)")
            #expect(sketch.bandKeys.count == (expected.isEmpty ? 0 : 14))
        }
        #expect(compared >= 40)
        #expect(withSignature >= 40)
    }
}
