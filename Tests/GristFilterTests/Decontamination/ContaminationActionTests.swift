import Testing
@testable import GristFilter

@Suite struct ContaminationActionTests {
    func match(_ bytes: Range<Int>) -> ContaminationMatch {
        ContaminationMatch(bytes: bytes, scalars: 0..<0, words: 0..<1, items: [EvalItemRef(0)], ngrams: 1)
    }

    @Test func windowCountsScalarsAndIsClampedAndPiecesAreExact() {
        // "é" is 2 bytes, "€" 3 bytes: a window of 3 scalars around "XX" takes "é€a" and "b€é".
        let text = Array("0123é€aXXb€é456".utf8)
        let start = text.firstIndex(of: UInt8(ascii: "X"))!
        let m = match(start..<(start + 2))
        let outcome = ContaminationAction.removeSpans(.init(window: 3, maxSplits: 10, minFraction: 0))
            .apply(text: text, matches: [m])
        guard case .split(let pieces, let removed) = outcome else { Issue.record("\(outcome)"); return }
        #expect(removed.map { String(decoding: text[$0], as: UTF8.self) } == ["é€aXXb€é"])
        #expect(pieces.map { String(decoding: text[$0], as: UTF8.self) } == ["0123", "456"])
        // Clamped at both ends: nothing left, so the document goes (a split into no pieces would lose it
        // without a reason).
        let all = ContaminationAction.removeSpans(.init(window: 200, minFraction: 0)).apply(text: text, matches: [m])
        #expect(all == .dropped(reason: "too_contaminated"))
        #expect(ContaminationAction.removedRegions(text: text.withUnsafeBufferPointer { $0 }, matches: [m], window: 200)
            == [0..<text.count])
    }

    @Test func overlappingWindowsMergeAndWhitespacePiecesGo() {
        let text = Array("aaaa XX bb YY cccc".utf8)
        let x = 5..<7, y = 11..<13
        let outcome = ContaminationAction.removeSpans(.init(window: 2, minFraction: 0)).apply(text: text, matches: [match(x), match(y)])
        #expect(outcome == .split(pieces: [0..<3, 15..<18], removed: [3..<15]))
        let far = ContaminationAction.removeSpans(.init(window: 1, minFraction: 0)).apply(text: text, matches: [match(x), match(y)])
        #expect(far == .split(pieces: [0..<4, 8..<10, 14..<18], removed: [4..<8, 10..<14]))
        let spaced = Array("XX   YY".utf8)
        #expect(ContaminationAction.removeSpans(.init(window: 0, minFraction: 0))
            .apply(text: spaced, matches: [match(0..<2), match(5..<7)]) == .dropped(reason: "too_contaminated"))
    }

    @Test func piecesShorterThanTheMinimumAreDiscarded() {
        // GPT-3 discarded pieces under 200 characters; characters, not bytes: "éé " is 3 (5 bytes).
        let text = Array("éé XX bbbbbbbb YY c".utf8)
        let x = 5..<7, y = 17..<19
        let options = SpanRemovalOptions(window: 0, minFraction: 0, minPieceScalars: 4)
        #expect(ContaminationAction.removeSpans(options).apply(text: text, matches: [match(x), match(y)])
            == .split(pieces: [7..<17], removed: [x, y]))
    }

    @Test func maxSplitsAndMinFraction() {
        let text = Array(String(repeating: "word ", count: 100).utf8)
        let matches = (0..<11).map { match(($0 * 40)..<($0 * 40 + 4)) }
        let options = SpanRemovalOptions(window: 0, maxSplits: 10, minFraction: 0)
        #expect(ContaminationAction.removeSpans(options).apply(text: text, matches: matches) == .dropped(reason: "too_contaminated"))
        if case .split = ContaminationAction.removeSpans(options).apply(text: text, matches: Array(matches.prefix(10))) {} else {
            Issue.record("10 matches should split")
        }
        // 500 scalars; one match with a window of 150 removes 304: 196 kept < 0.5 × 500.
        let one = [match(200..<204)]
        #expect(ContaminationAction.removeSpans(.init(window: 150, minFraction: 0.5)).apply(text: text, matches: one)
                == .dropped(reason: "too_contaminated"))
        #expect(ContaminationAction.removeSpans(.init(window: 150, minFraction: 0.39)).apply(text: text, matches: one)
                != .dropped(reason: "too_contaminated"))
    }

    @Test func dropReportClean() {
        let text = Array("abc".utf8)
        #expect(ContaminationAction.drop.apply(text: text, matches: [match(0..<3)]) == .dropped(reason: "contaminated"))
        #expect(ContaminationAction.report.apply(text: text, matches: [match(0..<3)]) == .reported)
        #expect(ContaminationAction.drop.apply(text: text, matches: []) == .clean)
    }
}
