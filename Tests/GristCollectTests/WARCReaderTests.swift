import GristCore
import Testing
@testable import GristCollect

/// WARC records made by hand, as warcio and Common Crawl write them.
enum WARC {
    static func record(type: String, uri: String = "https://example.org/", id: String, contentType: String,
                       content: [UInt8]) -> [UInt8] {
        let header = """
            WARC/1.0\r
            WARC-Type: \(type)\r
            WARC-Record-ID: <urn:uuid:\(id)>\r
            WARC-Target-URI: \(uri)\r
            WARC-Date: 2024-05-20T10:00:00Z\r
            Content-Type: \(contentType)\r
            Content-Length: \(content.count)\r
            \r

            """
        return Array(header.utf8) + content + Array("\r\n\r\n".utf8)
    }

    static func response(id: String, uri: String = "https://example.org/", status: String = "200 OK",
                         contentType: String = "text/html; charset=utf-8", headers: String = "",
                         body: [UInt8]) -> [UInt8] {
        let http = Array("HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\n\(headers)\r\n".utf8) + body
        return record(type: "response", uri: uri, id: id, contentType: "application/http; msgtype=response", content: http)
    }

    static func html(_ title: String, _ body: String) -> [UInt8] {
        Array("<html lang=\"en\"><head><title>\(title)</title></head><body><p>\(body)</p></body></html>".utf8)
    }
}

@Suite("WARCReader")
struct WARCReaderTests {
    private func read(_ records: [[UInt8]], gzipPerRecord: Bool = false, name: String = "x.warc",
                      options: WARCReaderOptions = .init(), policy: InputPolicy = .init()) throws -> (String, [ReaderEvent], [String: Int]) {
        let folder = try TempFolder()
        let bytes = gzipPerRecord ? records.flatMap { Compress.gzip($0) } : records.flatMap { $0 }
        let path = try folder.write(gzipPerRecord ? name + ".gz" : name, bytes)
        var reader = try WARCReader(path: path, options: options, policy: policy, bufferSize: 64)
        var events: [ReaderEvent] = []
        while let event = try reader.next() { events.append(event) }
        return (path, events, reader.filtered)
    }

    private var sample: [[UInt8]] {
        [
            WARC.record(type: "warcinfo", id: "0", contentType: "application/warc-fields", content: Array("software: t\r\n".utf8)),
            WARC.record(type: "request", id: "1", contentType: "application/http; msgtype=request",
                        content: Array("GET / HTTP/1.1\r\n\r\n".utf8)),
            WARC.response(id: "2", uri: "https://example.org/a", body: WARC.html("Page A", "Hello from A.")),
            WARC.response(id: "3", contentType: "image/png", body: [0x89, 0x50, 0x4E, 0x47]),
            WARC.response(id: "4", status: "404 Not Found", body: WARC.html("Missing", "Not here.")),
            WARC.response(id: "5", uri: "https://example.org/b", contentType: "text/html",
                          headers: "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
                          body: chunked(Compress.gzip(WARC.html("Page B", "Hello from B, chunked and gzipped.")))),
            WARC.record(type: "conversion", uri: "https://example.org/c", id: "6", contentType: "text/plain",
                        content: Array("Plain text of C.\nSecond line é.".utf8)),
            WARC.record(type: "resource", uri: "file:///d.html", id: "7", contentType: "text/html",
                        content: WARC.html("Page D", "A resource record.")),
        ]
    }

    private func chunked(_ body: [UInt8]) -> [UInt8] {
        let half = body.count / 2
        var out: [UInt8] = Array(String(half, radix: 16).utf8)
        out += [13, 10]
        out += body[..<half]
        out += [13, 10]
        out += Array(String(body.count - half, radix: 16).utf8)
        out += [13, 10]
        out += body[half...]
        out += Array("\r\n0\r\n\r\n".utf8)
        return out
    }

