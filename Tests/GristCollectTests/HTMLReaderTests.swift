import GristCore
import Testing
@testable import GristCollect

@Suite("HTMLReader")
struct HTMLReaderTests {
    private func read(_ html: String, ext: String = "", options: HTMLReaderOptions = .init(),
                      policy: InputPolicy = .init()) throws -> [ReaderEvent] {
        try read(Array(html.utf8), ext: ext, options: options, policy: policy)
    }

    private func read(_ bytes: [UInt8], ext: String = "", options: HTMLReaderOptions = .init(),
                      policy: InputPolicy = .init()) throws -> [ReaderEvent] {
        let folder = try TempFolder()
        let path = try folder.write("page.html" + (ext.isEmpty ? "" : "." + ext), Compress.encode(bytes, as: ext))
        return try readAll(HTMLReader(path: path, options: options, policy: policy))
    }

    private let page = """
        <!DOCTYPE html><html lang="fr"><head><title> A  page </title><style>p{}</style>
        <script>var x = "<p>no</p>";</script></head><body>
        <header><a href="/">Home</a> <a href="/about">About</a></header>
        <nav><ul><li><a href="/1">One</a></li><li><a href="/2">Two</a></li></ul></nav>
        <div class="sidebar">Sidebar words that are not content.</div>
        <main>
          <h1>The title</h1>
          <p>First paragraph with <a href="x">a link</a> and <b>bold</b>   text.</p>
          <ul><li>item one</li><li>item two</li></ul>
          <ol><li>first</li><li>second</li></ol>
          <table><tr><th>Name</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>
          <pre>code  line 1
          indented</pre>
          <p hidden>hidden text</p><p style="display: none">also hidden</p>
          <form><input value="x"><button>Send</button></form>
          <p>Line<br>break</p>
        </main>
        <footer>Copyright footer</footer>
        </body></html>
        """

    @Test("main text", arguments: ["", "gz", "zst"])
    func mainText(ext: String) throws {
        let events = try read(page, ext: ext)
        let document = try #require(events.documents.first)
        #expect(events.count == 1)
        #expect(document.string == """
            The title

            First paragraph with a link and bold text.

            - item one
            - item two

            1. first
            2. second

            Name | Value
            a | 1

            code  line 1
              indented

            Line
            break
            """)
        #expect(document.metadata == ["title": "A page", "lang": "fr"])
        #expect(document.id.hasSuffix("page.html" + (ext.isEmpty ? "" : "." + ext)))
    }

    @Test func allVisibleText() throws {
        let events = try read(page, options: HTMLReaderOptions().with { $0.extract = .all })
        let text = try #require(events.documents.first).string
        for kept in ["Home", "One", "Sidebar words", "The title", "Copyright footer", "item two"] {
            #expect(text.contains(kept), "\(kept)")
        }
        for dropped in ["var x", "hidden text", "also hidden", "p{}", "Send"] {
            #expect(!text.contains(dropped), "\(dropped)")
        }
    }

    @Test func linkDenseBlocksAreDropped() throws {
        let links = (1...12).map { "<li><a href=\"/\($0)\">Chapter \($0)</a></li>" }.joined()
        let html = "<body><div><p>" + String(repeating: "Real prose sentence here. ", count: 20)
            + "</p><ul>\(links)</ul><p><a href=\"/p\">Previous</a> | <a href=\"/n\">Next</a></p></div></body>"
        let text = try #require(try read(html).documents.first).string
        #expect(text.hasPrefix("Real prose sentence here."))
        #expect(!text.contains("Chapter 3"))
        #expect(!text.contains("Previous"))
    }

    @Test func pageOfOnlyLinksKeepsThem() throws {
        let links = (1...30).map { "<li><a href=\"/\($0)\">Chapter number \($0)</a></li>" }.joined()
        let text = try #require(try read("<body><ul>\(links)</ul></body>").documents.first).string
        #expect(text.contains("- Chapter number 30"))
    }

    @Test func headerInsideArticleIsKept() throws {
        let html = "<body><header>Site</header><article><header><h1>Post title</h1></header><p>"
            + String(repeating: "Body text. ", count: 30) + "</p></article></body>"
        let text = try #require(try read(html).documents.first).string
        #expect(text.hasPrefix("Post title\n\nBody text."))
        #expect(!text.contains("Site"))
    }

    @Test func declaredCharsetIsDecoded() throws {
        let latin1: [UInt8] = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf".utf8) + [0xE9]
            + Array("</p></body></html>".utf8)
        let document = try #require(try read(latin1).documents.first)
        #expect(document.string == "café")
    }

    @Test func undeclaredInvalidUTF8FollowsThePolicy() throws {
        let bytes: [UInt8] = Array("<p>caf".utf8) + [0xE9] + Array(" ok</p>".utf8)
        let rejected = try read(bytes)
        #expect(rejected.skips.map(\.kind) == [.skip(.invalidUTF8)])
        #expect(rejected.skips.first?.position?.byteOffset == 6)
        let replaced = try read(bytes, policy: InputPolicy(invalidUTF8: .replace))
        #expect(replaced.documents.first?.string == "caf\u{FFFD} ok")
    }

    @Test func deepNestingIsAnError() throws {
        let html = "<body>" + String(repeating: "<div>", count: 5000) + "deep" + String(repeating: "</div>", count: 5000)
        let events = try read(html)
        #expect(events.skips.map(\.kind) == [.skip(.tooDeep)])
        #expect(events.skips.first?.position?.line != nil)
    }

    @Test func entityAttacksDoNothing() throws {
        // The HTML parser neither expands internal entities nor loads external ones.
        let laughs = """
            <!DOCTYPE html [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            <!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <html><body><p>&lol3; &xxe;</p></body></html>
            """
        let events = try read(laughs)
        let text = events.documents.first?.string ?? ""
        #expect(!text.contains("root:"))
        #expect(!text.contains("lollol"))  // declarations may show as text; they are never expanded
        #expect(text.hasSuffix("&lol3; &xxe;"))
    }

    @Test func badInputs() throws {
        #expect(try read("").skips.map(\.kind) == [.skip(.emptyFile)])
        #expect(try read("  \n ").skips.map(\.kind) == [.skip(.emptyFile)])
        #expect(try read(page, options: HTMLReaderOptions().with { $0.maxDocumentBytes = 100 }).skips.map(\.kind) == [.skip(.recordTooLarge)])
        let folder = try TempFolder()
        let whole = Compress.gzip(Array(page.utf8))
        let path = try folder.write("cut.html.gz", Array(whole.prefix(whole.count / 2)))
        #expect(try readAll(HTMLReader(path: path, options: .init())).skips.map(\.kind) == [.skip(.truncated)])
    }
}
