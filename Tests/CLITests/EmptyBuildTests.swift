import Foundation
import GristCore
import Testing

/// A build that keeps nothing (or a source that keeps nothing) is a failure with the reason, not
/// shards of nothing and exit status 0.
@Suite struct EmptyBuildTests {
    private static let words = (1...30).map { "word\($0)" }.joined(separator: " ")

    private func pipeline(_ folder: String, sources: String, filters: String = "") throws -> String {
        let config = folder + "/pipeline.yaml"
        try """
            version: 1
            name: empty
            output: \(folder)/out
            sources:
            \(sources)
            \(filters)
            mix: {val_fraction: 0}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    private func write(_ path: String, _ text: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// `on_error: {max_skipped_fraction: F}` on a source: more bad records than that fails the build,
    /// naming the source, the most frequent reason and the first bad record; at or below it, it builds.
    @Test func aSourceSkippingMoreThanItsLimitFailsTheBuild() throws {
        let folder = try CLI.temporaryFolder("skip-limit")
        defer { try? FileSystem.remove(folder) }
        // 10 records, 3 of them not JSON (lines 1, 5 and 9).
        try write(folder + "/a.jsonl", (0..<10).map { $0 % 4 == 0 ? "not json\n" : "{\"text\": \"doc \($0) \(Self.words)\"}\n" }.joined())
        func build(limit: String) throws -> CLI.Result {
            try CLI.run(["build", try pipeline(folder, sources: """
                  - {name: docs, format: jsonl, paths: ["\(folder)/a.jsonl"], on_error: {max_skipped_fraction: \(limit)}}
                """)])
        }
        let over = try build(limit: "0.2")
        #expect(over.status == 1, "\(over.stderr)")
        #expect(over.stderr.contains("source \"docs\" skipped 3 of its 10 records (most for not_json: 3), "
                                     + "more than its on_error.max_skipped_fraction of 0.2"), "\(over.stderr)")
        #expect(over.stderr.contains("the first: \(folder)/a.jsonl:1 (byte 0)"), "\(over.stderr)")
        #expect(!FileSystem.exists(folder + "/out/manifest.sqlite"), "nothing is published")
        let within = try build(limit: "0.3")
        #expect(within.status == 0, "\(within.stderr)")
        let bad = try build(limit: "1.5")
        #expect(bad.status == 2 && bad.stderr.contains("on_error.max_skipped_fraction: expected a number in 0.0...1.0"),
                "\(bad.stderr)")
    }

    @Test func aFilterThatDropsEverythingFailsTheBuildAndSaysWhy() throws {
        let folder = try CLI.temporaryFolder("empty-filtered")
        defer { try? FileSystem.remove(folder) }
        try write(folder + "/a.jsonl", (1...5).map { "{\"text\": \"doc \($0) \(Self.words)\"}\n" }.joined())
        let config = try pipeline(folder, sources: """
              - {name: short, format: jsonl, paths: ["\(folder)/a.jsonl"]}
            """, filters: "filters:\n  - {kind: length, min_words: 1000}")
        let result = try CLI.run(["build", config])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("source \"short\" kept no documents: 5 read; dropped by length (too_short) 5"),
                "\(result.stderr)")
        #expect(!FileSystem.exists(folder + "/out/manifest.sqlite"), "nothing is published")
    }

    @Test func aSourceWhoseRecordsAreAllSkippedNamesTheFirstAndAJSONArray() throws {
        let folder = try CLI.temporaryFolder("empty-array")
        defer { try? FileSystem.remove(folder) }
        try write(folder + "/good.jsonl", "{\"text\": \"fine \(Self.words)\"}\n")
        try write(folder + "/array.jsonl", "[{\"text\": \"one \(Self.words)\"}, {\"text\": \"two \(Self.words)\"}]\n")
        let config = try pipeline(folder, sources: """
              - {name: good, format: jsonl, paths: ["\(folder)/good.jsonl"]}
              - {name: array, format: jsonl, paths: ["\(folder)/array.jsonl"]}
            """)
        let result = try CLI.run(["build", config])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("source \"array\" kept no documents: 0 read; 1 skipped (not_json 1); the first: "),
                "\(result.stderr)")
        #expect(result.stderr.contains("this looks like a JSON array; JSON Lines (one object per line) expected"))
        #expect(!result.stderr.contains("source \"good\""))
    }

    @Test func aSourceWhollyDuplicatedByAnotherIsAWarning() throws {
        let folder = try CLI.temporaryFolder("empty-duplicates")
        defer { try? FileSystem.remove(folder) }
        let text = (1...3).map { "{\"text\": \"doc \($0) \(Self.words)\"}\n" }.joined()
        try write(folder + "/a.jsonl", text)
        try write(folder + "/b.jsonl", text)
        let config = try pipeline(folder, sources: """
              - {name: a, format: jsonl, paths: ["\(folder)/a.jsonl"]}
              - {name: again, format: jsonl, paths: ["\(folder)/b.jsonl"]}
            """)
        let result = try CLI.run(["build", config])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: source \"again\" kept no documents: 3 read; dropped by dedup (exact_duplicate) 3"),
                "\(result.stderr)")
    }

    @Test func aSourceOfWeightZeroMayKeepNothing() throws {
        let folder = try CLI.temporaryFolder("empty-weight")
        defer { try? FileSystem.remove(folder) }
        try write(folder + "/a.jsonl", "{\"text\": \"kept \(Self.words)\"}\n")
        try write(folder + "/b.jsonl", "{\"text\": \"left out \(Self.words)\"}\n")
        let config = try pipeline(folder, sources: """
              - {name: a, format: jsonl, paths: ["\(folder)/a.jsonl"]}
              - {name: b, format: jsonl, paths: ["\(folder)/b.jsonl"], weight: 0}
            """)
        let result = try CLI.run(["build", config])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func gristWithoutACommandIsAUsageError() throws {
        let result = try CLI.run([])
        #expect(result.status == 2)
        #expect(result.stderr.contains("USAGE: grist"))
    }

    /// `val_fraction` picks whole documents: three of them at 1 % give no val split, which is said.
    @Test func anEmptyValSplitIsAWarning() throws {
        let folder = try CLI.temporaryFolder("empty-val")
        defer { try? FileSystem.remove(folder) }
        try write(folder + "/a.jsonl", (1...3).map { "{\"text\": \"doc \($0) \(Self.words)\"}\n" }.joined())
        let config = folder + "/pipeline.yaml"
        try """
            version: 1
            name: small
            output: \(folder)/out
            sources:
              - {name: a, format: jsonl, paths: ["\(folder)/a.jsonl"]}
            mix: {val_fraction: 0.01}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try CLI.run(["build", config])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: the val split is empty: mix.val_fraction (0.01) picks whole documents"),
                "\(result.stderr)")
    }

    /// A filter that drops more than its `warn_above` share of a source is named at the end of the build.
    @Test func aFilterThatDropsMostOfASourceIsNamed() throws {
        let folder = try CLI.temporaryFolder("heavy-filter")
        defer { try? FileSystem.remove(folder) }
        let long = (1...3).map { "{\"text\": \"doc \($0) \(Self.words)\"}\n" }.joined()
        try write(folder + "/a.jsonl", long + (1...7).map { "{\"text\": \"short \($0)\"}\n" }.joined())
        for (option, warned) in [("", true), (", warn_above: 0.8", false)] {
            let config = try pipeline(folder, sources: """
                  - {name: mixed, format: jsonl, paths: ["\(folder)/a.jsonl"]}
                """, filters: "filters:\n  - {kind: length, min_words: 10\(option)}")
            let result = try CLI.run(["build", config, "--force"])
            #expect(result.status == 0, "\(result.stderr)")
            let line = "warning: filter length dropped 70% of source \"mixed\" (7 of 10 documents; most for too_short: 7)"
            #expect(result.stderr.contains(line) == warned, "\(option): \(result.stderr)")
            // The manifest keeps the warning: grist stats shows it again, in text and JSON.
            let stats = try CLI.run(["stats", folder + "/out"])
            #expect(stats.stdout.contains(line) == warned, "\(stats.stdout)")
            let json = try CLI.run(["stats", folder + "/out", "--json"])
            #expect(json.stdout.contains("filter length dropped 70% of source") == warned, "\(json.stdout)")
        }
        let bad = try pipeline(folder, sources: """
              - {name: mixed, format: jsonl, paths: ["\(folder)/a.jsonl"]}
            """, filters: "filters:\n  - {kind: length, warn_above: 2}")
        let refused = try CLI.run(["validate", bad])
        #expect(refused.status == 2 && refused.stderr.contains("warn_above: expected a number in 0...1"), "\(refused.stderr)")
    }
}
