import Foundation
import GristCore
import GristShards
import Testing

/// `grist build` killed with SIGKILL at many points, in every stage, then run again: every rerun ends
/// with shards byte-identical to an uninterrupted build and a manifest that accounts for every input
/// document exactly once.
@Suite(.serialized) struct CrashResumeTests {
    /// Real inputs of several formats, small enough for dozens of builds: plays (text), a zstd JSONL
    /// and a plain JSONL cut into byte ranges (parts of 100 KB).
    private static let inputs: String = {
        let folder = (try? CLI.temporaryFolder("crash-inputs")) ?? "/tmp/grist-crash-inputs"
        let plays = FileSystem.contents(of: CLI.root + "/corpora/shakespeare").prefix(6)
        try? FileSystem.createDirectory(folder + "/plays")
        for play in plays { try? FileSystem.copy(CLI.root + "/corpora/shakespeare/" + play, to: folder + "/plays/" + play) }
        try? FileSystem.copy(CLI.root + "/corpora/python-docs/part-001.jsonl.zst", to: folder + "/docs.jsonl.zst")
        try? FileSystem.copy(CLI.root + "/corpora/multilingual/bible-es-rv1909.jsonl", to: folder + "/bible.jsonl")
        return folder
    }()

    private static func config(output: String, trainTokenizer: Bool, paragraphs: Bool = false) -> String {
        let tokenizer = trainTokenizer ? "tokenizer: {train: {vocab_size: 700, sample_bytes: 400000}}" : "tokenizer: {kind: gpt2}"
        let path = inputs + "/crash-\(trainTokenizer ? "train" : "gpt2")\(paragraphs ? "-paragraphs" : "")-\(UUID().uuidString).yaml"
        try? """
            version: 1
            name: crash
            output: \(output)
            seed: 9
            sources:
              - {name: plays, format: text, paths: [\(inputs)/plays]}
              - {name: docs, format: jsonl, paths: [\(inputs)/docs.jsonl.zst], weight: 1.5}
              - {name: bible, format: jsonl, paths: [\(inputs)/bible.jsonl]}
            filters:
              - {kind: length, min_words: 10}
            dedup: {exact: true, minhash: {}\(paragraphs ? ", paragraphs: {unit: line, min_bytes: 20}" : "")}
            \(tokenizer)
            mix: {val_fraction: 0.1}
            shards: {tokens_per_shard: 300000}
            work: {part_mb: 0.1}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private struct Outcome: Equatable {
        var shards: [String: String]
        var documents: Int
    }

    private func outcome(_ output: String) throws -> Outcome {
        var shards: [String: String] = [:]
        for name in FileSystem.contents(of: output + "/shards") {
            shards[name] = try ShardReader(path: output + "/shards/" + name).sha256()
        }
        let db = try Manifest.open(path: output + "/manifest.sqlite").database
        #expect(try db.scalar("SELECT status FROM run")?.string == "succeeded")
        #expect(try db.scalar("""
            SELECT COUNT(*) FROM (SELECT inputFileId, ordinal FROM document GROUP BY 1, 2 HAVING COUNT(*) > 1)
            """)?.int == 0)
        let read = try db.scalar("SELECT SUM(documents) FROM stageCount WHERE stage = 'read' AND outcome = 'kept'")?.int
        let documents = try db.scalar("SELECT COUNT(*) FROM document")?.int ?? -1
        #expect(read == documents)
        return Outcome(shards: shards, documents: documents)
    }

    /// An uninterrupted build's outcome, per tokenizer setting.
    private static let references: [Bool: Result<Outcome, any Error>] = {
        var out: [Bool: Result<Outcome, any Error>] = [:]
        for train in [false, true] {
            out[train] = Result {
                let output = try CLI.temporaryFolder("crash-reference")
                let result = try CLI.run(["build", config(output: output, trainTokenizer: train)])
                guard result.status == 0 else { throw GristError(.io, "reference build failed: \(result.stderr)") }
                return try CrashResumeTests().outcome(output)
            }
        }
        return out
    }()

    @Test(arguments: [
        ("scan-part", 1, false), ("scan-part", 9, false), ("scan-part", 30, false), ("dedup-task", 1, false),
        ("dedup-task", 10, false), ("dedup-cluster", 1, false), ("manifest", 1, false), ("publish", 1, false),
        ("publish-shard", 2, false), ("scan-part", 4, true), ("tokenizer-trained", 1, true), ("tokenize-part", 3, true),
    ])
    func killedAtAPointThenRerunGivesTheSameBuild(point: String, count: Int, train: Bool) throws {
        let reference = try #require(try Self.references[train]?.get())
        let output = try CLI.temporaryFolder("crash-\(point)")
        defer { try? FileSystem.remove(output) }
        let config = Self.config(output: output, trainTokenizer: train)
        let crashed = try CLI.run(["build", config], environment: ["GRIST_FAULT": "\(point):\(count)"])
        #expect(crashed.signaled && crashed.status == 9, "the build did not stop at \(point):\(count): \(crashed.stderr)")
        let resumed = try CLI.run(["build", config])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try outcome(output) == reference)
        if point != "scan-part" {
            // Killed after the scan: the rerun reuses every scanned unit.
            #expect(resumed.stderr.contains("scan: reused"), "\(resumed.stderr)")
        }
    }

    /// With `dedup.paragraphs` (repeated lines of the plays removed): killed while hashing, or while
    /// scanning, the rerun gives the uninterrupted build.
    private static let paragraphReference: Result<Outcome, any Error> = Result {
        let output = try CLI.temporaryFolder("crash-paragraphs-reference")
        let result = try CLI.run(["build", config(output: output, trainTokenizer: false, paragraphs: true)])
        guard result.status == 0 else { throw GristError(.io, "reference build failed: \(result.stderr)") }
        let db = try Manifest.open(path: output + "/manifest.sqlite").database
        guard let removed = try db.scalar("""
            SELECT SUM(CAST(value AS INTEGER)) FROM documentMetadata WHERE key = 'dedup_paragraphs_removed'
            """)?.int, removed > 100 else { throw GristError(.io, "the reference build removed too few lines") }
        return try CrashResumeTests().outcome(output)
    }

    @Test(arguments: [("paragraphs-unit", 2), ("scan-part", 5)])
    func withParagraphDedupKilledThenRerunGivesTheSameBuild(point: String, count: Int) throws {
        let reference = try #require(try Self.paragraphReference.get())
        #expect(reference != (try Self.references[false]?.get()), "removing lines changes the shards")
        let output = try CLI.temporaryFolder("crash-paragraphs-\(point)")
        defer { try? FileSystem.remove(output) }
        let config = Self.config(output: output, trainTokenizer: false, paragraphs: true)
        let crashed = try CLI.run(["build", config, "-w", "2"], environment: ["GRIST_FAULT": "\(point):\(count)"])
        #expect(crashed.signaled && crashed.status == 9, "the build did not stop at \(point):\(count): \(crashed.stderr)")
        let resumed = try CLI.run(["build", config, "-w", "1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try outcome(output) == reference)
        if point == "scan-part" { #expect(resumed.stderr.contains("paragraphs: reused"), "\(resumed.stderr)") }
    }

    @Test func killedAtRandomMomentsThenRerunGivesTheSameBuild() throws {
        let reference = try #require(try Self.references[false]?.get())
        let output = try CLI.temporaryFolder("crash-random")
        defer { try? FileSystem.remove(output) }
        let config = Self.config(output: output, trainTokenizer: false)
        var generator = SplitMix64(seed: 2026)
        var kills = 0
        for _ in 0..<6 {
            let delay = 0.05 + Double(generator.next() % 1000) / 1000 * 1.5
            let run = try CLI.run(["build", config], killAfter: delay)
            if run.signaled { kills += 1 } else { #expect(run.status == 0, "\(run.stderr)") }
        }
        #expect(kills >= 1)
        let last = try CLI.run(["build", config])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try outcome(output) == reference)
    }
}
