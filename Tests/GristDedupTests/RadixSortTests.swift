import GristCore
@testable import GristDedup
import Testing

@Suite struct RadixSortTests {
    @Test(arguments: [0, 1, 5, 63, 64, 1000, 20_000])
    func sortsLikeTheStandardLibrary(count: Int) {
        var random = SplitMix64(seed: UInt64(count))
        var values = (0..<count).map { _ in UInt32(truncatingIfNeeded: random.next()) }
        if count > 10 { values[3] = values[7] }  // a repeat
        var scratch: [UInt32] = []
        let expected = values.sorted()
        RadixSort.sort(&values, scratch: &scratch)
        #expect(values == expected)
    }
}
