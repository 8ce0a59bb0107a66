import GristCore
import GristDedup
import Testing

@Suite struct ExactDeduplicatorTests {
    @Test func keepsFirstAndPointsDuplicatesAtIt() {
        var dedup = ExactDeduplicator()
        let a = Fingerprint(of: Array("same text".utf8)), b = Fingerprint(of: Array("other".utf8))
        #expect(dedup.check(a, id: 1) == nil)
        #expect(dedup.check(b, id: 2) == nil)
        #expect(dedup.check(a, id: 3) == 1)
        #expect(dedup.check(a, id: 4) == 1)
        #expect(dedup.distinctCount == 2)
    }
}
