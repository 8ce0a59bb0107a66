import GristCore
@testable import GristDedup
import Testing

@Suite struct ExternalSorterTests {
    private func records(_ count: Int, seed: UInt64) -> [BandRecord] {
        var random = SplitMix64(seed: seed)
        // Few distinct keys, so equal keys meet across runs.
        return (0..<count).map { i in BandRecord(key: random.next() % 97, document: UInt32(i)) }
    }

    @Test(arguments: [(100, 64), (5_000, 64), (20_000, 3)])
    func sortsLikeInMemoryWithAnyNumberOfRuns(count: Int, fanIn: Int) throws {
        let folder = try temporaryFolder("sorter")
        defer { try? FileSystem.remove(folder) }
        let input = records(count, seed: UInt64(count))
        let sorter = ExternalSorter<BandRecord>(directory: folder, name: "t", bufferBytes: 0, fanIn: fanIn,
                                                minimumRecords: 500)
        for record in input { try sorter.append(record) }
        let sorted = try sorter.finish()
        var output: [BandRecord] = []
        while let record = try sorted.next() { output.append(record) }
        #expect(output == input.sorted())
        // Runs are removed once merged (the last ones when the stream goes away).
        _ = consume sorted
        #expect(FileSystem.contents(of: folder).isEmpty)
    }

    @Test func cutWorkFileIsAnErrorNamingIt() throws {
        let folder = try temporaryFolder("sorter-cut")
        defer { try? FileSystem.remove(folder) }
        let path = folder + "/x.pairs"
        let writer = try RecordWriter<PairRecord>(path: path)
        try writer.append(PairRecord(first: 1, second: 2))
        try writer.close()
        let file = try BufferedFileWriter(path: path)
        try file.write([1, 0, 0, 0, 2, 0, 0, 0, 9])
        try file.close()
        #expect(throws: GristError.self) { _ = try RecordReader<PairRecord>(path: path) }
        do {
            _ = try RecordReader<PairRecord>(path: path)
        } catch {
            #expect("\(error)".contains(path))
        }
    }
}
