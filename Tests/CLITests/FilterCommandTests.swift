import Foundation
import GristCore
import Testing

/// `grist filter`: one decision per document, in input order, with reasons as `filter:rule`.
@Suite struct FilterCommandTests {
    @Test func printsOneDecisionPerDocument() throws {
        let folder = try CLI.temporaryFolder("filter-command")
        defer { try? FileSystem.remove(folder) }
        let prose = String(repeating: "The gardener planted tomatoes and beans with care, and that season brought a wonderful harvest. ", count: 8)
        let lines = [
            #"{"id": "short", "text": "too short"}"#,
            #"{"id": "good", "text": "\#(prose)"}"#,
            #"{"id": "empty", "text": ""}"#,
            #"not json"#,
            #"{"id": "de", "text": "Der schnelle braune Fuchs springt über den faulen Hund, und das war das Ende des Tages für den Hund und die Katze, die auf der Matte saß. Der schnelle braune Fuchs springt über den faulen Hund, und das war das Ende des Tages für den Hund und die Katze, die auf der Matte saß. Der schnelle braune Fuchs springt über den faulen Hund, und das war das Ende."}"#,
        ]
        _ = FileManager.default.createFile(atPath: folder + "/in.jsonl", contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        _ = FileManager.default.createFile(atPath: folder + "/f.yaml", contents: Data("""
            version: 1
            name: whatever          # other sections are ignored
            clean: [{unicode: {}}, {pii: {}}]
            filters:
              - language: {languages: [en]}
              - gopher_quality: {}
            """.utf8))
        let result = try CLI.run(["filter", "--config", folder + "/f.yaml", folder + "/in.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n") == [
            #"{"id": "short", "keep": false, "reason": "gopher_quality:short_doc"}"#,
            #"{"id": "good", "keep": true}"#,
            #"{"id": "empty", "keep": false, "reason": "language:no_text"}"#,
            #"{"id": "de", "keep": false, "reason": "language:other_language"}"#,
        ])
        #expect(result.stderr.contains("in.jsonl:4"))

        _ = FileManager.default.createFile(atPath: folder + "/bad.yaml", contents: Data("filters: [{gopher_quality: {min_doc_word: 3}}]\n".utf8))
        let bad = try CLI.run(["filter", "--config", folder + "/bad.yaml", folder + "/in.jsonl"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.yaml:1") && bad.stderr.contains("min_doc_word"))
    }

    /// `--show-text` adds the text as the rules left it: cleaned, lines removed by strip_lines, or as it
    /// was when a filter dropped it.
    @Test func showTextPrintsTheTextTheRulesLeft() throws {
        let folder = try CLI.temporaryFolder("filter-show-text")
        defer { try? FileSystem.remove(folder) }
        let lines = [
            #"{"id": "a", "text": "Keep this line.\nCookie policy: accept all\nAnd this one.   "}"#,
            #"{"id": "b", "text": "tiny"}"#,
        ]
        _ = FileManager.default.createFile(atPath: folder + "/in.jsonl", contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        _ = FileManager.default.createFile(atPath: folder + "/f.yaml", contents: Data("""
            clean: [{whitespace: {}}, {strip_lines: {patterns: ["^Cookie policy"]}}]
            filters: [{length: {min_words: 3}}]
            """.utf8))
        let plain = try CLI.run(["filter", "--config", folder + "/f.yaml", folder + "/in.jsonl"])
        #expect(!plain.stdout.contains("\"text\""))
        let result = try CLI.run(["filter", "--config", folder + "/f.yaml", folder + "/in.jsonl", "--show-text"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n") == [
            #"{"id": "a", "keep": true, "text": "Keep this line.\nAnd this one."}"#,
            #"{"id": "b", "keep": false, "reason": "length:too_short", "text": "tiny"}"#,
        ], "\(result.stdout)")
    }

    @Test func blocksURLsFromMetadata() throws {
        let folder = try CLI.temporaryFolder("filter-urls")
        defer { try? FileSystem.remove(folder) }
        _ = FileManager.default.createFile(atPath: folder + "/in.jsonl", contents: Data("""
            {"id": "a", "text": "x", "url": "https://news.bad.example/story"}
            {"id": "b", "text": "x", "url": "https://good.example/casino-night"}
            {"id": "c", "text": "x"}

            """.utf8))
        _ = FileManager.default.createFile(atPath: folder + "/domains", contents: Data("# blocked\nbad.example\n".utf8))
        _ = FileManager.default.createFile(atPath: folder + "/words", contents: Data("casino\n".utf8))
        _ = FileManager.default.createFile(atPath: folder + "/f.yaml", contents: Data("""
            filters:
              - url_blocklist: {domains_file: \(folder)/domains, banned_words_file: \(folder)/words}
            """.utf8))
        let result = try CLI.run(["filter", "--config", folder + "/f.yaml", folder + "/in.jsonl", "--metadata-field", "url"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n") == [
            #"{"id": "a", "keep": false, "reason": "url_blocklist:domain"}"#,
            #"{"id": "b", "keep": false, "reason": "url_blocklist:hard_blacklisted"}"#,
            #"{"id": "c", "keep": true}"#,
        ])
        // `grist collect` writes metadata nested under "metadata": a dotted path reaches it, stored as "url".
        _ = FileManager.default.createFile(atPath: folder + "/collected.jsonl", contents: Data("""
            {"id": "a", "text": "x", "metadata": {"url": "https://news.bad.example/story"}}

            """.utf8))
        let nested = try CLI.run(["filter", "--config", folder + "/f.yaml", folder + "/collected.jsonl",
                                  "--metadata-field", "metadata.url"])
        #expect(nested.status == 0, "\(nested.stderr)")
        #expect(nested.stdout == #"{"id": "a", "keep": false, "reason": "url_blocklist:domain"}"# + "\n", "\(nested.stdout)")
    }

    /// A build reuses its scan only while the files a rule reads are unchanged: editing a blocklist
    /// (the config itself unchanged) scans again and drops what the list now names.
    @Test func aBuildScansAgainWhenABlocklistChanges() throws {
        let folder = try CLI.temporaryFolder("filter-blocklist-build")
        defer { try? FileSystem.remove(folder) }
        try "# nothing blocked yet\n".write(toFile: folder + "/urls", atomically: true, encoding: .utf8)
        let config = try CLI.smallPipeline(in: folder, sources: """
              - {name: docs, format: jsonl, paths: [corpora/python-docs/part-000.jsonl.zst], metadata_fields: [url]}
            """, """
            filters:
              - url_blocklist: {urls_file: \(folder)/urls}
            mix: {val_fraction: 0.1}
            """)
        let first = try CLI.run(["build", config])
        try #require(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("205 documents read, 0 skipped, 205 kept"), "\(first.stdout)")
        try "https://docs.python.org/3.11/about.html\n".write(toFile: folder + "/urls", atomically: true, encoding: .utf8)
        let second = try CLI.run(["build", config])
        try #require(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("scan: ran"), "\(second.stderr)")
        #expect(second.stdout.contains("205 documents read, 0 skipped, 204 kept"), "\(second.stdout)")
    }
}
