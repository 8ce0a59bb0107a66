import Foundation
import GristCore
import GristShards
import Testing

/// "Which URLs did I keep or drop, and why": a WARC crawl's URLs as document ids and stored metadata,
/// a language filter's label and score per document, shown by the manifest, the rejects and `inspect`.
@Suite struct ProvenanceTests {
    @Test func aCrawlsURLsAndLanguagesAreRecordedPerDocument() throws {
        let folder = try CLI.temporaryFolder("provenance")
        defer { try? FileSystem.remove(folder) }
        let config = folder + "/p.yaml"
        try """
            version: 1
            name: provenance
            output: \(folder)/out
            sources:
              - name: web
                format: warc
                paths: [\(CLI.root)/corpora/formats/web/python-docs.warc.gz]
                warc: {id: url}
                metadata_fields: [url, title]
            filters:
              - language: {languages: [en]}
              - length: {min_words: 1500, rejects: true}
            mix: {val_fraction: 0}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let build = try CLI.run(["build", config])
        try #require(build.status == 0, "\(build.stderr)")

        // The query docs/manifest.md shows.
        let manifest = try Manifest.open(path: folder + "/out/manifest.sqlite")
        let rows = try manifest.database.prepare("""
            SELECT m.value AS url, d.fate AS fate, d.stage AS stage, d.reason AS reason
            FROM document d JOIN documentMetadata m ON m.documentId = d.id AND m.key = 'url'
            ORDER BY d.id
            """).mapRows { ($0.string("url"), $0.string("fate"), $0["stage"].string, $0["reason"].string) }
        #expect(rows.count == 24, "every response record has its URL")
        #expect(rows.allSatisfy { $0.0.hasPrefix("https://docs.python.org/3.11/") })
        let about = try #require(rows.first { $0.0 == "https://docs.python.org/3.11/about.html" })
        #expect(about.1 == "dropped" && about.2 == "length" && about.3 == "too_short")
        #expect(rows.contains { $0.1 == "kept" })
        let ids = try manifest.database.prepare("SELECT externalId FROM document ORDER BY id").mapRows { $0.string("externalId") }
        #expect(ids == rows.map(\.0), "warc: {id: url} makes the URL the document id")
        let languages = try manifest.database.prepare("""
            SELECT key, value FROM documentMetadata WHERE key IN ('language', 'language_score') ORDER BY documentId, key
            """).mapRows { ($0.string("key"), $0.string("value")) }
        #expect(languages.count == 48 && languages.filter { $0.0 == "language" }.allSatisfy { $0.1 == "en" })
        #expect(languages.filter { $0.0 == "language_score" }.allSatisfy { (Double($0.1) ?? 0) > 0.5 })
        #expect(try manifest.database.scalar("SELECT COUNT(*) FROM documentMetadata WHERE key = 'date'")?.int == 0,
                "only the listed fields (and the language filter's) are recorded")

        let rejects = try CLI.run(["inspect", folder + "/out", "--rejects", "length", "--n", "1"])
        #expect(rejects.status == 0, "\(rejects.stderr)")
        #expect(rejects.stdout.contains("--- length:too_short · web · https://docs.python.org/3.11/about.html"),
                "\(rejects.stdout)")
        #expect(rejects.stdout.contains("byte 807 · https://docs.python.org/3.11/about.html"))

        let sample = try CLI.run(["inspect", folder + "/out", "--sample", "1", "--max-chars", "20"])
        #expect(sample.status == 0, "\(sample.stderr)")
        #expect(sample.stdout.contains("language: en · language_score: ") && sample.stdout.contains("url: https://docs.python.org/"),
                "\(sample.stdout)")
    }

    @Test func aWETFilesURLsAndCommonCrawlLanguageAreRecorded() throws {
        let folder = try CLI.temporaryFolder("provenance-wet")
        defer { try? FileSystem.remove(folder) }
        let config = folder + "/p.yaml"
        try """
            version: 1
            name: provenance-wet
            output: \(folder)/out
            sources:
              - name: cc
                format: wet
                paths: [\(CLI.root)/corpora/formats/cc/python-docs.warc.wet.gz]
                metadata_fields: [url, cc_language]
            filters:
              - language: {languages: [en]}
            mix: {val_fraction: 0}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let build = try CLI.run(["build", config])
        try #require(build.status == 0, "\(build.stderr)")

        let manifest = try Manifest.open(path: folder + "/out/manifest.sqlite")
        let ids = try manifest.database.prepare("SELECT externalId FROM document ORDER BY id").mapRows { $0.string("externalId") }
        #expect(ids.count == 24)
        #expect(ids.first == "https://docs.python.org/3.11/about.html", "format: wet takes the URL as the id")
        #expect(ids.allSatisfy { $0.hasPrefix("https://docs.python.org/3.11/") })
        let rows = try manifest.database.prepare("""
            SELECT d.externalId AS id, m.key AS key, m.value AS value
            FROM document d JOIN documentMetadata m ON m.documentId = d.id ORDER BY d.id, m.key
            """).mapRows { ($0.string("id"), $0.string("key"), $0.string("value")) }
        #expect(rows.filter { $0.1 == "url" }.map(\.2) == ids)
        #expect(rows.filter { $0.1 == "url" }.allSatisfy { $0.0 == $0.2 })
        let languages = rows.filter { $0.1 == "cc_language" }
        #expect(languages.count == 24 && languages.allSatisfy { $0.2 == "eng" })
        // The language filter's own label sits beside Common Crawl's, under its own key.
        #expect(rows.filter { $0.1 == "language" }.allSatisfy { $0.2 == "en" })
        #expect(rows.filter { $0.1 == "language" }.count == 24)
        #expect(Set(rows.map(\.1)) == ["url", "cc_language", "language", "language_score"],
                "only the listed fields (and the language filter's) are recorded")
        let reads = try manifest.database.prepare("SELECT path, documentsRead, recordsSkipped FROM inputFile").mapRows { ($0.string("path"), $0.int("documentsRead"), $0.int("recordsSkipped")) }
        #expect(reads.count == 1 && reads.first?.1 == 24 && reads.first?.2 == 0, "\(reads)")
    }
}
