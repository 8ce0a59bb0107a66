import Foundation
import GristCore
import GristShards
import Testing

/// Issue 15: Parquet in (`format: parquet`, `format: hf_dataset`), built by the real CLI on the shipped
/// samples: parallel by byte range without changing a byte, damage counted and named, and a round trip
/// through the curated Parquet text.
@Suite struct ParquetSourceTests {
    private static let sources = """
          - name: docs
            format: parquet
            paths: [corpora/formats/parquet/python-docs.parquet]
            metadata_fields: [url, date, token_count]
          - name: hf
            format: hf_dataset
            paths: [corpora/formats/hf/python-docs]
            hf_dataset: {splits: [train, test]}
            metadata_fields: [url]
        """

    private func shardBytes(_ out: String) throws -> [String: [UInt8]] {
        var shards: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: out + "/shards").sorted() {
            shards[name] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out + "/shards/" + name)))
        }
        return shards
    }

    @Test func rangesAndWorkersChangeNothing() throws {
        let folder = try CLI.temporaryFolder("parquet-ranges")
        defer { try? FileSystem.remove(folder) }
        var outputs: [[String: [UInt8]]] = []
        // 64 MiB parts: each file is one unit; 0.05 MiB parts: the 497 KB file is read in 10 ranges (its six
        // row groups by where they start), the dataset's 375 KB file in 8.
        for (part, workers) in [("64", "1"), ("0.05", "1"), ("0.05", "2")] {
            let config = try CLI.smallPipeline(in: folder, sources: Self.sources, """
                mix: {val_fraction: 0.1}
                work: {part_mb: \(part)}
                """)
            let out = folder + "/out-\(part)-\(workers)"
            let built = try CLI.run(["build", config, "-w", workers, "--output", out])
            try #require(built.status == 0, "\(built.stderr)")
            #expect(built.stdout.contains("110 documents read, 0 skipped"), "\(built.stdout)")
            outputs.append(try shardBytes(out))
        }
        #expect(!outputs[0].isEmpty)
        #expect(outputs[1] == outputs[0], "byte ranges of the Parquet files give the same shards")
        #expect(outputs[2] == outputs[0], "two workers give the same shards")

        let manifest = try Manifest.open(path: folder + "/out-0.05-2/manifest.sqlite")
        let docs = try manifest.documents(fate: .kept, source: "docs", limit: 100)
        #expect(docs.count == 55)
        // Ids from the id column; rows numbered through the whole file although read in ranges.
        #expect(docs.first?.externalId == "library/tkinter.messagebox.html")
        #expect(docs.map(\.ordinal) == Array(0..<55))
        #expect(docs.map(\.line) == Array(1...55))
        let sample = try CLI.run(["inspect", folder + "/out-0.05-2", "--sample", "1", "--source", "docs"])
        #expect(sample.stdout.contains("url: https://docs.python.org/3.11/") && sample.stdout.contains("token_count: "),
                "\(sample.stdout)")
    }

    @Test func aScanKilledInAParquetFileResumes() throws {
        let folder = try CLI.temporaryFolder("parquet-crash")
        defer { try? FileSystem.remove(folder) }
        let config = try CLI.smallPipeline(in: folder, sources: Self.sources, """
            mix: {val_fraction: 0.1}
            work: {part_mb: 0.05}
            """)
        let reference = try CLI.run(["build", config, "--output", folder + "/reference"])
        try #require(reference.status == 0, "\(reference.stderr)")
        // Killed after its fifth stored part (a byte range of a Parquet file), then run again.
        let crashed = try CLI.run(["build", config, "-w", "1"], environment: ["GRIST_FAULT": "scan-part:5"])
        #expect(crashed.signaled, "\(crashed.stderr)")
        let resumed = try CLI.run(["build", config, "-w", "1"])
        try #require(resumed.status == 0, "\(resumed.stderr)")
        // Four ranges were done (the fifth had its part stored, not its done marker); that one and the 19 not
        // begun ran.
        #expect(resumed.stderr.contains("scan: reused 4, ran 20"), "\(resumed.stderr)")
        #expect(try shardBytes(folder + "/out") == shardBytes(folder + "/reference"))
    }

    @Test func damagedFilesAreSkippedNamedAndCounted() throws {
        let folder = try CLI.temporaryFolder("parquet-damage")
        defer { try? FileSystem.remove(folder) }
        let fixtures = "Tests/GristParquetTests/Fixtures"
        let config = try CLI.smallPipeline(in: folder, sources: """
              - name: mixed
                format: parquet
                paths: [corpora/formats/parquet/python-docs.parquet, \(fixtures)/bad-magic.parquet, \(fixtures)/bad-truncated-footer.parquet, \(fixtures)/bad-page-snappy-size.parquet, \(fixtures)/bad-bomb-zstd.parquet]
            """, "mix: {val_fraction: 0.1}")
        let built = try CLI.run(["build", config])
        try #require(built.status == 0, "\(built.stderr)")
        #expect(built.stdout.contains("55 documents read, 4 skipped"), "\(built.stdout)")
        #expect(built.stderr.contains("bad-magic.parquet: not a Parquet file"), "\(built.stderr)")
        #expect(built.stderr.contains("bad-page-snappy-size.parquet (byte 4): row group 0, column \"text\", page 0:"))
        let words = try CLI.run(["collect", "--format", "parquet", "--text-field", "word", "--count",
                                 fixtures + "/bad-dictionary-index.parquet"])
        #expect(words.stderr.contains(#"row group 0, column "word", page 1: dictionary index"#), "\(words.stderr)")
        let bomb = try CLI.run(["collect", "--format", "parquet", "--text-field", "blob", "--count",
                                fixtures + "/bad-bomb-zstd.parquet"])
        #expect(bomb.stderr.contains("bad-bomb-zstd.parquet") && bomb.stderr.contains("column \"blob\"")
                && bomb.stderr.contains("a decompression bomb"), "\(bomb.stderr)")
        let stats = try CLI.run(["stats", folder + "/out"])
        // The bomb's file has no text column: skipped whole before a page is read (`missing_field`).
        for reason in ["bad_format", "truncated", "corrupt", "missing_field"] {
            #expect(stats.stdout.contains(reason), "\(reason) in \(stats.stdout)")
        }
        let failing = try CLI.smallPipeline(in: folder, sources: """
              - name: bad
                format: parquet
                paths: [corpora/formats/parquet/python-docs.parquet, \(fixtures)/bad-magic.parquet]
                on_error: {max_skipped_fraction: 0.001}
            """, "")
        let refused = try CLI.run(["build", failing, "--output", folder + "/refused"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("bad_format"), "\(refused.stderr)")
    }

    @Test func curatedParquetReadBackGivesTheSameShards() throws {
        let folder = try CLI.temporaryFolder("parquet-round-trip")
        defer { try? FileSystem.remove(folder) }
        let body = "mix: {val_fraction: 0.1}\nshards: {min_tokens: 0}\n"
        let first = try CLI.smallPipeline(in: folder, sources: Self.sources,
                                          body + "text: {format: parquet, order: source, fields: [id, text, url]}")
        let built = try CLI.run(["build", first, "--output", folder + "/first"])
        try #require(built.status == 0, "\(built.stderr)")
        for source in ["docs", "hf"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/first/text/" + source)
            try #require(files.contains("train-00000.parquet"), "\(source): \(files)")
        }
        let inspected = try CLI.run(["inspect", folder + "/first/text/docs/train-00000.parquet", "--documents", "1"])
        #expect(inspected.stdout.contains("fields id, text, url") && inspected.stdout.contains("checksum matches"),
                "\(inspected.stdout)\(inspected.stderr)")
        // grist reads its own Parquet: every document once, the text as the first build cleaned it.
        let collected = try CLI.run(["collect", "--format", "parquet", "--count", folder + "/first/text"])
        #expect(collected.stdout.contains("collected 110 documents"), "\(collected.stdout)\(collected.stderr)")
        // Each source's curated files as that source of a second build: the same documents, so the same shards.
        let second = folder + "/second.yaml"
        try (try String(contentsOfFile: first, encoding: .utf8))
            .replacingOccurrences(of: Self.sources, with: """
                  - {name: docs, format: parquet, paths: [\(folder)/first/text/docs], metadata_fields: [url]}
                  - {name: hf, format: parquet, paths: [\(folder)/first/text/hf], metadata_fields: [url]}
                """)
            .replacingOccurrences(of: "text: {format: parquet, order: source, fields: [id, text, url]}", with: "")
            .write(toFile: second, atomically: true, encoding: .utf8)
        let rebuilt = try CLI.run(["build", second, "--output", folder + "/second"])
        try #require(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("110 documents read, 0 skipped"), "\(rebuilt.stdout)")
        #expect(try shardBytes(folder + "/second") == shardBytes(folder + "/first"))
    }
}