    @Test("responses, conversions and resources", arguments: [false, true])
    func documents(gzipPerRecord: Bool) throws {
        let (_, events, filtered) = try read(sample, gzipPerRecord: gzipPerRecord)
        #expect(events.skips.isEmpty)
        let documents = events.documents
        #expect(documents.map(\.string) == ["Hello from A.", "Hello from B, chunked and gzipped.",
                                             "Plain text of C.\nSecond line é.", "A resource record."])
        #expect(documents.map(\.id) == ["urn:uuid:2", "urn:uuid:5", "urn:uuid:6", "urn:uuid:7"])
        #expect(documents.map(\.ordinal) == [2, 5, 6, 7])
        #expect(documents[0].metadata == ["url": "https://example.org/a", "date": "2024-05-20T10:00:00Z",
                                          "record_id": "urn:uuid:2", "title": "Page A", "lang": "en"])
        #expect(filtered == ["warcinfo": 1, "request": 1, "unsupported_content": 1, "http_status": 1])
        #expect(documents[0].line == 24)
    }

    @Test func truncatedRecordKeepsEarlierOnes() throws {
        var bytes = sample.prefix(3).flatMap { $0 }
        bytes += Array(WARC.response(id: "9", body: WARC.html("Cut", String(repeating: "x", count: 500))).prefix(200))
        let (_, plain, _) = try read([bytes])
        #expect(plain.documents.map(\.string) == ["Hello from A."])
        #expect(plain.skips.map(\.kind) == [.skip(.truncated)])
        // A gzip member cut in the middle: the stream's own truncation.
        let members = sample.prefix(3).flatMap { Compress.gzip($0) }
            + Compress.gzip(WARC.response(id: "9", body: WARC.html("Cut", "y"))).prefix(30)
        let folder = try TempFolder()
        let path = try folder.write("cut.warc.gz", Array(members))
        let events = try readAll(WARCReader(path: path, options: .init()))
        #expect(events.documents.count == 1)
        #expect(events.skips.map(\.kind) == [.skip(.truncated)])
    }

    @Test func malformedHeaderResyncs() throws {
        let garbage = Array("this is not a WARC header\r\nnor this\r\n\r\n".utf8)
        let noLength = Array("WARC/1.0\r\nWARC-Type: response\r\n\r\n".utf8)
        let (_, events, _) = try read([garbage, sample[2], noLength, sample[6]])
        #expect(events.documents.map(\.id) == ["urn:uuid:2", "urn:uuid:6"])
        #expect(events.skips.map(\.kind) == [.skip(.malformedRecord), .skip(.malformedRecord)])
        #expect(events.skips.first?.position?.byteOffset == 0)
        #expect(events.skips.last?.message.contains("no Content-Length") == true)
    }

    @Test func limitsAndPolicies() throws {
        let big = WARC.response(id: "b", body: WARC.html("Big", String(repeating: "z", count: 5000)))
        let (_, events, _) = try read([big, sample[2]], options: WARCReaderOptions().with { $0.maxRecordBytes = 1000 })
        #expect(events.skips.map(\.kind) == [.skip(.recordTooLarge)])
        #expect(events.documents.map(\.id) == ["urn:uuid:2"])
        let bad = WARC.record(type: "conversion", id: "u", contentType: "text/plain", content: [0x61, 0xFF, 0x62])
        #expect(try read([bad]).1.skips.map(\.kind) == [.skip(.invalidUTF8)])
        #expect(try read([bad], policy: InputPolicy(invalidUTF8: .replace)).1.documents.first?.string == "a\u{FFFD}b")
        #expect(try read([]).1.skips.map(\.kind) == [.skip(.emptyFile)])
    }

    // MARK: - format: wet

    /// A conversion record as Common Crawl writes them in WET files.
    static func conversion(id: String, uri: String, language: String? = "eng", text: String) -> [UInt8] {
        let content = Array(text.utf8)
        let header = "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: \(uri)\r\n"
            + "WARC-Date: 2024-05-20T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:\(id)>\r\n"
            + "WARC-Refers-To: <urn:uuid:r\(id)>\r\nWARC-Block-Digest: sha1:AAAA\r\n"
            + (language.map { "WARC-Identified-Content-Language: \($0)\r\n" } ?? "")
            + "Content-Type: text/plain\r\nContent-Length: \(content.count)\r\n\r\n"
        return Array(header.utf8) + content + Array("\r\n\r\n".utf8)
    }

    private var wetSample: [[UInt8]] {
        [
            WARC.record(type: "warcinfo", id: "0", contentType: "application/warc-fields",
                        content: Array("software: t\r\nisPartOf: CC-MAIN-2024-22\r\ndescription: d\r\n".utf8)),
            Self.conversion(id: "1", uri: "https://example.org/a", text: "Text of A.\nSecond line."),
            WARC.response(id: "2", uri: "https://example.org/b", body: WARC.html("Page B", "Hello from B.")),
            Self.conversion(id: "3", uri: "https://example.org/c", language: "eng,fra", text: "Text of C, en français."),
            Self.conversion(id: "4", uri: "https://example.org/d", language: nil, text: "Text of D."),
        ]
    }

    private func readWET(_ bytes: [UInt8], name: String = "x.warc.wet.gz",
                         options: WETReaderOptions = .init()) throws -> ([ReaderEvent], [String: Int]) {
        let folder = try TempFolder()
        let path = try folder.write(name, bytes)
        var reader = try WARCReader(path: path, wet: options, bufferSize: 64)
        var events: [ReaderEvent] = []
        while let event = try reader.next() { events.append(event) }
        return (events, reader.filtered)
    }

    @Test func wetReadsConversionRecordsWithURLIds() throws {
        let (events, filtered) = try readWET(wetSample.flatMap { Compress.gzip($0) })
        #expect(events.skips.isEmpty)
        let documents = events.documents
        #expect(documents.map(\.id) == ["https://example.org/a", "https://example.org/c", "https://example.org/d"])
        #expect(documents.map(\.string) == ["Text of A.\nSecond line.", "Text of C, en français.", "Text of D."])
        #expect(documents.map(\.ordinal) == [1, 3, 4])
        #expect(documents[0].metadata == ["url": "https://example.org/a", "date": "2024-05-20T10:00:00Z",
                                          "record_id": "urn:uuid:1", "refers_to": "urn:uuid:r1", "cc_language": "eng"])
        #expect(documents[1].metadata["cc_language"] == "eng,fra")
        #expect(documents[2].metadata["cc_language"] == nil)
        // The warcinfo record and the WARC response are passed over, counted by type.
        #expect(filtered == ["warcinfo": 1, "response": 1])
        // The same records read as format: warc take the response too, and no WET metadata.
        let folder = try TempFolder()
        let path = try folder.write("x.warc", wetSample.flatMap { $0 })
        let warc = try readAll(WARCReader(path: path, options: .init()))
        #expect(warc.documents.map(\.id) == ["urn:uuid:1", "urn:uuid:2", "urn:uuid:3", "urn:uuid:4"])
        #expect(warc.documents[0].metadata["refers_to"] == nil)
    }

    @Test func wetOptionsAndDamage() throws {
        let (byRecord, _) = try readWET(wetSample.flatMap { $0 }, name: "x.warc.wet", options: WETReaderOptions().with { $0.id = .recordID })
        #expect(byRecord.documents.map(\.id) == ["urn:uuid:1", "urn:uuid:3", "urn:uuid:4"])
        let (limited, _) = try readWET(wetSample.flatMap { $0 }, name: "x.warc.wet", options: WETReaderOptions().with { $0.maxRecordBytes = 12 })
        #expect(limited.skips.map(\.kind) == [.skip(.recordTooLarge), .skip(.recordTooLarge)])
        #expect(limited.skips.first?.hint?.contains("wet.max_record_bytes") == true)
        #expect(limited.documents.map(\.id) == ["https://example.org/d"])
        // A gzip member cut short: the records before it are kept, then the usual truncated skip.
        let members = wetSample.prefix(2).flatMap { Compress.gzip($0) } + Compress.gzip(wetSample[3]).prefix(30)
        let (cut, _) = try readWET(Array(members))
        #expect(cut.documents.map(\.id) == ["https://example.org/a"])
        #expect(cut.skips.map(\.kind) == [.skip(.truncated)])
    }
}
