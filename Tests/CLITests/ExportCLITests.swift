import Foundation
import Testing
import GristCore

/// `grist export` and `grist train --export-hf`: Hugging Face GPT-2 folders with their tokenizer files,
/// run as a user would (`scripts/reference/check_hf_export.py` loads such folders in `transformers`).
@Suite struct ExportCLITests {
    static let modelFiles = ["config.json", "model.safetensors"]
    static let tokenizerFiles = ["merges.txt", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.json"]

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    static func lastLoss(_ result: CLI.Result) -> Double? {
        result.stdout.split(separator: "\n").last.flatMap { $0.hasPrefix("loss ") ? Double($0.dropFirst(5)) : nil }
    }

    /// A build that trains its own vocabulary (1,024 tokens): the export during training and the one from
    /// the checkpoint afterwards write the same folder, whose tokenizer encodes as the build's vocabulary
    /// and whose model evaluates as the checkpoint.
    @Test func aTrainedVocabularyIsExportedWithTheModel() throws {
        let folder = try CLI.temporaryFolder("export-trained")
        defer { try? FileSystem.remove(folder) }
        let out = folder + "/out", during = folder + "/hf-train", after = folder + "/hf"
        let build = try CLI.run(["build", "Tests/CLITests/Fixtures/golden/trained.yaml", "--output", out])
        try #require(build.status == 0, "\(build.stderr)")
        let train = try CLI.run(["train", "--data", out, "--steps", "2", "--batch-size", "2", "--seq-len", "16",
                                 "--eval-every", "0", "--threads", "1", "--export-hf", during])
        try #require(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("exported the model and its vocabulary (\(out)/tokenizer.json, 1,024 tokens) "
                                      + "as a Hugging Face GPT-2 folder: \(during)"), "\(train.stdout)")

