import Foundation
import Testing
@testable import GristFilter

/// Eval items cut from real shipped text and planted in other real shipped text.
@Suite struct ContaminationMatcherTests {
    /// A deterministic generator (SplitMix64) so the plantings are the same on every run.
    struct Rng {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    static func text(_ prefix: String) throws -> [(String, [UInt8])] {
        try FilterFixtureDocuments.shipped().filter { $0.0.hasPrefix(prefix) }
    }

    /// The whitespace words of every play (split once).
    static let plays: [[Substring]] = {
        ((try? text("shakespeare/")) ?? []).map { String(decoding: $0.1, as: UTF8.self).split(whereSeparator: \.isWhitespace) }
    }()

    /// Eval-like items: runs of `words` whitespace words from Shakespeare, at random places.
    static func shakespeareItems(count: Int, words: Int) throws -> [String] {
        var items: [String] = []
        var rng = Rng(state: 17)
        let plays = Self.plays
        while items.count < count {
            let all = plays[rng.next(plays.count)]
            let start = rng.next(max(1, all.count - words))
            let item = all[start..<min(all.count, start + words)].joined(separator: " ")
            if DecontaminationNormalizer().normalizedWords(item).count >= 13 { items.append(item) }
        }
        return items
    }

    /// Case and punctuation changed, split across lines.
    static func variants(_ item: String, _ rng: inout Rng) -> [String] {
        let words = item.split(separator: " ").map(String.init)
        let upper = item.uppercased()
        var punctuated = ""
        for (i, w) in words.enumerated() {
            let bare = w.filter { $0.isLetter || $0.isNumber }
            punctuated += (i == 0 ? "" : [" ", ", ", "; ", " -- ", "... "][rng.next(5)]) + (rng.next(2) == 0 ? bare : "\"\(bare)\"")
        }
        var lines = ""
        for (i, w) in words.enumerated() { lines += (i == 0 ? "" : (i % 4 == 0 ? "\n" : (i % 7 == 0 ? "\r\n\n  " : " "))) + w }
        return [item, upper, punctuated, lines]
    }

    @Test func plantedItemsAreFoundWithExactSpans() throws {
        let items = try Self.shakespeareItems(count: 60, words: 30)
        var index = EvalSetIndex()
        for (i, item) in items.enumerated() { index.add(set: "bard", id: "item-\(i)", text: item) }
        var matcher = ContaminationMatcher(index: index)
        let normalizer = DecontaminationNormalizer()
        let hosts = try Self.text("python-docs/").filter { $0.1.count > 2000 }
        var rng = Rng(state: 5)
        var planted = 0
        for (i, item) in items.enumerated() {
            for variant in Self.variants(item, &rng) {
                var host = hosts[rng.next(hosts.count)].1
                // Plant at a line start so no host word is glued to the item.
                var at = rng.next(host.count)
                while at > 0, host[at - 1] != UInt8(ascii: "\n") { at -= 1 }
                let insert = Array(variant.utf8) + [UInt8(ascii: "\n")]
                host.insert(contentsOf: insert, at: at)
                let words = normalizer.words(in: insert)
                let expected = (at + words.starts[0])..<(at + words.ends[words.count - 1])
                let found = matcher.matches(in: host)
                let hit = found.first { $0.bytes == expected }
                #expect(hit != nil, "item \(i) variant \(variant.debugDescription) not found exactly: \(found.map(\.bytes)) vs \(expected)")
                #expect(hit?.items.contains(EvalItemRef(i)) == true)
                if let hit {
                    let scalars = String(decoding: host[..<expected.lowerBound], as: UTF8.self).unicodeScalars.count
                    #expect(hit.scalars.lowerBound == scalars)
                    #expect(hit.scalars.count == String(decoding: host[expected], as: UTF8.self).unicodeScalars.count)
                }
                planted += 1
            }
        }
        #expect(planted == 240)
    }

    @Test func shortItemsMatchWholeAndTooShortOnesAreNotIndexed() {
        var index = EvalSetIndex(options: .init(ngram: 13, minNgram: 8))
        let nine = index.add(set: "s", id: "nine", text: "What is the capital city of the French Republic")
        let five = index.add(set: "s", id: "five", text: "two plus two equals four")
        #expect(index.tooShortItems == [five])
        #expect(index.lengths == [9])
        var matcher = ContaminationMatcher(index: index)
        let text = Array("Quiz: WHAT is the capital city, of the French republic? Paris. Two plus two equals four.".utf8)
        let found = matcher.matches(in: text)
        #expect(found.count == 1)
        #expect(found.first?.items == [nine])
        #expect(found.first.map { String(decoding: text[$0.bytes], as: UTF8.self) } == "WHAT is the capital city, of the French republic")
        // Eight words of the nine are not a match.
        #expect(matcher.matches(in: Array("what is the capital city of the French".utf8)).isEmpty)
    }

