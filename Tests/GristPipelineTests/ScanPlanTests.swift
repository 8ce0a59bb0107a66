@testable import GristPipeline
import Testing

/// How input files are cut into units: plain JSON Lines by bytes, compressed by decompressed bytes.
@Suite struct ScanPlanTests {
    @Test func plainFilesAreCutIntoPartSizedRanges() {
        let ranges = ScanPlan.ranges(InputFile(path: "a.jsonl", byteSize: 10_000), partBytes: 4096)
        #expect(ranges == [0..<4096, 4096..<8192, 8192..<10_000])
    }

    @Test func compressedFilesAreCutIntoAFewRangesOfTheirDecompressedBytes() {
        for path in ["a.jsonl.gz", "a.jsonl.zst"] {
            let big = ScanPlan.ranges(InputFile(path: path, byteSize: 1_000_000), partBytes: 4096)
            #expect(big.count == ScanPlan.compressedUnits)
            #expect(big.first?.lowerBound == 0 && big.last?.upperBound == Int.max, "the last range takes the rest")
            #expect(zip(big, big.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(big[0].count == 1_000_000, "four times the compressed size, in four")
            let small = ScanPlan.ranges(InputFile(path: path, byteSize: 2000), partBytes: 4096)
            #expect(small == [0..<4000, 4000..<Int.max])
        }
    }
}