        let checkpoint = out + "/train/checkpoint.safetensors"
        let export = try CLI.run(["export", "--checkpoint", checkpoint, "--hf-out", after])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.hasPrefix("exported \(checkpoint) (step 2,"), "\(export.stdout)")
        #expect(export.stdout.contains("with its vocabulary \(out)/tokenizer.json (1,024 tokens) to \(after)"), "\(export.stdout)")
        #expect(FileSystem.contents(of: after).sorted() == (Self.modelFiles + Self.tokenizerFiles).sorted())
        for name in Self.modelFiles + Self.tokenizerFiles {
            #expect(FileManager.default.contentsEqual(atPath: during + "/" + name, andPath: after + "/" + name),
                    "\(name) differs between --export-hf and grist export")
        }

        let config = try Self.json(after + "/config.json")
        let endOfTextFile = folder + "/endoftext.txt", textFile = folder + "/text.txt"
        try "<|endoftext|>".write(toFile: endOfTextFile, atomically: true, encoding: .utf8)
        let endOfText = try CLI.run(["tokenizer", "encode", "--vocab", out + "/tokenizer.json", "--allow-special", endOfTextFile])
        let endOfTextId = Int(endOfText.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(endOfTextId != nil && config["vocab_size"] as? Int == 1024)
        #expect(config["bos_token_id"] as? Int == endOfTextId && config["eos_token_id"] as? Int == endOfTextId)
        let vocab = try Self.json(after + "/vocab.json")
        #expect(vocab.count == 1024 && vocab["<|endoftext|>"] as? Int == endOfTextId)
        let merges = try String(contentsOfFile: after + "/merges.txt", encoding: .utf8).split(separator: "\n")
        #expect(merges.first == "#version: 0.2" && merges.count == 1 + 1024 - 256 - 1)
        let tokenizerConfig = try Self.json(after + "/tokenizer_config.json")
        #expect(tokenizerConfig["tokenizer_class"] as? String == "GPT2Tokenizer")
        #expect(tokenizerConfig["eos_token"] as? String == "<|endoftext|>")

        // The exported tokenizer.json encodes as the build's vocabulary.
        try "To be, or not to be: that is the question.<|endoftext|> def f(x):\n    return x ** 2\n"
            .write(toFile: textFile, atomically: true, encoding: .utf8)
        let ours = try CLI.run(["tokenizer", "encode", "--vocab", out + "/tokenizer.tiktoken", "--allow-special", textFile])
        let theirs = try CLI.run(["tokenizer", "encode", "--vocab", after + "/tokenizer.json", "--allow-special", textFile])
        #expect(ours.status == 0 && theirs.status == 0 && !ours.stdout.isEmpty, "\(ours.stderr)\(theirs.stderr)")
        #expect(ours.stdout == theirs.stdout)

        // The exported model evaluates as the checkpoint, bit for bit.
        let val = out + "/shards/" + (try #require(FileSystem.contents(of: out + "/shards").sorted().first { $0.hasPrefix("val_") }))
        let fromCheckpoint = try CLI.run(["eval", "--checkpoint", checkpoint, "--tokens", val, "--context", "16", "--threads", "1"])
        let fromFolder = try CLI.run(["eval", "--hf-model", after, "--tokens", val, "--context", "16", "--threads", "1"])
        #expect(Self.lastLoss(fromCheckpoint) != nil && Self.lastLoss(fromCheckpoint) == Self.lastLoss(fromFolder),
                "\(fromCheckpoint.stdout)\(fromFolder.stdout)\(fromFolder.stderr)")

        // A vocabulary that moved: the error names where it was, and --vocab gives it.
        let moved = folder + "/moved.json"
        try FileSystem.copy(out + "/tokenizer.json", to: moved)
        try FileSystem.remove(out + "/tokenizer.json")
        try FileSystem.remove(out + "/tokenizer.tiktoken")
        let missing = try CLI.run(["export", "--checkpoint", checkpoint, "--hf-out", folder + "/hf2"])
        #expect(missing.status == 2 && missing.stderr.contains(out + "/tokenizer") && missing.stderr.contains("--vocab"),
                "\(missing.stderr)")
        let given = try CLI.run(["export", "--checkpoint", checkpoint, "--hf-out", folder + "/hf2", "--vocab", moved])
        #expect(given.status == 0, "\(given.stderr)")
        #expect(FileManager.default.contentsEqual(atPath: after + "/vocab.json", andPath: folder + "/hf2/vocab.json"))
        // Training with --export-hf finds out before the first step, and says how to export later.
        let trainMissing = try CLI.run(["train", "--data", out, "--out", folder + "/train2", "--steps", "1", "--batch-size", "2",
                                        "--seq-len", "16", "--threads", "1", "--export-hf", folder + "/hf3"])
        #expect(trainMissing.status == 2 && trainMissing.stderr.contains("export_hf writes the data's tokenizer beside the model")
                && trainMissing.stderr.contains("grist export --checkpoint"), "\(trainMissing.stderr)")
        #expect(!trainMissing.stdout.contains("step 1/1") && !FileSystem.exists(folder + "/hf3"))
    }

    /// GPT-2's tokenizer files are OpenAI's, byte for byte (the SHA-256 tiktoken pins), and bad inputs
    /// are refused with the file they concern.
    @Test func gpt2ExportAndErrors() throws {
        let data = try TrainCLITests.makeData()
        defer { try? FileSystem.remove(data) }
        let config = data + "/pipeline.yaml"
        try TrainCLITests.pipeline(data: data).write(toFile: config, atomically: true, encoding: .utf8)
        let train = try CLI.run(["train", config, "--steps", "1", "--threads", "1"])
        try #require(train.status == 0, "\(train.stderr)")
        let checkpoint = data + "/train/checkpoint.safetensors", hf = data + "/hf"

        let export = try CLI.run(["export", "--checkpoint", checkpoint, "--hf-out", hf])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("with its vocabulary gpt2 (50,257 tokens)"), "\(export.stdout)")
        func sha256(_ name: String) throws -> String {
            hexString(SHA256.digest([UInt8](try Data(contentsOf: URL(fileURLWithPath: hf + "/" + name)))))
        }
        #expect(try sha256("vocab.json") == "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783")
        #expect(try sha256("merges.txt") == "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5")
        let hfConfig = try Self.json(hf + "/config.json")
        #expect(hfConfig["vocab_size"] as? Int == 50257 && hfConfig["eos_token_id"] as? Int == 50256)
        #expect(hfConfig["n_positions"] as? Int == 32)
        #expect(try Self.json(hf + "/tokenizer_config.json")["model_max_length"] as? Int == 32)

        let noCheckpoint = try CLI.run(["export", "--checkpoint", data + "/nothing.safetensors", "--hf-out", hf])
        #expect(noCheckpoint.status == 2 && noCheckpoint.stderr.contains("the checkpoint \(data)/nothing.safetensors does not exist"),
                "\(noCheckpoint.stderr)")
        let notACheckpoint = try CLI.run(["export", "--checkpoint", hf + "/config.json", "--hf-out", data + "/hf2"])
        #expect(notACheckpoint.status == 1 && notACheckpoint.stderr.contains(hf + "/config.json"), "\(notACheckpoint.stderr)")
        let hfWeights = try CLI.run(["export", "--checkpoint", hf + "/model.safetensors", "--hf-out", data + "/hf2"])
        #expect(hfWeights.status == 1 && hfWeights.stderr.contains("not a Gristmill checkpoint"), "\(hfWeights.stderr)")

        let corrupt = data + "/corrupt.tiktoken"
        try "not base64 at all\n".write(toFile: corrupt, atomically: true, encoding: .utf8)
        let badVocabulary = try CLI.run(["export", "--checkpoint", checkpoint, "--hf-out", data + "/hf2", "--vocab", corrupt])
        #expect(badVocabulary.status == 1 && badVocabulary.stderr.contains(corrupt), "\(badVocabulary.stderr)")
        let noVocabulary = try CLI.run(["export", "--checkpoint", checkpoint, "--hf-out", data + "/hf2", "--vocab", data + "/none.json"])
        #expect(noVocabulary.status == 2 && noVocabulary.stderr.contains(data + "/none.json"), "\(noVocabulary.stderr)")
        #expect(!FileSystem.exists(data + "/hf2"), "a refused export writes nothing")
    }
}
