import GristCore
import Testing

private func decode(_ yaml: String) throws -> PipelineConfig { try TestPipeline.decode(yaml) }

private func error(_ yaml: String) -> String { TestPipeline.error(yaml) }

/// `shards.min_tokens`.
@Suite struct ShardsConfigTests {
    @Test func minTokensDefaultsToNoneGivenAndIsChecked() throws {
        #expect(try decode("").shards.minTokens == nil)
        #expect(try decode("shards: {min_tokens: 0}\n").shards.minTokens == 0)
        #expect(try decode("shards: {tokens_per_shard: 2_000_000, min_tokens: 524_289}\n").shards.minTokens == 524_289)
        #expect(error("shards: {min_tokens: -5}\n")
            == "p.yaml:8: shards.min_tokens: expected an integer in 0...2147483647, got -5")
        #expect(error("shards: {min_tokens: 1e6}\n")
            == "p.yaml:8: shards.min_tokens: expected an integer in 0...2147483647, got 1e6")
    }

    @Test func minTokensAboveTheShardSizeIsRefused() {
        #expect(error("shards:\n  tokens_per_shard: 1000\n  min_tokens: 2000\n")
            == "p.yaml:10: shards.min_tokens: min_tokens (2000) is larger than tokens_per_shard (1000); lower it, "
            + "or raise tokens_per_shard")
        #expect(error("shards: {min_tokens: 200_000_000}\n").contains("larger than tokens_per_shard (100000000)"))
    }

    @Test func minTokensKeyIsSuggestedWhenMisspelt() {
        #expect(error("shards: {min_token: 10}\n").contains("did you mean \"min_tokens\"?"))
    }

    @Test func theDefaultIsLLMCsGPT2SizeWhenTheSplitAndShardSizeAllowIt() {
        let llmc = ShardsConfig.llmcGPT2MinTokens
        #expect(llmc == 524_289)
        let config = ShardsConfig()
        #expect(config.minimumTokens(splitTokens: 8_000_000) == llmc)
        #expect(config.minimumTokens(splitTokens: 409_243) == 0, "a smaller split is left alone")
        #expect(config.with { $0.tokensPerShard = 150_000 }.minimumTokens(splitTokens: 8_000_000) == 0,
                "a smaller shard size the config asks for is kept")
        #expect(config.with { $0.minTokens = 0 }.minimumTokens(splitTokens: 8_000_000) == 0)
        #expect(config.with { $0.minTokens = 1_000 }.minimumTokens(splitTokens: 10) == 1_000)
        #expect(config.with { $0.minTokens = 1_000 }.isBelowMinimum(splitTokens: 999))
        #expect(!config.with { $0.minTokens = 1_000 }.isBelowMinimum(splitTokens: 0))
        #expect(!config.isBelowMinimum(splitTokens: 10), "the default never warns")
    }

    @Test func formatsListsTheOutputFormatsAndFormatStillNamesOne() throws {
        #expect(try decode("").shards.formats == [.llmc])
        #expect(try decode("").shards.extraFormats.isEmpty)
        #expect(try decode("shards: {format: llmc}\n").shards.formats == [.llmc])
        #expect(try decode("shards: {format: megatron}\n").shards.extraFormats == [.megatron])
        let both = try decode("shards: {formats: [llmc, megatron, nanogpt]}\n").shards
        #expect(both.formats == [.llmc, .megatron, .nanogpt])
        #expect(both.extraFormats == [.megatron, .nanogpt])
        #expect(try decode("shards: {formats: [nanogpt]}\n").shards.extraFormats == [.nanogpt])
    }

    @Test func unknownEmptyOrRepeatedFormatsAreRefusedWithTheirLine() {
        let unknown = error("shards:\n  formats: [llmc, parquet]\n")
        #expect(unknown.hasPrefix("p.yaml:9: shards.formats"), "\(unknown)")
        #expect(unknown.contains("\"llmc\", \"megatron\", \"nanogpt\""), "\(unknown)")
        #expect(error("shards: {format: parquet}\n").hasPrefix("p.yaml:8: shards.format"))
        #expect(error("shards: {formats: []}\n").contains("formats is empty"))
        #expect(error("shards: {formats: [megatron, megatron]}\n").contains("lists a format twice"))
        #expect(error("shards: {format: llmc, formats: [megatron]}\n").contains("not both"))
    }
}

