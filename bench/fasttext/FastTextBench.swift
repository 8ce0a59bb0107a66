// `bench/fasttext/compare.sh`: GristFilter/FastText compiled on its own (swiftc -O, with GristErrorShim.swift
// in place of GristCore), predicting every line of a file as fastText's `predict-prob FILE K` does.
// usage: ftbench MODEL FILE K [OUT]; CPU seconds of the prediction loop on stderr.
import Foundation
import Glibc

func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
// usage: bench MODEL FILE K  (one text per line; prints label/prob like fastText's predict-prob to stdout)
let args = CommandLine.arguments
let t0 = cpuSeconds()
let model = try FastTextModel(path: args[1])
let data = [UInt8](FileManager.default.contents(atPath: args[2])!)
let k = Int(args[3])!
let t1 = cpuSeconds()
let scratch = FastTextModel.Scratch()
var lines = 0
var checksum: Float = 0
var out: [UInt8] = []
data.withUnsafeBytes { raw in
    var start = 0
    let n = raw.count
    while start < n {
        var end = start
        while end < n && raw[end] != 0x0A { end += 1 }
        model.predict(UnsafeRawBufferPointer(rebasing: raw[start..<end]), k: k, threshold: 0, reading: .firstLine, scratch: scratch)
        for r in scratch.results { checksum += r.probability }
        if args.count > 4 {
            for (i, r) in scratch.results.enumerated() {
                if i > 0 { out.append(0x20) }
                out += Array(model.labels[r.label].utf8); out.append(0x20); out += Array(String(r.probability).utf8)
            }
            out.append(0x0A)
        }
        lines += 1
        start = end + 1
    }
}
let t2 = cpuSeconds()
if args.count > 4 { _ = FileManager.default.createFile(atPath: args[4], contents: Data(out)) }
FileHandle.standardError.write("lines \(lines) load \(t1 - t0) s predict \(t2 - t1) CPU-s, \(Double(data.count) / (t2 - t1) / 1e6) MB/CPU-s, \(Double(lines) / (t2 - t1)) docs/CPU-s checksum \(checksum)\n".data(using: .utf8)!)
