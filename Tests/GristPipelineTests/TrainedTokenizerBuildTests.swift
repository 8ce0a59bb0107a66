import Foundation
import GristCore
import GristPipeline
import GristShards
import Testing

/// Builds with `tokenizer.train`: the vocabulary is trained on the deduplicated train split, saved next
/// to the shards with its hash in the manifest, and shards switch to uint32 above 65,536 ids.
@Suite struct TrainedTokenizerBuildTests {
    /// Documents of generated words; `copies` of the first one are exact duplicates.
    private func corpus() -> String {
        var rng = SplitMix64(seed: 7)
        let words = ["alpha", "beta", "gamma", "delta", "token", "shard", "merge", "vocab", "corpus", "train",
                     "日本語", "текст", "42", "3.14", "it's", "don't"]
        var lines = ""
        for document in 0..<300 {
            var text = "document \(document)"
            for _ in 0..<60 { text += " " + words[Int(rng.next() % UInt64(words.count))] }
            lines += "{\"text\": \"\(text)\"}\n"
        }
        return lines + "{\"text\": \"document 0 is copied\"}\n{\"text\": \"document 0 is copied\"}\n"
    }

    private func build(_ tokenizer: String, workers: Int, folder: String, out: String) throws -> BuildSummary {
        let yaml = """
            version: 1
            name: trained
            output: \(folder)/\(out)
            seed: 11
            sources:
              - {name: docs, format: jsonl, paths: [\(folder)/docs.jsonl]}
            mix: {val_fraction: 0.1}
            shards: {tokens_per_shard: 20000}
            tokenizer: \(tokenizer)
            """
        return try Build(plan: BuildPlan(LoadedConfig(text: yaml, path: "t.yaml")), workers: workers, showProgress: false).run()
    }

    private func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grist-trained-\(UUID().uuidString)").path
        try FileSystem.createDirectory(path)
        try corpus().write(toFile: path + "/docs.jsonl", atomically: true, encoding: .utf8)
        return path
    }

    private func files(_ folder: String) -> [String: Data] {
        var out: [String: Data] = [:]
        for name in ["tokenizer.tiktoken", "tokenizer.json"] + FileSystem.contents(of: folder + "/shards").map({ "shards/" + $0 }) {
            out[name] = try? Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return out
    }

    @Test func trainsSavesRecordsAndIsTheSameOnAnyWorkerCount() throws {
        let root = try folder()
        defer { try? FileSystem.remove(root) }
        _ = try build("{train: {vocab_size: 400}}", workers: 1, folder: root, out: "one")
        _ = try build("{train: {vocab_size: 400}}", workers: 3, folder: root, out: "three")
        let one = files(root + "/one"), three = files(root + "/three")
        #expect(one.count >= 4)
        #expect(one == three, "outputs differ between 1 and 3 workers")

        let ranks = try #require(one["tokenizer.tiktoken"])
        #expect(ranks.split(separator: UInt8(ascii: "\n")).count == 399)  // 256 bytes + 143 merges; <|endoftext|> = 399
        let manifest = try Manifest.open(path: root + "/one/manifest.sqlite")
        let row = try #require(try manifest.database.prepare(
            "SELECT name, vocabularySize, endOfTextToken, filePath, fileSha256 FROM tokenizer").rows().first)
        #expect(row[1].int == 400 && row[2].int == 399 && row[3].string == "tokenizer.tiktoken")
        #expect(row[4].string == hexString(SHA256.digest(Array(ranks))))

        let shard = try ShardReader(path: root + "/one/shards/train_000000.bin")
        #expect(shard.header.tokenWidth == .uint16)
        #expect(shard.token(at: 0) == 399)
        let kept = try #require(try manifest.database.scalar("SELECT COUNT(*) FROM document WHERE fate = 'kept'")?.int)
        let separators = try manifest.database.prepare("SELECT path FROM shard").rows().reduce(0) { total, row in
            let reader = try ShardReader(path: root + "/one/" + (row[0].string ?? ""))
            return total + (0..<reader.tokenCount).filter { reader.token(at: $0) == 399 }.count
        }
        #expect(separators == kept)
    }

    @Test func largeVocabulariesGetUInt32Shards() throws {
        let root = try folder()
        defer { try? FileSystem.remove(root) }
        // More ids than the corpus can fill: training stops early, so reserve ids with special tokens.
        let specials = (0..<66_000).map { "\"<|s\($0)|>\"" }.joined(separator: ", ")
        _ = try build("{train: {vocab_size: 66500, special_tokens: [\(specials)]}}", workers: 2, folder: root, out: "o")
        let shard = try ShardReader(path: root + "/o/shards/train_000000.bin")
        #expect(shard.header.tokenWidth == .uint32)
        let endOfText = shard.token(at: 0)
        #expect(endOfText > 256 && endOfText < 500)
        let manifest = try Manifest.open(path: root + "/o/manifest.sqlite")
        #expect(try manifest.database.scalar("SELECT vocabularySize FROM tokenizer")?.int == 66500)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: root + "/o/shards/train_000000.bin"))
        #expect(Array(bytes.prefix(8)) == [0xA1, 0xD9, 0x34, 0x01, 7, 0, 0, 0])  // 20240801 = 0x0134D9A1, version 7
    }

    @Test func trainsWithAnotherPattern() throws {
        let root = try folder()
        defer { try? FileSystem.remove(root) }
        _ = try build("{train: {vocab_size: 400, pattern: cl100k}}", workers: 2, folder: root, out: "o")
        let json = try String(contentsOfFile: root + "/o/tokenizer.json", encoding: .utf8)
        #expect(json.contains("\"type\": \"Split\"") && json.contains("\\p{N}{1,3}"))
    }

    @Test func rebuildingWithGPT2RemovesTheTrainedVocabulary() throws {
        let root = try folder()
        defer { try? FileSystem.remove(root) }
        _ = try build("{train: {vocab_size: 300}}", workers: 2, folder: root, out: "o")
        #expect(FileSystem.exists(root + "/o/tokenizer.json"))
        _ = try build("{kind: gpt2}", workers: 2, folder: root, out: "o")
        #expect(!FileSystem.exists(root + "/o/tokenizer.json") && !FileSystem.exists(root + "/o/tokenizer.tiktoken"))
        let shard = try ShardReader(path: root + "/o/shards/train_000000.bin")
        #expect(shard.token(at: 0) == 50256)
    }
}
