// Our side of bench/decontamination/bench.py: reads the documents and eval items it wrote
// (each a u32 little-endian length, then UTF-8 bytes), indexes the items, matches every document,
// applies remove_spans, and prints CPU seconds as JSON; the flagged document numbers go to OUT.
import Foundation
import GristFilter

func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func records(_ path: String) throws -> [[UInt8]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    var out: [[UInt8]] = []
    data.withUnsafeBytes { raw in
        var i = 0
        while i + 4 <= raw.count {
            let n = Int(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian)
            out.append(Array(raw[(i + 4)..<(i + 4 + n)]))
            i += 4 + n
        }
    }
    return out
}

let args = CommandLine.arguments
guard args.count == 5 else {
    FileHandle.standardError.write("usage: grist-bench-decontam DOCS ITEMS OUT gpt3|datatrove\n".data(using: .utf8)!)
    exit(2)
}
let docs = try records(args[1])
let itemTexts = try records(args[2])
let normalization = args[4] == "datatrove"
    ? DecontaminationNormalization(punctuation: .split, foldDiacritics: true, normalizeNumbers: true)
    : DecontaminationNormalization()

let t0 = cpuSeconds()
var index = EvalSetIndex(options: .init(ngram: 13, minNgram: 13, normalization: normalization), capacity: itemTexts.count * 32)
for (i, text) in itemTexts.enumerated() { index.add(set: "bench", id: String(i), text: text) }
let t1 = cpuSeconds()
var matcher = ContaminationMatcher(index: index)
let action = ContaminationAction.removeSpans(SpanRemovalOptions())
var flagged: [Int] = []
var spans = 0, split = 0, dropped = 0, bytes = 0
for (d, text) in docs.enumerated() {
    bytes += text.count
    let matches = matcher.matches(in: text)
    if matches.isEmpty { continue }
    flagged.append(d)
    spans += matches.count
    switch action.apply(text: text, matches: matches) {
    case .split: split += 1
    case .dropped: dropped += 1
    default: break
    }
}
let t2 = cpuSeconds()
try flagged.map(String.init).joined(separator: "\n").appending("\n").write(toFile: args[3], atomically: true, encoding: .utf8)
let scan = t2 - t1
print("""
{"mode": "\(args[4])", "documents": \(docs.count), "bytes": \(bytes), "items": \(itemTexts.count), \
"ngrams": \(index.count), "table_bytes": \(index.tableBytes), "index_cpu_s": \(t1 - t0), "scan_cpu_s": \(scan), \
"us_per_doc": \(scan / Double(docs.count) * 1e6), "mb_per_cpu_s": \(Double(bytes) / scan / 1e6), \
"flagged": \(flagged.count), "spans": \(spans), "split": \(split), "too_contaminated": \(dropped)}
""")
