// The Swift side of `make bench-tokenizer` (bench/tokenizer/bench.py drives it and the reference tools).
//
//   grist-bench-tokenizer encode FILE [--vocab V] [--pattern P] [--threads N] [--repeat R] [--no-cache]
//
// FILE holds documents separated by the byte 0x1E (scripts/tokenizer/realtext.py). Each document is
// encoded with `encodeOrdinary`; with N threads, workers take documents from a shared counter, each with
// its own encoder. Prints one JSON object: bytes, documents, tokens, wall and process CPU seconds.
import Dispatch
import Foundation
import GristCore
import GristTokenize

#if canImport(Glibc)
import Glibc
#endif

func cpuSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Peak resident memory of this process, in kilobytes.
func maxResidentKilobytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
}

func wallSeconds() -> Double { Double(monotonicNanoseconds()) / 1e9 }

func option(_ name: String, _ arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

/// Shared, lock-free work counter and token tally for the worker threads.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var tokens = 0
    func take() -> Int { lock.lock(); defer { lock.unlock() }; next += 1; return next - 1 }
    func add(_ count: Int) { lock.lock(); tokens += count; lock.unlock() }
}

struct SendableFile: @unchecked Sendable { let file: MappedFile }

func encode(_ arguments: [String]) throws {
    guard arguments.count >= 1 else { throw GristError(.usage, "encode FILE [--vocab V] [--threads N] [--repeat R]") }
    let path = arguments[0]
    let pattern = option("--pattern", arguments).flatMap(PreTokenizerPattern.init(rawValue:))
    let vocabulary = try BPEVocabulary.load(option("--vocab", arguments) ?? "gpt2", pattern: pattern)
    let threads = Int(option("--threads", arguments) ?? "1") ?? 1
    let repeats = Int(option("--repeat", arguments) ?? "1") ?? 1
    let useCache = !arguments.contains("--no-cache")
    let file = SendableFile(file: try MappedFile(path: path))
    // Document ranges (split at 0x1E).
    var ranges: [Range<Int>] = []
    let bytes = file.file.bytes
    var start = 0
    for (index, byte) in bytes.enumerated() where byte == 0x1E {
        ranges.append(start..<index)
        start = index + 1
    }
    ranges.append(start..<bytes.count)
    let documents = ranges
    // Touch every page first so the timing does not include page faults of the first read.
    var checksum = 0
    for byte in bytes where byte == 0 { checksum += 1 }

    // Warm-up: character tables and the vocabulary's first touches.
    var warm = BPEEncoder(vocabulary: vocabulary)
    _ = warm.encodeOrdinary(Array("Hello, world! 日本語 123".utf8))

    let cpu0 = cpuSeconds(), wall0 = wallSeconds()
    let tally = Tally()
    for _ in 0..<repeats {
        let round = Tally()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var encoder = BPEEncoder(vocabulary: vocabulary, cache: useCache)
            var tokens: [UInt32] = []
            var count = 0
            while true {
                let item = round.take()
                guard item < documents.count else { break }
                tokens.removeAll(keepingCapacity: true)
                encoder.encodeOrdinary(UnsafeRawBufferPointer(rebasing: file.file.bytes[documents[item]]), into: &tokens)
                count += tokens.count
            }
            round.add(count)
        }
        tally.add(round.tokens)
    }
    let cpu = cpuSeconds() - cpu0, wall = wallSeconds() - wall0
    let total = bytes.count * repeats
    print("""
        {"bytes": \(total), "documents": \(documents.count * repeats), "tokens": \(tally.tokens), \
        "threads": \(threads), "cache": \(useCache), "wall_seconds": \(wall), "cpu_seconds": \(cpu), \
        "max_rss_kb": \(maxResidentKilobytes()), "nul_bytes": \(checksum)}
        """)
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "encode": try encode(Array(arguments.dropFirst()))
    default:
        Console.error("usage: grist-bench-tokenizer encode FILE [--vocab V] [--threads N] [--repeat R]")
        exit(2)
    }
} catch {
    Console.error("\(error)")
    exit(1)
}
