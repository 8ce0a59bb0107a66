import GristCore
@testable import GristDedup
import Testing

@Suite struct ParagraphDedupTests {
    private func units(_ text: String, _ split: ParagraphSplit) -> [(String, String)] {
        var result: [(String, String)] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            split.forEachUnit(raw) { content, span in
                result.append((String(decoding: bytes[content], as: UTF8.self), String(decoding: bytes[span], as: UTF8.self)))
            }
        }
        return result
    }

    @Test func paragraphsAreRunsOfNonBlankLines() {
        let text = "\n  First line\nsecond line  \n\n \t\nSecond para\n\n\nThird\n"
        let found = units(text, .paragraph)
        #expect(found.map(\.0) == ["First line\nsecond line", "Second para", "Third"])
        #expect(found.map(\.1) == ["  First line\nsecond line  \n\n \t\n", "Second para\n\n\n", "Third\n"])
        #expect(units("", .paragraph).isEmpty && units(" \n\n ", .paragraph).isEmpty)
        #expect(units("one", .paragraph).map(\.1) == ["one"])
    }

    @Test func linesAreNonBlankLines() {
        let found = units("a\r\n\nb  \n  c", .line)
        #expect(found.map(\.0) == ["a", "b", "c"])
        #expect(found.map(\.1) == ["a\r\n\n", "b  \n", "  c"])
    }

    /// Spills documents (one scan unit per inner array), builds the table, removes.
    private func run(_ files: [[String]], split: ParagraphSplit = .paragraph, minCount: Int = 2, minBytes: Int = 0,
                     keepFirst: Bool = true, memory: Int = 1 << 20) throws -> (table: RepeatedParagraphTable, out: [[String]],
                                                                               removals: [[RepeatedParagraphTable.Removal]]) {
        let folder = try temporaryFolder("paragraphs")
        defer { try? FileSystem.remove(folder) }
        var inputs: [String] = []
        // Spill in reverse order: the table must not depend on the order of the inputs.
        for (number, documents) in files.enumerated().reversed() {
            let path = folder + "/unit-\(number)"
            let writer = try ParagraphSpillWriter(path: path, file: number, split: split, minBytes: minBytes)
            for (index, text) in documents.enumerated() {
                try Array(text.utf8).withUnsafeBytes { try writer.add($0, document: index) }
            }
            try writer.close()
            inputs.append(path)
        }
        _ = try RepeatedParagraphs.build(inputs: inputs, minCount: minCount, memoryBytes: memory, runs: folder + "/runs",
                                         output: folder + "/repeated.bin")
        let table = try RepeatedParagraphTable(path: folder + "/repeated.bin")
        var out: [[String]] = [], removals: [[RepeatedParagraphTable.Removal]] = []
        var scratch: [UInt8] = []
        for (number, documents) in files.enumerated() {
            out.append([])
            removals.append([])
            for (index, text) in documents.enumerated() {
                let removal = table.remove(from: Array(text.utf8), file: number, document: index, split: split,
                                           minBytes: minBytes, keepFirst: keepFirst, into: &scratch)
                out[number].append(String(decoding: scratch, as: UTF8.self))
                removals[number].append(removal)
            }
        }
        return (table, out, removals)
    }

    @Test func laterOccurrencesAreRemovedTheFirstKept() throws {
        let menu = "Home | News | Contact"
        let footer = "Copyright 2024 Example Ltd. All rights reserved."
        let files = [
            ["Intro one.\n\n\(menu)\n\nBody one.", "Body two.\n\n\(footer)"],
            ["\(menu)\n\nBody three.\n\n\(footer)", "Only body.", "\(footer)\n\n  \(menu)  \n\nBody four."],
        ]
        let (table, out, removals) = try run(files)
        #expect(table.entries.count == 2)
        #expect(out == [
            ["Intro one.\n\n\(menu)\n\nBody one.", "Body two.\n\n\(footer)"],
            ["Body three.", "Only body.", "Body four."],
        ])
        #expect(removals[1].map(\.units) == [2, 0, 2])
        let before = files[1][0].utf8.count, after = "Body three.".utf8.count
        #expect(removals[1][0].bytes == before - after)
        // keep: none removes every occurrence
        let none = try run(files, keepFirst: false)
        #expect(none.out == [["Intro one.\n\nBody one.", "Body two."], ["Body three.", "Only body.", "Body four."]])
    }

    @Test func minCountMinBytesAndLines() throws {
        let files = [["a\nshared line here\nb"], ["shared line here\nc\na"], ["x\nshared line here"]]
        let lines = try run(files, split: .line)
        #expect(lines.out == [["a\nshared line here\nb"], ["c"], ["x"]])
        let thrice = try run(files, split: .line, minCount: 3)
        #expect(thrice.out == [["a\nshared line here\nb"], ["c\na"], ["x"]], "`a` occurs twice only")
        let long = try run(files, split: .line, minBytes: 2)
        #expect(long.out == [["a\nshared line here\nb"], ["c\na"], ["x"]], "`a` is shorter than min_bytes")
    }

    @Test func aTinySortBudgetGivesTheSameTable() throws {
        var words = WordSource(seed: 11)
        let shared = (0..<50).map { _ in words.words(12).joined(separator: " ") }
        var files: [[String]] = []
        for f in 0..<4 {
            files.append((0..<30).map { d in
                (0..<6).map { k in (d + k + f) % 3 == 0 ? shared[(d * 7 + k) % 50] : words.words(15).joined(separator: " ") }
                    .joined(separator: "\n\n")
            })
        }
        let big = try run(files)
        let small = try run(files, memory: 1024)
        #expect(big.table.entries == small.table.entries && big.out == small.out)
        #expect(!big.table.entries.isEmpty && big.table.entries.allSatisfy { $0.count >= 2 })
    }
}