    @Test func overlappingNgramsMergeIntoOneSpanWithAllItems() {
        var index = EvalSetIndex(options: .init(ngram: 3, minNgram: 3))
        let a = index.add(set: "s", id: "a", text: "one two three four")
        let b = index.add(set: "t", id: "b", text: "three four five six")
        var matcher = ContaminationMatcher(index: index)
        let text = Array("zero one two three four five six seven one two three".utf8)
        let found = matcher.matches(in: text)
        #expect(found.map { String(decoding: text[$0.bytes], as: UTF8.self) } == ["one two three four five six", "one two three"])
        #expect(found.map(\.items) == [[a, b], [a]])
        #expect(found.map(\.ngrams) == [4, 1])
    }

    /// Items from Shakespeare match the Python documentation and the multilingual corpus only where
    /// the documentation quotes Hamlet (a true match), and items from the Python documentation never
    /// match Shakespeare: no false match at 13-grams.
    @Test func noFalseMatchesAcrossUnrelatedRealText() throws {
        var bard = EvalSetIndex()
        for (i, item) in try Self.shakespeareItems(count: 1500, words: 40).enumerated() { bard.add(set: "bard", id: "\(i)", text: item) }
        var docs = EvalSetIndex()
        var rng = Rng(state: 9)
        for (id, text) in try Self.text("python-docs/") {
            let words = String(decoding: text, as: UTF8.self).split(whereSeparator: \.isWhitespace)
            for _ in 0..<6 where words.count > 60 {
                let start = rng.next(words.count - 40)
                docs.add(set: "docs", id: id, text: words[start..<(start + 40)].joined(separator: " "))
            }
        }
        #expect(bard.count > 40_000 && docs.count > 40_000)
        var bardMatcher = ContaminationMatcher(index: bard)
        var falseMatches: [String] = []
        for (id, text) in try Self.text("python-docs/") + Self.text("multilingual/") {
            for m in bardMatcher.matches(in: text) { falseMatches.append("\(id): \(String(decoding: text[m.bytes], as: UTF8.self))") }
        }
        var docsMatcher = ContaminationMatcher(index: docs)
        for (id, text) in try Self.text("shakespeare/") {
            for m in docsMatcher.matches(in: text) { falseMatches.append("\(id): \(String(decoding: text[m.bytes], as: UTF8.self))") }
        }
        #expect(falseMatches == ["python-docs/whatsnew/2.3.html: if it be not to come, it\nwill be now; if it be not now, yet\nit will come: the readiness is all"])
    }

    /// An index past its memory budget moves its slots to a file: the same matches, and the file is gone
    /// from the folder once mapped.
    @Test func anIndexPastItsBudgetMatchesTheSameFromAFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grist-spill-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let items = try Self.shakespeareItems(count: 300, words: 40)
        var memory = EvalSetIndex()
        var spilled = EvalSetIndex(memoryBudget: 64 << 10, spillDirectory: folder)
        for (i, item) in items.enumerated() {
            memory.add(set: "bard", id: "\(i)", text: item)
            spilled.add(set: "bard", id: "\(i)", text: item)
        }
        #expect(!memory.isSpilled && spilled.isSpilled && spilled.spillError == nil)
        #expect(spilled.count == memory.count && spilled.count > 8_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        var a = ContaminationMatcher(index: memory), b = ContaminationMatcher(index: spilled)
        var found = 0
        for (_, text) in try Self.text("shakespeare/").prefix(12) {
            let expected = a.matches(in: text)
            #expect(b.matches(in: text) == expected)
            found += expected.count
        }
        #expect(found > 50)
        // A folder that cannot be made: the index stays in memory and says why.
        var refused = EvalSetIndex(capacity: 16, memoryBudget: 1 << 10, spillDirectory: "/proc/no-such/folder")
        for (i, item) in items.prefix(20).enumerated() { refused.add(set: "bard", id: "\(i)", text: item) }
        #expect(!refused.isSpilled && refused.spillError != nil)
    }
}
