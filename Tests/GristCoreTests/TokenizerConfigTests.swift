import GristCore
import Testing

/// `tokenizer:` keys: a vocabulary file or training, checked where they are written.
@Suite struct TokenizerConfigTests {
    private func config(_ tokenizer: String) -> String {
        """
        version: 1
        name: t
        output: out/t
        sources:
          - {name: a, format: text, paths: [corpora/a.txt]}
        tokenizer:
        \(tokenizer)
        """
    }

    private func decode(_ tokenizer: String) throws -> TokenizerConfig {
        try ConfigDecoder().decode(PipelineConfig.self, from: config(tokenizer), file: "p.yaml").tokenizer
    }

    private func error(_ tokenizer: String) -> String {
        do {
            _ = try decode(tokenizer)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func trainKeysAndDefaults() throws {
        let train = try #require(try decode("  train: {vocab_size: 16384}").train)
        #expect(train.vocabSize == 16384)
        #expect(train.sampleBytes == TokenizerTrainConfig.defaultSampleBytes)
        #expect(train.specialTokens.isEmpty)
        #expect(train.pattern == .gpt2)
        #expect(try decode("  train: {vocab_size: 1000, pattern: o200k}").train?.pattern == .o200k)
        let full = try #require(try decode("  train: {vocab_size: 70000, sample_bytes: 5_000_000, special_tokens: [\"<|pad|>\"]}").train)
        #expect(full.sampleBytes == 5_000_000 && full.specialTokens == ["<|pad|>"])
        #expect(try decode("  vocab: my/tokenizer.json").vocab?.value == "my/tokenizer.json")
    }

    @Test func badTrainingValuesAreErrorsAtTheirLine() {
        #expect(error("  train: {vocab_size: 256}").contains("p.yaml:7: tokenizer.train.vocab_size: expected an integer"))
        #expect(error("  train: {vocab_size: 300, special_tokens: [\"<|a|>\", \"<|a|>\"]}").contains("listed twice"))
        #expect(error("  train: {vocab_size: 300, special_tokens: [\"<|endoftext|>\"]}").contains("listed twice"))
        #expect(error("  train: {vocab_size: 1000, sample_bytes: 0}").contains("sample_bytes"))
        #expect(error("  train: {vocab_size: 1000, size: 3}").contains("size"))
        #expect(error("  train: {sample_bytes: 1000}").contains("vocab_size"))
        #expect(error("  train: {vocab_size: 1000, pattern: llama}").contains("pattern"))
        #expect(error("  ranks: a.tiktoken\n  train: {vocab_size: 1000}").contains("use only one of \"ranks\" and \"train\""))
        #expect(error("  vocab: a.json\n  ranks: a.tiktoken").contains("use only one of"))
    }
}
