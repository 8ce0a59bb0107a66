import Foundation
import GristCollect
import GristCore
import GristPipeline
import GristShards
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Builds in stored, keyed stages: the part size never changes the output, reruns reuse what did not
/// change, and the output folder refuses what is not its own build.
@Suite struct IncrementalBuildTests {
    /// A folder with real text in three formats: a larger plain JSONL (cut into parts when the part size
    /// is small), a gzipped JSONL and text files.
    private static func makeInputs() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grist-incr-\(UUID().uuidString)").path
        try FileSystem.createDirectory(folder + "/text")
        let plays = FileSystem.contents(of: CLIRoot.path + "/corpora/shakespeare").prefix(4)
        var lines = ""
        for (index, play) in plays.enumerated() {
            let text = try String(contentsOfFile: CLIRoot.path + "/corpora/shakespeare/" + play, encoding: .utf8)
            // Paragraphs of the play as JSONL records, some repeated (exact duplicates), some blank lines.
            for (n, paragraph) in text.components(separatedBy: "\n\n").enumerated() where paragraph.count > 40 {
                let escaped = paragraph.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    .replacingOccurrences(of: "\n", with: "\\n")
                lines += "{\"id\": \"p\(index)-\(n)\", \"text\": \"\(escaped)\"}\n"
                if n % 17 == 0 { lines += "\n{\"id\": \"again-\(index)-\(n)\", \"text\": \"\(escaped)\"}\n" }
                if n % 29 == 0 { lines += "not json at all\n" }
            }
            if index < 2 { try FileSystem.copy(CLIRoot.path + "/corpora/shakespeare/" + play, to: folder + "/text/" + play) }
        }
        try lines.write(toFile: folder + "/paragraphs.jsonl", atomically: true, encoding: .utf8)
        try FileSystem.copy(CLIRoot.path + "/corpora/python-docs/part-002.jsonl.gz", to: folder + "/docs.jsonl.gz")
        return folder
    }

    private static func config(_ folder: String, output: String, name: String = "incr", partMB: Double = 64,
                               weight: Double = 1, minWords: Int = 5) -> String {
        """
        version: 1
        name: \(name)
        output: \(output)
        seed: 5
        sources:
          - {name: paragraphs, format: jsonl, paths: [\(folder)/paragraphs.jsonl], weight: \(weight)}
          - {name: docs, format: jsonl, paths: [\(folder)/docs.jsonl.gz]}
          - {name: plays, format: text, paths: [\(folder)/text]}
        filters:
          - {kind: length, min_words: \(minWords)}
        dedup: {exact: true, minhash: {}}
        mix: {val_fraction: 0.1}
        shards: {tokens_per_shard: 200000}
        work: {part_mb: \(partMB)}
        """
    }

    private func build(_ yaml: String, workers: Int = 2, force: Bool = false) throws -> BuildSummary {
        try Build(plan: BuildPlan(LoadedConfig(text: yaml, path: "incr.yaml")), workers: workers, showProgress: false,
                  force: force).run()
    }

    private func shards(_ output: String) -> [String: Data] {
        Dictionary(uniqueKeysWithValues: FileSystem.contents(of: output + "/shards").map {
            ($0, FileManager.default.contents(atPath: output + "/shards/" + $0) ?? Data())
        })
    }

    /// The document rows that must not depend on how the work was cut.
    private func documents(_ output: String) throws -> [[SQLiteValue]] {
        try Manifest.open(path: output + "/manifest.sqlite").database.prepare("""
            SELECT f.path, d.ordinal, d.line, d.byteOffset, d.externalId, d.fate, d.reason, d.split, d.copies
            FROM document d JOIN inputFile f ON f.id = d.inputFileId ORDER BY d.id
            """).rows()
    }

    @Test func partSizeAndWorkersNeverChangeTheOutput() throws {
        let inputs = try Self.makeInputs()
        defer { try? FileSystem.remove(inputs) }
        _ = try build(Self.config(inputs, output: inputs + "/whole"), workers: 1)
        // 4 KiB parts: the plain JSONL is read in dozens of byte ranges, the others stored in several parts.
        let cut = try build(Self.config(inputs, output: inputs + "/cut", partMB: 0.004), workers: 3)
        #expect(cut.stages.first { $0.stage == .scan }.map { $0.ran > 20 } == true)
        #expect(shards(inputs + "/whole") == shards(inputs + "/cut"))
        #expect(!shards(inputs + "/whole").isEmpty)
        #expect(try documents(inputs + "/whole") == documents(inputs + "/cut"))
        let skipped = "SELECT line, byteOffset, reason, message FROM skippedRecord ORDER BY id"
        #expect(try Manifest.open(path: inputs + "/whole/manifest.sqlite").database.prepare(skipped).rows()
            == Manifest.open(path: inputs + "/cut/manifest.sqlite").database.prepare(skipped).rows())
    }

    @Test func rebuildsReuseWhatDidNotChange() throws {
        let inputs = try Self.makeInputs()
        defer { try? FileSystem.remove(inputs) }
        let output = inputs + "/out"
        let first = try build(Self.config(inputs, output: output, partMB: 0.05))
        #expect(first.stages.allSatisfy { $0.reused == 0 })

        let again = try build(Self.config(inputs, output: output, partMB: 0.05))
        #expect(again.upToDate)
        #expect(again.stages.allSatisfy { $0.ran == 0 })

        // A weight only changes the mixture: scan and dedup are reused, the shards are made again.
        let reweighted = try build(Self.config(inputs, output: output, partMB: 0.05, weight: 2))
        #expect(!reweighted.upToDate)
        #expect(reweighted.stages.first { $0.stage == .scan }?.ran == 0)
        #expect(reweighted.stages.first { $0.stage == .dedup }?.ran == 0)
        #expect(reweighted.stages.first { $0.stage == .shards }?.ran == 1)

        // A filter changes what every part keeps: every unit is scanned again.
        let refiltered = try build(Self.config(inputs, output: output, partMB: 0.05, weight: 2, minWords: 9))
        #expect(refiltered.stages.first { $0.stage == .scan }?.reused == 0)

        // One changed input: only its units are scanned again.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: inputs + "/text/" + FileSystem.contents(of: inputs + "/text")[0]))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\nEXEUNT ALL, AND THE PLAY IS OVER.\n".utf8))
        try handle.close()
        let touched = try build(Self.config(inputs, output: output, partMB: 0.05, weight: 2, minWords: 9))
        let scan = try #require(touched.stages.first { $0.stage == .scan })
        #expect(scan.ran == 1 && scan.reused > 10)

        // And the result equals a build from scratch.
        _ = try build(Self.config(inputs, output: inputs + "/fresh", partMB: 0.05, weight: 2, minWords: 9))
        #expect(shards(output) == shards(inputs + "/fresh"))
        // Work of configs no longer in use is gone: one unit folder per current unit.
        let scanUnits = scan.ran + scan.reused
        #expect(FileSystem.contents(of: output + "/.grist/parts").count == scanUnits)
    }

    @Test func anOutputTakesOneBuildAtATimeAndOnlyItsOwnPipeline() throws {
        let inputs = try Self.makeInputs()
        defer { try? FileSystem.remove(inputs) }
        let output = inputs + "/out"
        _ = try build(Self.config(inputs, output: output))

        // Another pipeline's build is refused, unless forced.
        #expect(throws: GristError.self) { try build(Self.config(inputs, output: output, name: "other")) }
        _ = try build(Self.config(inputs, output: output, name: "other"), force: true)

        // While the lock is held (by another process, here another open file), a build refuses.
        let fd = open(output + "/.grist/lock", O_RDWR)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        do {
            _ = try build(Self.config(inputs, output: output, name: "other"))
            Issue.record("a second build ran while the lock was held")
        } catch let error as GristError {
            #expect(error.message.contains("another build is running"))
        }
        close(fd)
        _ = try build(Self.config(inputs, output: output, name: "other"))
    }
}

