import GristCore
import Testing

private func decode(_ yaml: String) throws -> PipelineConfig { try TestPipeline.decode(yaml) }

private func error(_ yaml: String) -> String { TestPipeline.error(yaml) }

/// `mix.val_tokens` and a source's `val_tokens`.
@Suite struct MixConfigTests {
    @Test func valTokensReplacesValFraction() throws {
        let config = try decode("mix: {val_tokens: 50_000}\n")
        #expect(config.mix.valTokens == 50_000)
        #expect(config.mix.valFraction == 0)
        #expect(config.mix.valTokensLocation?.line == 8)
        #expect(try decode("").mix.valTokens == nil)
        #expect(try decode("").mix.valFraction == 0.01)
        #expect(try decode("mix: {val_fraction: 0.2}\n").mix.valFraction == 0.2)
        #expect(try decode("mix: {val_tokens: 0}\n").mix.valTokens == 0)
    }

    @Test func valFractionAndValTokensTogetherAreRefusedAtValTokens() {
        #expect(error("mix:\n  val_fraction: 0.05\n  val_tokens: 1000\n")
            == "p.yaml:10: mix.val_tokens: give val_fraction or val_tokens, not both: val_tokens takes the val split "
            + "by tokens instead of by whole documents")
        #expect(error("mix: {val_fraction: ~, val_tokens: 1000}\n") == "no error", "a null val_fraction is not given")
    }

    @Test func valTokensIsAnIntegerOfZeroOrMore() {
        #expect(error("mix: {val_tokens: -1}\n") == "p.yaml:8: mix.val_tokens: expected an integer ≥ 0, got -1")
        #expect(error("mix: {val_tokens: 1.5}\n") == "p.yaml:8: mix.val_tokens: expected an integer ≥ 0, got 1.5")
        #expect(error("mix: {val_tokens: \"100\"}\n")
            == "p.yaml:8: mix.val_tokens: expected an integer ≥ 0, got \"100\"")
    }

    @Test func aSourceHasItsOwnValTokensBesideTheMixSection() throws {
        let config = try ConfigDecoder().decode(PipelineConfig.self, from: """
            version: 1
            name: t
            output: out/t
            sources:
              - {name: a, format: text, paths: [a.txt], val_tokens: 2000}
              - {name: b, format: text, paths: [b.txt]}
            mix: {val_fraction: 0.1}
            """, file: "p.yaml")
        #expect(config.sources.map(\.valTokens) == [2000, nil])
        #expect(config.sources[0].valTokensLocation?.line == 5)
        #expect(config.mix.valFraction == 0.1)
        #expect(throws: ConfigError("expected an integer ≥ 0, got \"many\"",
                                    at: ConfigLocation(file: "p.yaml", line: 5, path: "sources[0].val_tokens"))) {
            try ConfigDecoder().decode(PipelineConfig.self, from: """
                version: 1
                name: t
                output: out/t
                sources:
                  - {name: a, format: text, paths: [a.txt], val_tokens: many}
                """, file: "p.yaml")
        }
    }

    @Test func valTokensIsRefusedWithATrainedTokenizer() {
        let trained = "tokenizer: {train: {vocab_size: 1000}}\n"
        #expect(error(trained + "mix: {val_tokens: 100}\n")
            == "p.yaml:9: mix.val_tokens: val_tokens cannot be used with tokenizer.train: the vocabulary is trained "
            + "on the train split, and val_tokens can only choose the val split once the tokens are known; use val_fraction")
        #expect(error(trained + "mix: {val_fraction: 0.1}\n") == "no error")
    }
}
