import Foundation

/// An example of a Markdown file that `DocExamplesTests` runs: a `<!-- doctest: KIND OPTIONS -->`
/// comment and the code blocks (or table) right after it. The convention is described in the doc
/// comment of `DocExamplesTests`.
struct DocExample {
    enum Kind: String {
        /// A shell transcript: `$ ` command lines (`> ` continues one), each followed by its output.
        case sh
        /// A query and its `sqlite3` output (or, with the query in the comment, the output alone).
        case sql
        /// A block written to a file of the examples folder, for the examples after it.
        case write
        /// A block that shows a file of the repository as it is.
        case file
        /// A table of one-line changes to `pipelines/sample.yaml` and the error `grist validate` gives.
        case configErrors = "config-errors"
        /// Python and its output: run by `scripts/reference/check_doc_python.py`, not by `swift test`.
        case python
    }

    var kind: Kind
    /// The words after the kind: flags (`fresh`, `list`) and `NAME=VALUE` settings (`db=PATH`).
    var options: [String]
    /// The comment's lines after its first: the hidden query of `sql`, the setup commands of `sh`.
    var hidden: [String]
    /// 1-based line of the comment, for messages.
    var line: Int
    var blocks: [DocBlock] = []
    var rows: [DocTableRow] = []

    func has(_ flag: String) -> Bool { options.contains(flag) }

    /// The value of a `NAME=VALUE` option.
    func option(_ name: String) -> String? {
        options.first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }
}

/// A code block of a Markdown file, fenced or indented.
struct DocBlock {
    /// Indices (0-based) of the file's lines holding the content, fences excluded.
    var range: Range<Int>
    /// What precedes each content line in the file (the fence's or the indented block's indentation).
    var indent: String
    var content: [String]
    /// The fence's info string (`sql`, `yaml`); empty for an indented block.
    var info: String

    /// `lines` as they go into the file, indented as the block is.
    func fileLines(_ lines: [String]) -> [String] {
        lines.map { $0.isEmpty ? "" : indent + $0 }
    }
}

/// A row of a Markdown table: its cells (outer pipes dropped, `\|` unescaped, trimmed).
struct DocTableRow {
    /// Index (0-based) of the row's line in the file.
    var index: Int
    /// The row's line as the file has it.
    var line: String
    var cells: [String]
}

/// One command of a shell transcript and the output shown after it.
struct TranscriptStep {
    /// The command's lines as the block shows them, prompts included.
    var commandLines: [String]
    /// The command without its prompts, as the shell runs it.
    var script: String
    var output: [String]

    /// The steps of a transcript block; lines before the first `$ ` are an error.
    static func steps(of content: [String]) throws -> [TranscriptStep] {
        var steps: [TranscriptStep] = []
        for line in content {
            if line.hasPrefix("$ ") {
                steps.append(TranscriptStep(commandLines: [line], script: String(line.dropFirst(2)), output: []))
            } else if var last = steps.popLast() {
                if last.output.isEmpty, line.hasPrefix("> ") || line == ">" {
                    last.commandLines.append(line)
                    last.script += "\n" + String(line.dropFirst(min(2, line.count)))
                } else {
                    last.output.append(line)
                }
                steps.append(last)
            } else {
                throw DocExampleError("a transcript must start with a `$ ` command line, not \"\(line)\"")
            }
        }
        return steps
    }
}

struct DocExampleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Finds the marked examples of a Markdown file.
enum DocExampleParser {
    static let marker = "<!-- doctest:"

