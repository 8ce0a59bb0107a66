import GristCore
@testable import GristDedup
import Testing

@Suite struct URLNormalizerTests {
    static let cases: [(String, String)] = [
        // scheme: http and https are one, case folded; no scheme reads as http
        ("https://example.com/a", "http://example.com/a"),
        ("HTTP://example.com/a", "http://example.com/a"),
        ("HtTpS://example.com/a", "http://example.com/a"),
        ("www.example.com/a", "http://www.example.com/a"),
        ("//www.example.com/a", "http://www.example.com/a"),
        // the host is lowercased, the path is not
        ("http://WWW.Example.COM/Path/To/Page", "http://www.example.com/Path/To/Page"),
        ("http://example.com./a", "http://example.com/a"),
        // IDNs in Unicode: lowercased in the host only; punycode left as it is
        ("https://BÜCHER.de/Straße/ÜBER", "http://bücher.de/Straße/ÜBER"),
        ("https://xn--bcher-kva.DE/", "http://xn--bcher-kva.de/"),
        ("http://ДОМ.РФ/Путь", "http://дом.рф/Путь"),
        // default ports (of the scheme written), other ports kept
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "http://example.com/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com:80/a", "http://example.com:80/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("http://example.com:/a", "http://example.com/a"),
        ("localhost:8080/x", "http://localhost:8080/x"),
        ("http://[2001:db8::1]:80/a", "http://[2001:db8::1]/a"),
        ("http://[2001:db8::1]/a", "http://[2001:db8::1]/a"),
        // trailing slashes, empty paths
        ("http://example.com", "http://example.com/"),
        ("http://example.com/", "http://example.com/"),
        ("http://example.com/a/", "http://example.com/a"),
        ("http://example.com/a//", "http://example.com/a"),
        ("http://example.com?q=1", "http://example.com/?q=1"),
        // fragments
        ("http://example.com/a#section-2", "http://example.com/a"),
        ("http://example.com/a/#top", "http://example.com/a"),
        ("http://example.com/a?b=1#x?utm_source=y", "http://example.com/a?b=1"),
        // queries: tracking parameters out, the rest in order, empty queries and pieces removed
        ("http://example.com/a?a=1&utm_source=x", "http://example.com/a?a=1"),
        ("http://example.com/a?utm_source=x&a=1", "http://example.com/a?a=1"),
        ("http://example.com/a?UTM_Medium=x&fbclid=abc&gclid=1&a=1&msclkid=2", "http://example.com/a?a=1"),
        ("http://example.com/a?utm_source=x&utm_campaign=y", "http://example.com/a"),
        ("http://example.com/a?", "http://example.com/a"),
        ("http://example.com/a/?", "http://example.com/a"),
        ("http://example.com/a?a=1&&b=2&", "http://example.com/a?a=1&b=2"),
        ("http://example.com/a?b=2&a=1", "http://example.com/a?b=2&a=1"),
        ("http://example.com/a?utm_=1", "http://example.com/a?utm_=1"),
        ("http://example.com/a?utmost=1", "http://example.com/a?utmost=1"),
        ("http://example.com/a?ref=home", "http://example.com/a?ref=home"),
        // percent escapes: hex digits uppercased, not decoded
        ("http://example.com/a%2fb%c3%a9", "http://example.com/a%2Fb%C3%A9"),
        // user information kept; surrounding whitespace removed
        ("  http://User:Pw@Example.com/a \n", "http://User:Pw@example.com/a"),
        // other schemes: lowercased scheme and host, no default port
        ("FTP://Files.Example.com:21/pub/", "ftp://files.example.com:21/pub"),
        ("mailto:Someone@Example.com", "mailto:Someone@Example.com"),
        // nothing
        ("", ""),
        ("   ", ""),
        ("#only", ""),
    ]

    @Test(arguments: cases) func normalizes(_ input: String, _ expected: String) {
        #expect(URLNormalizer().normalize(input) == expected, "\(input)")
    }

