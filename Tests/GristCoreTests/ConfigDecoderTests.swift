import GristCore
import Testing

@Suite struct ConfigDecoderTests {
    private let minimal = TestPipeline.oneSource

    private func decode(_ yaml: String) throws -> PipelineConfig { try TestPipeline.decode(yaml, header: "") }

    private func error(_ yaml: String) -> String { TestPipeline.error(yaml, header: "") }

    @Test func decodesMinimalConfigWithDefaults() throws {
        let config = try decode(minimal)
        #expect(config.name == "t")
        #expect(config.output.value == "out/t")
        #expect(config.output.location?.line == 3)
        #expect(config.seed == 0)
        #expect(config.onError == .skip)
        #expect(config.sources[0].format == .text)
        #expect(config.sources[0].weight == 1)
        #expect(config.sources[0].paths[0].location?.line == 7)
        #expect(config.clean.unicode == .nfc)
        #expect(config.dedup.exact)
        #expect(config.mix.valFraction == 0.01)
        #expect(config.shards.tokensPerShard == 100_000_000)
    }

    /// Every error decoding can go on past is reported in one run, in line order, each with its line.
    @Test func reportsEveryErrorOfAFileInLineOrder() {
        let yaml = """
            version: 1
            name: t
            output: out/t
            seed: ten
            sources:
              - name: a
                format: jsonl
                paths: [a.jsonl]
                weight: -1
                jsonl: {text_feild: body}
              - name: b
                format: text
                paths: [b.txt]
                invalid_utf8: drop
            mix: {val_fraction: 2}
            shards: {tokens_per_shard: 0}
            """
        #expect(throws: ConfigErrors.self) { try decode(yaml) }
        #expect(error(yaml).split(separator: "\n") == [
            #"p.yaml:4: seed: expected a non-negative integer in 0...9223372036854775807, got "ten""#,
            "p.yaml:9: sources[0].weight: expected a number ≥ 0.0, got -1",
            #"p.yaml:10: sources[0].jsonl.text_feild: unknown key "text_feild" (did you mean "text_field"?)"#,
            #"p.yaml:14: sources[1].invalid_utf8: expected one of "reject", "replace", got "drop""#,
            "p.yaml:15: mix.val_fraction: expected a number ≥ 0.0 and < 1.0, got 2",
            "p.yaml:16: shards.tokens_per_shard: expected an integer in 1...2147483647, got 0",
        ])
        // An error that leaves nothing to go on with ends decoding, reported after those before it.
        let fatal = yaml.replacingOccurrences(of: "    format: text\n", with: "")
        #expect(error(fatal).hasSuffix(#"sources[1]: missing required key "format""#), "\(error(fatal))")
        #expect(error(fatal).hasPrefix("p.yaml:4: seed:"))
    }

    @Test func rejectsUnknownKeyWithLineAndSuggestion() {
        let message = error(minimal + "\nsede: 3")
        #expect(message == #"p.yaml:9: sede: unknown key "sede" (did you mean "seed"?)"#)
    }

    @Test func rejectsUnknownNestedKey() {
        let message = error(minimal + "\n    wieght: 2")
        #expect(message.hasPrefix("p.yaml:9: sources[0].wieght: unknown key \"wieght\""))
    }

    @Test func reportsWrongTypeWithPathAndLine() {
        let yaml = minimal + """

            filters:
              - kind: length
                min_words: 5
            mix:
              val_fraction: lots
            """
        #expect(error(yaml) == #"p.yaml:13: mix.val_fraction: expected a number ≥ 0.0 and < 1.0, got "lots""#)
    }

    @Test func reportsOutOfRangeValue() {
        #expect(error(minimal + "\nshards: {tokens_per_shard: 0}")
            == "p.yaml:9: shards.tokens_per_shard: expected an integer in 1...2147483647, got 0")
    }

    @Test func refusesQuotedNumbers() {
        #expect(error(minimal + "\nseed: \"12\"") == #"p.yaml:9: seed: expected a non-negative integer in 0...9223372036854775807, got "12""#)
    }

    @Test func listsChoicesForBadEnum() {
        let yaml = minimal.replacingOccurrences(of: "format: text", with: "format: pdf")
        #expect(error(yaml) == #"p.yaml:6: sources[0].format: expected one of "text", "jsonl", "html", "warc", "wet", "mediawiki", "parquet", "hf_dataset", got "pdf""#)
    }

    @Test func reportsMissingRequiredKey() {
        let yaml = minimal.replacingOccurrences(of: "name: t\n", with: "")
        #expect(error(yaml) == #"p.yaml:1: missing required key "name""#)
    }

    @Test func rejectsDuplicateSourceNamesAtTheSecondEntry() {
        let yaml = minimal.replacingOccurrences(of: "\n\n", with: "\n") + """
              - name: a
                format: text
                paths: [b.txt]
            """
        #expect(error(yaml) == #"p.yaml:8: sources[1].name: source name "a" is used twice"#)
    }

    @Test func rejectsDuplicateKeysWithTheirLine() {
        let message = error(minimal + "seed: 1\nseed: 2\n")
        #expect(message.hasPrefix("p.yaml:"))
        #expect(message.contains(#"a mapping has the key "seed" more than once"#))
    }

    @Test func nullIsNotAString() {
        let yaml = minimal.replacingOccurrences(of: "output: out/t", with: "output: ~")
        #expect(error(yaml) == "p.yaml:3: output: expected a string, got \"~\"")
    }

    @Test func numbersAreDecimalOnly() throws {
        #expect(error(minimal + "mix: {val_fraction: 0x0.1p0}").contains("expected a number"))
        #expect(error(minimal + "mix: {val_fraction: .nan}").contains("expected a number"))
        #expect(try decode(minimal + "mix: {val_fraction: 2.5e-2}").mix.valFraction == 0.025)
    }

    @Test func seedsFitInASignedInteger() {
        #expect(error(minimal + "seed: 18446744073709551615").contains("expected a non-negative integer in 0...9223372036854775807"))
    }

    @Test func rejectsOptionsForTheWrongFormat() {
        let yaml = minimal.replacingOccurrences(of: "format: text", with: "format: text\n    jsonl: {text_field: x}")
        #expect(error(yaml).contains(#"sources[0].jsonl: "jsonl" options given for a source of format "text""#))
    }

    @Test func reportsYAMLSyntaxErrorsWithLine() {
        let message = error("version: 1\nname: [unclosed\n")
        #expect(message.hasPrefix("p.yaml:"))
        #expect(message.contains("not valid YAML"))
    }

    @Test func rejectsEmptyDocument() {
        #expect(error("") == "p.yaml: the file is empty")
    }

    @Test func stopsAliasBombs() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(error(yaml).contains("expands to more than"))
    }

    @Test func rejectsUnsupportedVersion() {
        let yaml = minimal.replacingOccurrences(of: "version: 1", with: "version: 2")
        #expect(error(yaml) == "p.yaml:1: version: expected an integer in 1...1, got 2")
    }

    @Test func decodesDeferredRuleOptionsStrictly() throws {
        struct Options: Decodable {
            var minWords = 0
            enum CodingKeys: String, CodingKey, CaseIterable { case minWords = "min_words" }
            init(from decoder: any Decoder) throws {
                try decoder.container(keyedBy: CodingKeys.self).decode(.minWords, into: &minWords, .atLeast(0))
            }
        }
        let config = try decode(minimal + "\nfilters:\n  - kind: length\n    min_words: 7\n  - kind: length\n    min_words: ten")
        #expect(config.filters.map(\.kind) == ["length", "length"])
        #expect(try config.filters[0].decodeOptions(Options.self).minWords == 7)
        #expect(throws: ConfigError.self) { try config.filters[1].decodeOptions(Options.self) }
        do {
            _ = try config.filters[1].decodeOptions(Options.self)
        } catch {
            #expect("\(error)" == #"p.yaml:13: filters[1].min_words: expected an integer ≥ 0, got "ten""#)
        }
    }

    @Test func decodesSingleKeyEntriesAndTheCleanerList() throws {
        struct Options: Decodable {
            var minWords = 0
            enum CodingKeys: String, CodingKey, CaseIterable { case minWords = "min_words" }
            init(from decoder: any Decoder) throws {
                try decoder.container(keyedBy: CodingKeys.self).decode(.minWords, into: &minWords, .atLeast(0))
            }
        }
        let yaml = minimal + """
            clean:
              - unicode: {form: nfkc}
              - pii:
            filters:
              - length: {min_words: 7}
              - length: {}
              - length: {min_word: 3}
            """
        let config = try decode(yaml)
        #expect(config.clean.steps?.map(\.kind) == ["unicode", "pii"])
        #expect(config.filters.count == 3)
        #expect(try config.filters[0].decodeOptions(Options.self).minWords == 7)
        #expect(try config.filters[1].decodeOptions(Options.self).minWords == 0)
        #expect(try config.clean.steps?[1].decodeOptions(Options.self).minWords == 0)
        do {
            _ = try config.filters[2].decodeOptions(Options.self)
            Issue.record("an unknown option was accepted")
        } catch {
            #expect("\(error)".contains("filters[2].length.min_word"), "\(error)")
        }
        #expect(error(minimal + "filters:\n  - length: 5\n").contains("expected a mapping of options"))
        // The mapping form of clean: still works and has no list.
        #expect(try decode(minimal + "clean: {unicode: nfkc}\n").clean.steps == nil)
    }
}