    static func examples(in text: String) throws -> [DocExample] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples: [DocExample] = []
        var index = 0
        while index < lines.count {
            let indent = leadingSpaces(lines[index])
            let rest = lines[index].dropFirst(indent)
            guard rest.hasPrefix(marker) else { index += 1; continue }
            let line = index + 1
            var header = String(rest.dropFirst(marker.count))
            var hidden: [String] = []
            index += 1
            if let end = header.range(of: "-->") {
                header = String(header[..<end.lowerBound])
            } else {
                while true {
                    guard index < lines.count else { throw DocExampleError("line \(line): the comment has no closing -->") }
                    let bodyLine = lines[index]
                    index += 1
                    if bodyLine.trimmingCharacters(in: .whitespaces) == "-->" { break }
                    hidden.append(String(bodyLine.dropFirst(min(indent, leadingSpaces(bodyLine)))))
                }
            }
            let words = header.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let name = words.first, let kind = DocExample.Kind(rawValue: name) else {
                throw DocExampleError("line \(line): unknown doctest kind in \"\(header)\"")
            }
            var example = DocExample(kind: kind, options: Array(words.dropFirst()), hidden: hidden, line: line)
            do {
                switch kind {
                case .configErrors:
                    (example.rows, index) = try table(lines, from: index)
                case .sql where hidden.isEmpty:
                    let query: DocBlock
                    (query, index) = try block(lines, from: index, baseIndent: indent)
                    let output: DocBlock
                    (output, index) = try block(lines, from: index, baseIndent: indent)
                    example.blocks = [query, output]
                case .python:
                    let code: DocBlock
                    (code, index) = try block(lines, from: index, baseIndent: indent)
                    example.blocks = [code]
                    if let (output, next) = try? block(lines, from: index, baseIndent: indent), output.info.isEmpty,
                       lines[index..<output.range.lowerBound].allSatisfy({ leadingSpaces($0) == $0.count || isFence($0) }) {
                        example.blocks.append(output)
                        index = next
                    }
                default:
                    let only: DocBlock
                    (only, index) = try block(lines, from: index, baseIndent: indent)
                    example.blocks = [only]
                }
            } catch let error as DocExampleError {
                throw DocExampleError("line \(line) (\(kind.rawValue)): \(error.description)")
            }
            examples.append(example)
        }
        return examples
    }

    /// The code block starting at the first non-blank line from `start`: a fenced block, or an
    /// indented one (4 spaces deeper than the comment); returns it and the index after it.
    static func block(_ lines: [String], from start: Int, baseIndent: Int) throws -> (DocBlock, Int) {
        var index = start
        while index < lines.count, isBlank(lines[index]) { index += 1 }
        guard index < lines.count else { throw DocExampleError("no code block follows") }
        let first = lines[index]
        let indent = leadingSpaces(first)
        if isFence(first) {
            let opening = first.dropFirst(indent)
            let fenceCharacter = opening.first ?? "`"
            let fence = String(opening.prefix { $0 == fenceCharacter })
            let info = opening.dropFirst(fence.count).trimmingCharacters(in: .whitespaces)
            var end = index + 1
            while end < lines.count {
                let candidate = lines[end].dropFirst(leadingSpaces(lines[end]))
                if candidate.hasPrefix(fence), candidate.allSatisfy({ $0 == fenceCharacter || $0 == " " }) { break }
                end += 1
            }
            guard end < lines.count else { throw DocExampleError("the code block at line \(index + 1) is not closed") }
            let content = lines[(index + 1)..<end].map { String($0.dropFirst(min(indent, leadingSpaces($0)))) }
            return (DocBlock(range: (index + 1)..<end, indent: String(repeating: " ", count: indent),
                             content: content, info: info), end + 1)
        }
        let depth = baseIndent + 4
        guard indent >= depth else { throw DocExampleError("line \(index + 1) is neither a fence nor indented \(depth) spaces") }
        var end = index
        var last = index
        while end < lines.count, isBlank(lines[end]) || leadingSpaces(lines[end]) >= depth {
            if !isBlank(lines[end]) { last = end }
            end += 1
        }
        let content = lines[index...last].map { isBlank($0) ? "" : String($0.dropFirst(depth)) }
        return (DocBlock(range: index..<(last + 1), indent: String(repeating: " ", count: depth), content: content, info: ""),
                last + 1)
    }

    /// The data rows of the Markdown table starting at the first non-blank line from `start`.
    static func table(_ lines: [String], from start: Int) throws -> ([DocTableRow], Int) {
        var index = start
        while index < lines.count, isBlank(lines[index]) { index += 1 }
        var rows: [DocTableRow] = []
        while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
            rows.append(DocTableRow(index: index, line: lines[index], cells: cells(of: lines[index])))
            index += 1
        }
        guard rows.count > 2 else { throw DocExampleError("no table with rows follows") }
        return (Array(rows.dropFirst(2)), index)   // the header and the |---| line
    }

    static func cells(of row: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for character in row.trimmingCharacters(in: .whitespaces).dropFirst() {
            if escaped {
                cell.append(character == "|" ? "|" : "\\\(character)")
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else {
                cell.append(character)
            }
        }
        return cells
    }

    static func leadingSpaces(_ line: String) -> Int { line.prefix { $0 == " " }.count }
    static func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }
    static func isFence(_ line: String) -> Bool {
        let rest = line.dropFirst(leadingSpaces(line))
        return rest.hasPrefix("```") || rest.hasPrefix("~~~")
    }
}
