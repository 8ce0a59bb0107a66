import Foundation

/// How `DocExamplesTests` compares what an example printed with what its doc shows: line by line,
/// after masking what differs from run to run, with `...` lines standing for lines left out.
enum DocOutput {
    /// What differs between runs of the same example, replaced in both texts before they are compared:
    /// clock times, durations, and worker counts (a build's default is the machine's number of cores).
    /// Nothing else is masked: counts, sizes, checksums and grist's own version must match.
    static var masks: [(Regex<Substring>, String)] {
        [
            (#/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/#, "YYYY-MM-DDThh:mm:ssZ"),
            (#/\bin \d+(?:\.\d+)? s\b/#, "in N s"),
            (#/\b\d+ workers?\b/#, "N workers"),
        ]
    }

    /// `text` as lines: trailing spaces of each line and trailing blank lines dropped.
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    static func masked(_ line: String) -> String {
        var line = line
        for (pattern, replacement) in masks { line = line.replacing(pattern, with: replacement) }
        return line
    }

    /// A line of the doc that stands for any number of lines (none included): it starts with `...`
    /// after its indentation (and may go on with a comment).
    static func isElision(_ line: String) -> Bool {
        line.drop { $0 == " " }.hasPrefix("...")
    }

    /// The doc's lines cut at its `...` lines: the first piece must start the output, the last end it
    /// (unless the doc ends with `...`), the others come in order in between.
    static func pieces(_ expected: [String]) -> [[String]] {
        var pieces: [[String]] = [[]]
        for line in expected {
            if isElision(line) { pieces.append([]) } else { pieces[pieces.count - 1].append(line) }
        }
        return pieces
    }

    static func same(_ expected: String, _ actual: String) -> Bool { masked(expected) == masked(actual) }

    static func matches(expected: [String], actual: [String]) -> Bool {
        let pieces = pieces(expected)
        if pieces.count == 1 {
            return expected.count == actual.count && zip(expected, actual).allSatisfy(same)
        }
        guard let first = pieces.first, let last = pieces.last,
              first.count + last.count <= actual.count,
              zip(first, actual).allSatisfy(same),
              zip(last, actual.suffix(last.count)).allSatisfy(same) else { return false }
        var position = first.count
        let end = actual.count - last.count
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = (position...max(position, end - piece.count)).first(where: { start in
                start + piece.count <= end && zip(piece, actual[start...]).allSatisfy(same)
            }) else { return false }
            position = found + piece.count
        }
        return true
    }

    /// The doc's lines refreshed from `actual`, keeping its `...` lines: each piece is replaced by as
    /// many lines of the output, found by the piece's first line; nil when a piece cannot be found.
    /// A line of the doc that is the same as the output's after masking stays as the doc has it.
    static func refreshed(expected: [String], actual: [String]) -> [String]? {
        let pieces = pieces(expected)
        if pieces.count == 1 { return kept(expected, actual[...]) }
        let elisions = expected.filter(isElision)
        var result = kept(pieces[0], actual.prefix(pieces[0].count))
        var position = min(actual.count, pieces[0].count)
        for (number, piece) in pieces.enumerated().dropFirst() {
            result.append(elisions[number - 1])
            guard !piece.isEmpty else { continue }
            if number == pieces.count - 1 {
                let start = max(position, actual.count - piece.count)
                result += kept(piece, actual[start...])
                position = actual.count
            } else {
                guard let found = place(piece, in: actual, from: position) else { return nil }
                let taken = actual[found..<min(actual.count, found + piece.count)]
                result += kept(piece, taken)
                position = found + taken.count
            }
        }
        return result
    }

    /// `actual`, with the lines that are the same as the doc's line in their place (masked) taken from the doc.
    static func kept(_ doc: [String], _ actual: ArraySlice<String>) -> [String] {
        actual.enumerated().map { offset, line in
            offset < doc.count && same(doc[offset], line) ? doc[offset] : line
        }
    }

    /// Where `piece` starts in `actual` from `position`: where all of it matches, else where its first
    /// non-blank line does (so a piece whose numbers changed is still found by its heading).
    static func place(_ piece: [String], in actual: [String], from position: Int) -> Int? {
        if let whole = (position..<max(position, actual.count)).first(where: { start in
            start + piece.count <= actual.count && zip(piece, actual[start...]).allSatisfy(same)
        }) { return whole }
        guard let anchor = piece.firstIndex(where: { !$0.isEmpty }) else { return nil }
        guard let found = (position + anchor..<max(position + anchor, actual.count)).first(where: { same(piece[anchor], actual[$0]) })
        else { return nil }
        return found - anchor
    }
}
