import Testing
@testable import GristFilter

@Suite struct DecontaminationNormalizerTests {
    let normalizer = DecontaminationNormalizer()

    @Test func lowercasesDeletesPunctuationSplitsOnWhitespace() {
        #expect(normalizer.normalizedWords("Hello, World!  Don't\tstop—now. -- \n(e-mail) x_y") ==
                ["hello", "world", "dont", "stopnow", "email", "xy"])
    }

    @Test func datatrovePunctuationSplits() {
        let split = DecontaminationNormalizer(.init(punctuation: .split))
        #expect(split.normalizedWords("Hello, World!  Don't\tstop—now. -- \n(e-mail) x_y") ==
                ["hello", "world", "don", "t", "stop", "now", "e", "mail", "x", "y"])
        let bytes = Array("«Ça va?» dit-il".utf8)
        let words = split.words(in: bytes)
        #expect((0..<words.count).map { String(decoding: bytes[words.starts[$0]..<words.ends[$0]], as: UTF8.self) }
                == ["Ça", "va", "dit", "il"])
    }

    @Test func unicodeCaseAndDiacritics() {
        #expect(normalizer.normalizedWords("Café NAÏVE Ÿes") == ["cafe", "naive", "yes"])
        #expect(normalizer.normalizedWords("ΛΌΓΟΣ λόγος") == ["λογοσ", "λογοσ"])
        #expect(normalizer.normalizedWords("ПРИВЕТ, Мир! Ёлка") == ["привет", "мир", "елка"])
        // A combining accent is dropped; a soft hyphen does not split a word; « » “ ” ¿ are separators.
        #expect(normalizer.normalizedWords("cafe\u{301} hy\u{AD}phen «quoted» “so” ¿que?") ==
                ["cafe", "hyphen", "quoted", "so", "que"])
        let plain = DecontaminationNormalizer(.init(foldDiacritics: false))
        #expect(plain.normalizedWords("Café") == ["café"])
    }

    @Test func numbersOption() {
        #expect(normalizer.normalizedWords("pi is 3.14 in 2024") == ["pi", "is", "314", "in", "2024"])
        let numbers = DecontaminationNormalizer(.init(normalizeNumbers: true))
        #expect(numbers.normalizedWords("pi is 3.14 in 2024, a1b22 12,5.") == ["pi", "is", "0", "in", "0", "a0b0", "0"])
    }

    @Test func wordRangesAreByteRangesOfTheOriginal() {
        let text = "  «Ça va?» dit-il — cafe\u{301}!"
        let bytes = Array(text.utf8)
        let words = normalizer.words(in: bytes)
        let spelled = (0..<words.count).map { String(decoding: bytes[words.starts[$0]..<words.ends[$0]], as: UTF8.self) }
        #expect(spelled == ["Ça", "va", "dit-il", "cafe\u{301}"])
        #expect(words.hashes[0] == normalizer.words(in: Array("ca".utf8)).hashes[0])
    }

    @Test func sameWordsSameHashesWhateverTheSpelling() {
        let a = normalizer.words(in: Array("The QUICK brown fox's jump".utf8)).hashes
        let b = normalizer.words(in: Array("the quick\nbrown -- foxs... Jump".utf8)).hashes
        #expect(a == b)
    }
}
