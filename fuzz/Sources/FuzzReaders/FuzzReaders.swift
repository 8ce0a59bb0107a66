import Foundation
import GristCollect
import GristCore

/// libFuzzer entry point: the first byte picks a reader (and compression), the rest is the file.
///
/// Every reader is driven to its end; any crash, sanitizer report, hang (libFuzzer's -timeout) or
/// runaway allocation (-rss_limit_mb) is a finding. Readers take paths, so the input is written to
/// a per-process file in /tmp first.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 1 else { return 0 }
    let selector = Int(data[0])
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let formats: [(SourceFormat, String)] = [
        (.jsonl, "x.jsonl"), (.text, "x.txt"), (.text, "x.txt"), (.html, "x.html"), (.warc, "x.warc"),
        (.mediawiki, "x.xml"), (.jsonl, "x.jsonl.gz"), (.warc, "x.warc.gz"), (.mediawiki, "x.xml.bz2"),
        (.html, "x.html.zst"), (.wet, "x.warc.wet.gz"), (.parquet, "x.parquet"),
    ]
    let (format, name) = formats[selector % formats.count]
    let path = NSTemporaryDirectory() + "grist-fuzz-\(getpid())-" + name
    FileManager.default.createFile(atPath: path, contents: Data(body))
    defer { try? FileManager.default.removeItem(atPath: path) }
    var source = SourceConfig(name: "fuzz", paths: [path], format: format)
    source.jsonl.metadataFields = ["url", "meta.lang"]
    source.text.split = selector % formats.count == 2 ? .separator : .paragraphs
    source.text.separator = "\n--\n"
    source.invalidUTF8 = selector & 0x80 != 0 ? .replace : .reject
    source.html.maxDocumentBytes = 1 << 20
    source.warc.maxRecordBytes = 1 << 20
    source.mediawiki.maxDocumentBytes = 1 << 20
    source.parquet.metadataColumns = ["url", "date", "token_count"]
    source.parquet.maxDocumentBytes = 1 << 20
    do {
        var reader = try Readers.open(path: path, source: source)
        var events = 0
        while let event = try reader.next() {
            events += 1
            if case .document(let document) = event {
                var out: [UInt8] = []
                DocumentJSON.append(document, to: &out)
                precondition(String(validating: document.text, as: UTF8.self) != nil, "a document with invalid UTF-8")
            }
            precondition(events < 1_000_000, "a reader that does not end")
        }
    } catch {
        // File-level errors are fine; only crashes and sanitizer reports are findings.
    }
    return 0
}

/// libFuzzer's driver, for a custom `main`: SwiftPM links executables with `main` renamed to
/// `FuzzReaders_main`, so the harness provides that and hands over to libFuzzer.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

@_cdecl("FuzzReaders_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzReaders(data, size) }
}