    @Test func theTrackingListIsCaseBlind() {
        for name in URLNormalizer.trackingParameters + ["utm_source", "UTM_CONTENT", "utm_x"] {
            Array(name.uppercased().utf8).withUnsafeBytes { #expect(URLNormalizer.isTracking($0), "\(name)") }
            Array(name.utf8).withUnsafeBytes { #expect(URLNormalizer.isTracking($0), "\(name)") }
        }
        for name in ["a", "utm", "utm_", "ref", "page", "fbclidx", "id"] {
            Array(name.utf8).withUnsafeBytes { #expect(!URLNormalizer.isTracking($0), "\(name)") }
        }
    }

    @Test func sketchURLKeysEqualForEqualForms() {
        var sketcher = DocumentSketcher(computesMinHash: false)
        var a = DocumentSketch(), b = DocumentSketch(), c = DocumentSketch()
        sketcher.sketchURL("https://Example.com/a/?utm_source=x#top", normalize: true, into: &a)
        sketcher.sketchURL("http://example.com:80/a", normalize: true, into: &b)
        sketcher.sketchURL("http://example.com/b", normalize: true, into: &c)
        #expect(a.urlKey != nil && a.urlKey == b.urlKey && a.urlKey != c.urlKey)
        // without normalization only the surrounding whitespace goes
        sketcher.sketchURL(" https://Example.com/a/ ", normalize: false, into: &a)
        sketcher.sketchURL("https://Example.com/a/", normalize: false, into: &b)
        sketcher.sketchURL("https://example.com/a/", normalize: false, into: &c)
        #expect(a.urlKey == b.urlKey && a.urlKey != c.urlKey)
        for missing in [nil, "", "  ", "#x"] as [String?] {
            sketcher.sketchURL(missing, normalize: true, into: &a)
            #expect(a.urlKey == nil, "\(missing ?? "nil")")
        }
    }
}

@Suite struct URLDedupPlanTests {
    /// Runs both phases with URLs, one file per inner array of (text, URL).
    func deduplicate(_ files: [[(String, String?)]], settings: DedupSettings, priorities: [Int]? = nil)
        throws -> (members: [DuplicateMember], summary: DedupSummary) {
        let path = try temporaryFolder("dedup-url")
        defer { try? FileSystem.remove(path) }
        let folder = DedupWorkFolder(path: path)
        try folder.create()
        var sketcher = settings.makeSketcher()
        var counts: [Int] = []
        var sketch = DocumentSketch()
        for (number, documents) in files.enumerated() {
            let writer = try DedupSpillWriter(folder: folder, file: number, bands: settings.bands)
            for (text, url) in documents {
                Array(text.utf8).withUnsafeBytes { sketcher.sketch($0, into: &sketch) }
                if let shape = settings.url { sketcher.sketchURL(url, normalize: shape.normalize, into: &sketch) }
                try writer.add(sketch, byteCount: text.utf8.count, priority: priorities?[number] ?? 0)
            }
            counts.append(try writer.finish())
        }
        let plan = try DedupPlan(settings: settings, folder: folder, documentCounts: counts)
        #expect(plan.tasks.contains(.url) == (settings.url != nil))
        for task in plan.tasks where !plan.isFinished(task) { try plan.run(task, memoryBytes: 16 << 20) }
        var members: [DuplicateMember] = []
        let summary = try plan.cluster { members.append($0) }
        return (members, summary)
    }

    @Test func sameURLDifferentTextIsAURLDuplicate() throws {
        var words = WordSource(seed: 7)
        let texts = (0..<6).map { _ in words.words(200).joined(separator: " ") }
        let files: [[(String, String?)]] = [
            [(texts[0], "https://example.com/page?utm_source=feed"), (texts[1], nil), (texts[2], "http://other.org/")],
            [(texts[3], "http://EXAMPLE.com:80/page/#comments"), (texts[4], nil), (texts[0], "http://third.net/x"),
             (texts[5], "https://other.org")],
        ]
        let url = DedupSettings(exact: true, minhash: .init(ngram: 5, bands: 14, rows: 8, seed: 1), url: .init(normalize: true))
        let (members, summary) = try deduplicate(files, settings: url)
        let clusters = Dictionary(grouping: members, by: \.cluster).mapValues { $0.map(\.document) }
        // 0 ~ 3 by URL, 0 ~ 5 by text (so one cluster), 2 ~ 6 by URL; 1 and 4 have no URL
        #expect(clusters.values.map { $0.sorted() }.sorted { $0[0] < $1[0] } == [[0, 3, 5], [2, 6]], "\(clusters)")
        #expect(members.filter(\.isKept).map(\.document) == [0, 2])
        #expect(members.filter(\.sameURL).map(\.document) == [3, 6])
        #expect(members.filter { $0.exact && !$0.isKept }.map(\.document) == [5])
        #expect(summary.urlDuplicates == 2 && summary.exactDuplicates == 1 && summary.nearDuplicates == 0)
        #expect(summary.urlPairs == 2)

        // Without normalization the two spellings of example.com/page differ; other.org's too.
        let raw = DedupSettings(exact: true, minhash: nil, url: .init(normalize: false))
        let plain = try deduplicate(files, settings: raw)
        #expect(plain.members.map(\.document) == [0, 5])
        #expect(plain.summary.urlDuplicates == 0)
    }

    @Test func urlDuplicatesNeedNoSimilarityAndFollowTheKeepRule() throws {
        var words = WordSource(seed: 8)
        let short = words.words(100).joined(separator: " ")
        let long = words.words(300).joined(separator: " ")
        let files: [[(String, String?)]] = [[(short, "https://a.example/x")], [(long, "http://a.example/x/")]]
        let first = try deduplicate(files, settings: DedupSettings(
            exact: true, minhash: .init(ngram: 5, bands: 14, rows: 8, seed: 1), verify: true, threshold: 0.8,
            url: .init(normalize: true)))
        #expect(first.members.map(\.document) == [0, 1] && first.members.map(\.kept) == [0, 0])
        #expect(first.members[1].sameURL && first.members[1].similarity < 0.1)
        let longest = try deduplicate(files, settings: DedupSettings(exact: true, minhash: nil, keep: .longest,
                                                                     url: .init(normalize: true)))
        #expect(longest.members.map(\.kept) == [1, 1])
        let priority = try deduplicate(files, settings: DedupSettings(exact: true, minhash: nil, keep: .priority,
                                                                      url: .init(normalize: true)), priorities: [3, 1])
        #expect(priority.members.map(\.kept) == [1, 1])
    }
}
