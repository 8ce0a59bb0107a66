import GristCore
import Testing
@testable import GristCollect

@Suite("MediaWikiReader")
struct MediaWikiReaderTests {
    static func dump(_ pages: String) -> String {
        """
        <mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">
          <siteinfo><sitename>Wiki</sitename><base>https://en.example.org/wiki/Main_Page</base></siteinfo>
        \(pages)
        </mediawiki>
        """
    }

    static func page(_ title: String, id: Int, ns: Int = 0, redirect: Bool = false, model: String = "wikitext",
                     text: String) -> String {
        """
          <page>
            <title>\(title)</title>
            <ns>\(ns)</ns>
            <id>\(id)</id>\(redirect ? "\n    <redirect title=\"Elsewhere\" />" : "")
            <revision>
              <id>\(id * 10)</id>
              <timestamp>2024-05-20T10:00:00Z</timestamp>
              <model>\(model)</model>
              <text bytes="\(text.utf8.count)" xml:space="preserve">\(text)</text>
            </revision>
          </page>
        """
    }

    private func read(_ xml: String, ext: String = "", options: MediaWikiReaderOptions = .init())
        throws -> ([ReaderEvent], [String: Int]) {
        let folder = try TempFolder()
        let path = try folder.write("dump.xml" + (ext.isEmpty ? "" : "." + ext), Compress.encode(Array(xml.utf8), as: ext))
        let reader = try MediaWikiReader(path: path, options: options)
        var events: [ReaderEvent] = []
        while let event = try reader.next() { events.append(event) }
        return (events, reader.filtered)
    }

    private var sample: String {
        Self.dump([
            Self.page("Alpha beta", id: 1, text: "'''Alpha''' is a [[Greek alphabet|letter]].&lt;ref&gt;Source&lt;/ref&gt;"),
            Self.page("Talk:Alpha", id: 2, ns: 1, text: "Talk."),
            Self.page("Old", id: 3, redirect: true, text: "#REDIRECT [[Alpha beta]]"),
            Self.page("Module:X", id: 4, ns: 0, model: "Scribunto", text: "return {}"),
            Self.page("Gamma", id: 5, text: "Gamma &amp;amp; delta."),
        ].joined(separator: "\n"))
    }

    @Test("pages, filtered by namespace, redirect and model", arguments: ["", "gz", "zst"])
    func pages(ext: String) throws {
        let (events, filtered) = try read(sample, ext: ext)
        #expect(events.skips.isEmpty)
        let documents = events.documents
        #expect(documents.map(\.string) == ["Alpha is a letter.", "Gamma & delta."])
        #expect(documents.map(\.id) == ["1", "5"])
        #expect(documents.map(\.ordinal) == [0, 4])
        #expect(documents[0].metadata == ["title": "Alpha beta", "page_id": "1", "revision_id": "10",
                                          "timestamp": "2024-05-20T10:00:00Z",
                                          "url": "https://en.example.org/wiki/Alpha_beta"])
        #expect(filtered == ["namespace": 1, "redirect": 1, "not_wikitext": 1])
        #expect(documents[0].line == 3)
    }

    @Test func optionsWidenTheSelection() throws {
        let options = MediaWikiReaderOptions().with { $0.namespaces = [0, 1]; $0.skipRedirects = false }
        let (events, _) = try read(sample, options: options)
        #expect(events.documents.map(\.id) == ["1", "2", "3", "5"])
        #expect(events.documents[2].string == "REDIRECT Alpha beta")
    }

    @Test func billionLaughsIsRefusedBeforeParsing() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol">
             <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
             <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
             <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
            <mediawiki><page><title>&lol9;</title><ns>0</ns><id>1</id><revision><text>&lol9;</text></revision></page></mediawiki>
            """
        let (events, _) = try read(xml)
        #expect(events.documents.isEmpty)
        #expect(events.skips.map(\.kind) == [.skip(.unsafeXML)])
        #expect(events.skips.first?.position?.byteOffset == 22)
    }

    @Test func externalEntityIsRefused() throws {
        let xml = """
            <!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <mediawiki><page><title>x</title><ns>0</ns><id>1</id><revision><text>&xxe;</text></revision></page></mediawiki>
            """
        let (events, _) = try read(xml)
        #expect(events.skips.map(\.kind) == [.skip(.unsafeXML)])
        #expect(!events.documents.contains { $0.string.contains("root:") })
    }

    @Test func brokenXMLKeepsEarlierPages() throws {
        // libxml2's reader parses ahead in chunks: pages in the chunk where the error is are lost, so
        // the first page is made longer than a chunk.
        let filler = String(repeating: "First page. ", count: 2000)
        let good = Self.page("A", id: 1, text: filler)
        let lost = Self.page("Lost", id: 9, text: "In the chunk of the error.")
        let (bad, _) = try read(Self.dump(good + lost + "\n<page><title>B</title><ns>0</ns></oops></page>"))
        #expect(bad.documents.map(\.id) == ["1"])
        #expect(bad.skips.map(\.kind) == [.skip(.notXML)])
        #expect(bad.skips.first?.position?.line != nil)
        let whole = Self.dump(good + "\n" + Self.page("B", id: 2, text: String(repeating: "words ", count: 200)))
        let (cut, _) = try read(String(whole.prefix(whole.utf8.count - 300)))
        #expect(cut.documents.map(\.id) == ["1"])
        #expect(cut.skips.map(\.kind) == [.skip(.truncated)])
        let (zstdCut, _) = try readCompressedCut(whole)
        #expect(zstdCut.documents.map(\.id) == ["1"])
        #expect(zstdCut.skips.map(\.kind) == [.skip(.truncated)])
    }

    private func readCompressedCut(_ xml: String) throws -> ([ReaderEvent], [String: Int]) {
        let folder = try TempFolder()
        // Two frames: zstd decodes whole blocks, so the cut must fall in a later frame than page 1.
        let bytes = Array(xml.utf8)
        let split = bytes.count - 700
        let second = Compress.zstd(Array(bytes[split...]))
        let path = try folder.write("cut.xml.zst", Compress.zstd(Array(bytes[..<split])) + second.prefix(second.count - 20))
        let reader = try MediaWikiReader(path: path, options: .init())
        var events: [ReaderEvent] = []
        while let event = try reader.next() { events.append(event) }
        return (events, reader.filtered)
    }

    @Test func tooLargePageIsSkipped() throws {
        let xml = Self.dump(Self.page("Big", id: 1, text: String(repeating: "x", count: 3000))
                            + Self.page("Small", id: 2, text: "ok"))
        let (events, _) = try read(xml, options: MediaWikiReaderOptions().with { $0.maxDocumentBytes = 1000 })
        #expect(events.skips.map(\.kind) == [.skip(.recordTooLarge)])
        #expect(events.documents.map(\.id) == ["2"])
    }

    @Test func emptyDumpAndNotXML() throws {
        #expect(try read(Self.dump("")).0.skips.map(\.kind) == [.skip(.emptyFile)])
        #expect(try read("just text").0.skips.map(\.kind) == [.skip(.notXML)])
    }
}
