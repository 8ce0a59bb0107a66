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
}
