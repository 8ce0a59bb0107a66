import GristCore
import Testing

@Suite struct HashingTests {
    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func streamingSHA256EqualsOneShot() {
        let data = Array((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let hasher = SHA256()
        hasher.update(Array(data[..<1234]))
        hasher.update(Array(data[1234...]))
        #expect(hexString(hasher.finalize()) == SHA256.hex(of: data))
    }

    @Test func fingerprintIsTheFirstHalfOfSHA256() {
        let fingerprint = Fingerprint(of: Array("abc".utf8))
        #expect(fingerprint.description == "ba7816bf8f01cfea414140de5dae2223")
    }

    @Test func splitMixIsDeterministicAndUniform() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        let draws = (0..<10_000).map { SplitMix64.unitInterval(seed: 7, UInt64($0)) }
        #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = draws.reduce(0, +) / Double(draws.count)
        #expect(abs(mean - 0.5) < 0.02)
        #expect(SplitMix64.unitInterval(seed: 7, 1) != SplitMix64.unitInterval(seed: 8, 1))
    }
}