/// The repository root, for tests that read the shipped corpora.
enum CLIRoot {
    static let path: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}

/// Filters with `rejects: true` keep what they drop, with the reason, whatever the part size.
@Suite struct RejectsTests {
    @Test func droppedDocumentsAreKeptPerFilterInCanonicalOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grist-rejects-\(UUID().uuidString)").path
        try FileSystem.createDirectory(folder)
        defer { try? FileSystem.remove(folder) }
        var lines = ""
        for i in 0..<300 {
            let words = i % 3 == 0 ? "too few words" : (0..<30).map { "w\(($0 * 7 + i) % 50)" }.joined(separator: " ")
            lines += "{\"id\": \"d\(i)\", \"text\": \"\(BuildTests.tag(i)) \(words)\"}\n"
        }
        try lines.write(toFile: folder + "/in.jsonl", atomically: true, encoding: .utf8)
        func build(_ output: String, partMB: Double) throws {
            let yaml = """
                version: 1
                name: r
                output: \(folder)/\(output)
                sources:
                  - {name: d, format: jsonl, paths: [\(folder)/in.jsonl]}
                filters:
                  - {kind: length, min_words: 5, rejects: true}
                mix: {val_fraction: 0}
                work: {part_mb: \(partMB)}
                """
            _ = try Build(plan: BuildPlan(LoadedConfig(text: yaml, path: "r.yaml")), workers: 2, showProgress: false).run()
        }
        try build("whole", partMB: 64)
        try build("cut", partMB: 0.002)
        #expect(FileSystem.size(folder + "/whole/rejects/length.jsonl.zst") ?? 0 > 0)
        // Different frames, the same documents: read both back through the JSONL reader.
        func documents(_ path: String) throws -> [(String, String)] {
            var reader = try JSONLReader(path: path, options: JSONLReaderOptions().with { $0.metadataFields = ["metadata.reason"] })
            var out: [(String, String)] = []
            while let event = try reader.next() {
                if case .document(let d) = event { out.append((d.id, d.metadata["reason"] ?? "")) }
            }
            return out
        }
        let a = try documents(folder + "/whole/rejects/length.jsonl.zst")
        let b = try documents(folder + "/cut/rejects/length.jsonl.zst")
        #expect(a.count == 100)
        #expect(a.map(\.0) == b.map(\.0))
        #expect(a.map(\.0) == (0..<300).filter { $0 % 3 == 0 }.map { "d\($0)" })
        #expect(Set(a.map(\.1)) == ["length:too_short"])
    }
}
