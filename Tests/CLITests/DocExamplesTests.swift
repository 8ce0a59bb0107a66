import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GristCore
import Testing

/// The examples of the docs, run: every marked command, query and output of README.md,
/// docs/config.md, docs/formats.md and docs/manifest.md must show what it gives today.
///
/// **Marking an example.** An HTML comment right before a block (invisible on GitHub):
///
/// - `<!-- doctest: sh -->` before a shell transcript (fenced or indented): `$ COMMAND` lines, each
///   followed by its output (stdout and stderr together, as a terminal shows them); a line `> …`
///   right after a command continues it (a here-document, a `\` line end). The commands of a block run
///   in one `bash`, in order, so `cd` and `$?` carry over. `<!-- doctest: sh fresh -->` runs the block
///   in a folder of its own without the sample build (`grist build pipelines/sample.yaml` then builds
///   from scratch). Lines of a multi-line comment (`<!-- doctest: sh` … `-->`) run first, unseen:
///   setup whose output is not shown (`sed … pipelines/sample.yaml > broken.yaml`).
/// - `<!-- doctest: sql -->` before a query block and its output block: the query runs in
///   `sqlite3 -box out/sample/manifest.sqlite`. Options: `db=PATH` (another manifest of the examples
///   folder), `list` (sqlite3's default list mode instead of `-box`). With the query in the comment
///   (`<!-- doctest: sql` / query lines / `-->`) only the output block follows.
/// - `<!-- doctest: write PATH -->` before a block: its text is written to PATH in the examples folder
///   (a config or input file the next examples use).
/// - `<!-- doctest: file PATH -->` before a block: the block shows the repository's file PATH exactly;
///   `lines=A-B` (or `A-`, to the end) compares lines A to B (1-based) only.
/// - `<!-- doctest: config-errors -->` before a table whose rows are a change to a copy of
///   `pipelines/sample.yaml` (`` line N: `TEXT` ``: line N's text after its indentation replaced;
///   `` `TEXT` added after line N ``, indented as line N's value, or one level deeper after a `key:`
///   line; `line N removed`; `an empty file`; `a missing file`) and the message of `grist validate`,
///   the first code span of the second cell, after `error: FILE:`. It exits with status 2.
/// - `<!-- doctest: python -->` before a Python block (and its output block): not run here (CI has
///   no Python packages); `make docs-check` runs them (`scripts/reference/check_doc_python.py`).
///
/// **Where they run.** Every example runs in one examples folder, in document order: a temporary
/// folder with links to the repository's `corpora`, `pipelines` and `Sources`, and `out/sample`, the
/// sample build, made once for all examples (`grist build pipelines/sample.yaml --workers 2`). So
/// the docs use the paths a reader has at the repository root after `make demo`. `grist` is the
/// binary under test (`$GRIST_BIN`), first on `PATH`.
///
/// **Comparing.** Line by line, trailing spaces and trailing blank lines ignored, after these masks
/// (`DocOutput.masks`), applied to both sides: ISO 8601 times (`2026-11-29T06:45:28Z`), durations
/// (`in 0.8 s`), worker counts (`2 workers`: a build's default is the number of cores). The examples
/// folder's absolute path is taken out of the output (`FOLDER/x` is `x`, `FOLDER` is `.`). A line of
/// the doc starting with `...` (after its indentation) stands for any number of output lines.
///
/// **Refreshing.** `GRIST_UPDATE_DOCS=1 swift test --filter DocExamplesTests` rewrites every output
/// that differs with what was printed (keeping the `...` lines, and the doc's lines that equal the
/// output after masking); check the diff before committing it.
@Suite(.serialized) struct DocExamplesTests {
    static let files = ["README.md", "docs/config.md", "docs/formats.md", "docs/manifest.md"]
    static let updating = ProcessInfo.processInfo.environment["GRIST_UPDATE_DOCS"] == "1"

    @Test(arguments: files)
    func examplesShowWhatTheyPrint(file: String) throws {
        let path = CLI.root + "/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let examples: [DocExample]
        do { examples = try DocExampleParser.examples(in: text) } catch {
            Issue.record("\(file): \(error)")
            return
        }
        #expect(examples.contains { $0.kind != .python }, "\(file) has no marked example")
        let folder = try ExamplesFolder.shared.get()
        var edits: [(range: Range<Int>, lines: [String])] = []
        for example in examples {
            let place = "\(file):\(example.line)"
            do {
                let run = try Self.run(example, in: folder)
                for mismatch in run {
                    if Self.updating {
                        edits.append((mismatch.range, mismatch.replacement))
                    } else {
                        Issue.record("\(place): \(mismatch.message)")
                    }
                }
            } catch {
                Issue.record("\(place): \(error)")
            }
        }
        if Self.updating, !edits.isEmpty {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
                lines.replaceSubrange(edit.range, with: edit.lines)
            }
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// The doc comment's list of files holds every Markdown file with a marked example.
    @Test func everyFileWithMarkedExamplesIsChecked() throws {
        let docs = FileSystem.contents(of: CLI.root + "/docs").filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        for file in docs + ["README.md"] where !Self.files.contains(file) {
            let text = try String(contentsOfFile: CLI.root + "/" + file, encoding: .utf8)
            let marked = text.split(separator: "\n").contains { $0.drop { $0 == " " }.hasPrefix(DocExampleParser.marker) }
            #expect(!marked, "\(file) has doctest markers: add it to DocExamplesTests.files")
        }
    }

    // MARK: - Running an example

    /// What differs between an example's doc text and its run: where, the doc's new lines, and why.
    struct Mismatch {
        var range: Range<Int>
        var replacement: [String]
        var message: String
    }

    static func run(_ example: DocExample, in shared: String) throws -> [Mismatch] {
        switch example.kind {
        case .sh:
            guard example.has("fresh") else { return try runTranscript(example, in: shared) }
            let folder = try ExamplesFolder.make(sampleBuild: false)
            defer { try? FileSystem.remove(folder) }
            return try runTranscript(example, in: folder)
        case .sql: return try runQuery(example, in: shared)
        case .write: return try write(example, in: shared)
        case .file: return try compareFile(example)
        case .configErrors: return try runConfigErrors(example, in: shared)
        case .python: return []
        }
    }

    static func runTranscript(_ example: DocExample, in folder: String) throws -> [Mismatch] {
        let block = example.blocks[0]
        let steps = try TranscriptStep.steps(of: block.content)
        if !example.hidden.isEmpty {
            let setup = example.hidden.map { $0.hasPrefix("$ ") ? String($0.dropFirst(2)) : $0 }.joined(separator: "\n")
            let result = try Shell.run("set -e\n" + setup, in: folder)
            guard result.status == 0 else { throw DocExampleError("the hidden setup failed: \(result.output)") }
        }
        let outputs = try Shell.transcript(steps.map(\.script), in: folder)
        var mismatched = false
        var refreshed: [String] = []
        var messages: [String] = []
        for (step, output) in zip(steps, outputs) {
            let actual = DocOutput.lines(output)
            refreshed += step.commandLines
            if DocOutput.matches(expected: step.output, actual: actual) {
                refreshed += step.output
                continue
            }
            mismatched = true
            refreshed += DocOutput.refreshed(expected: step.output, actual: actual) ?? actual
            messages.append(difference(of: "`\(step.script)`", expected: step.output, actual: actual))
        }
        guard mismatched else { return [] }
        return [Mismatch(range: block.range, replacement: block.fileLines(refreshed), message: messages.joined(separator: "\n"))]
    }

    static func runQuery(_ example: DocExample, in folder: String) throws -> [Mismatch] {
        let query = example.hidden.isEmpty ? example.blocks[0].content : example.hidden
        guard let output = example.blocks.last else { throw DocExampleError("no output block") }
        let database = example.option("db") ?? "out/sample/manifest.sqlite"
        let mode = example.has("list") ? "" : "-box "
        let delimiter = "GRIST_DOCTEST_QUERY"
        let result = try Shell.run("sqlite3 -bail \(mode)\(database) <<'\(delimiter)'\n\(query.joined(separator: "\n"))\n\(delimiter)\n",
                                   in: folder)
        if result.status == 127 { throw DocExampleError("sqlite3 is not installed (`make deps` installs it)") }
        let actual = DocOutput.lines(result.output)
        guard result.status != 0 || !DocOutput.matches(expected: output.content, actual: actual) else { return [] }
        let refreshed = DocOutput.refreshed(expected: output.content, actual: actual) ?? actual
        return [Mismatch(range: output.range, replacement: output.fileLines(refreshed),
                         message: difference(of: "the query (exit status \(result.status))", expected: output.content, actual: actual))]
    }

    static func write(_ example: DocExample, in folder: String) throws -> [Mismatch] {
        guard let name = example.options.first else { throw DocExampleError("write needs a path") }
        let path = folder + "/" + name
        try FileSystem.createDirectory(FileSystem.parent(of: path))
        try (example.blocks[0].content.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return []
    }

    static func compareFile(_ example: DocExample) throws -> [Mismatch] {
        guard let name = example.options.first else { throw DocExampleError("file needs a path") }
        let block = example.blocks[0]
        var actual = DocOutput.lines(try String(contentsOfFile: CLI.root + "/" + name, encoding: .utf8))
        if let lines = example.option("lines") {
            let bounds = lines.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard bounds.count == 2, let first = bounds[0], first >= 1, first <= actual.count else {
                throw DocExampleError("lines=\(lines): expected lines=A-B or lines=A- within the file's \(actual.count) lines")
            }
            actual = Array(actual[(first - 1)..<min(actual.count, bounds[1] ?? actual.count)])
        }
        guard block.content != actual else { return [] }
        return [Mismatch(range: block.range, replacement: block.fileLines(actual),
                         message: difference(of: name, expected: block.content, actual: actual))]
    }

    static func runConfigErrors(_ example: DocExample, in folder: String) throws -> [Mismatch] {
        let sample = DocOutput.lines(try String(contentsOfFile: CLI.root + "/pipelines/sample.yaml", encoding: .utf8))
        let name = "broken.yaml"
        var mismatches: [Mismatch] = []
        for row in example.rows {
            guard row.cells.count >= 2, let expected = codeSpan(in: row.cells[1]) else {
                throw DocExampleError("row at line \(row.index + 1): the second cell needs the message as a code span")
            }
            try? FileSystem.remove(folder + "/" + name)
            if let lines = try ConfigChange(row.cells[0]).applied(to: sample) {
                try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
            }
            let result = try Shell.run("grist validate \(name)", in: folder)
            let output = DocOutput.lines(result.output).joined(separator: "\n")
            let prefix = "error: \(name):"
            var actual = output.hasPrefix(prefix) ? String(output.dropFirst(prefix.count)) : output
            if actual.hasPrefix(" ") { actual.removeFirst() }
            guard result.status != 2 || !DocOutput.same(expected, actual) else { continue }
            let escape = { (text: String) in text.replacingOccurrences(of: "|", with: "\\|") }
            let line = row.line.replacingOccurrences(of: "`\(escape(expected))`", with: "`\(escape(actual))`")
            mismatches.append(Mismatch(range: row.index..<(row.index + 1), replacement: [line],
                                       message: "\(row.cells[0]): grist validate exited with \(result.status) and printed\n  \(output)\nthe doc shows\n  \(expected)"))
        }
        return mismatches
    }

    /// The first code span of a cell (`` `33: filters…` `` gives `33: filters…`).
    static func codeSpan(in cell: String) -> String? {
        guard let open = cell.firstIndex(of: "`") else { return nil }
        let rest = cell[cell.index(after: open)...]
        guard let close = rest.firstIndex(of: "`") else { return nil }
        return String(rest[..<close])
    }

    static func difference(of what: String, expected: [String], actual: [String]) -> String {
        "\(what) printed\n" + actual.map { "  " + $0 }.joined(separator: "\n")
            + "\nthe doc shows\n" + expected.map { "  " + $0 }.joined(separator: "\n")
            + "\n(GRIST_UPDATE_DOCS=1 swift test --filter DocExamplesTests refreshes the docs)"
    }
}

/// A change to `pipelines/sample.yaml` as the first cell of a `config-errors` row describes it.
struct ConfigChange {
    enum Edit { case replace(line: Int, text: String), insert(after: Int, text: String), remove(line: Int), empty, missing }
    var edit: Edit

    init(_ cell: String) throws {
        if let match = cell.firstMatch(of: #/^line (\d+): `([^`]*)`/#), let line = Int(match.1) {
            edit = .replace(line: line, text: String(match.2))
        } else if let match = cell.firstMatch(of: #/^`([^`]*)` added after line (\d+)/#), let line = Int(match.2) {
            edit = .insert(after: line, text: String(match.1))
        } else if let match = cell.firstMatch(of: #/^line (\d+) removed/#), let line = Int(match.1) {
            edit = .remove(line: line)
        } else if cell.hasPrefix("an empty file") {
            edit = .empty
        } else if cell.hasPrefix("a missing file") {
            edit = .missing
        } else {
            throw DocExampleError("cannot read the change \"\(cell)\"")
        }
    }

    /// The changed lines; nil for a missing file.
    func applied(to lines: [String]) throws -> [String]? {
        var lines = lines
        func check(_ line: Int) throws {
            guard (1...lines.count).contains(line) else { throw DocExampleError("the sample has no line \(line)") }
        }
        func indentation(_ line: String) -> String { String(line.prefix { $0 == " " }) }
        switch edit {
        case .replace(let line, let text):
            try check(line)
            lines[line - 1] = indentation(lines[line - 1]) + text
        case .insert(let after, let text):
            try check(after)
            let previous = lines[after - 1]
            let value = previous.components(separatedBy: " #")[0].trimmingCharacters(in: .whitespaces)
            let deeper = value.hasSuffix(":") ? "  " : ""
            let base = indentation(previous) + (value.hasPrefix("- ") ? "  " : "")
            lines.insert(base + deeper + text, at: after)
        case .remove(let line):
            try check(line)
            lines.remove(at: line - 1)
        case .empty:
            return []
        case .missing:
            return nil
        }
        return lines
    }
}

/// The folder the examples run in (see `DocExamplesTests`).
enum ExamplesFolder {
    /// The shared folder, with the sample build in `out/sample`; made on first use, removed at exit.
    static let shared: Result<String, any Error> = Result {
        let folder = try make(sampleBuild: true)
        atexit { if case .success(let folder) = ExamplesFolder.shared { try? FileSystem.remove(folder) } }
        return folder
    }

    static func make(sampleBuild: Bool) throws -> String {
        let folder = try CLI.temporaryFolder("doc-examples")
        for name in ["corpora", "pipelines", "Sources"] {
            try FileManager.default.createSymbolicLink(atPath: folder + "/" + name, withDestinationPath: CLI.root + "/" + name)
        }
        if sampleBuild {
            let result = try Shell.run("grist build pipelines/sample.yaml --workers 2", in: folder)
            guard result.status == 0 else { throw DocExampleError("the sample build failed: \(result.output)") }
        }
        return folder
    }
}

/// `bash` in the examples folder, with the `grist` under test first on `PATH`.
enum Shell {
    struct Result {
        var status: Int32
        /// stdout and stderr together, in the order written; the folder's path replaced by `.`.
        var output: String
    }

    /// The longest a script may run (the slowest example, a build of the sample, takes seconds).
    static let timeLimit: Double = 600

    static func run(_ script: String, in folder: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        let binaryFolder = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path
        environment["PATH"] = binaryFolder + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["LC_ALL"] = "C.UTF-8"
        environment["TZ"] = "UTC"
        process.environment = environment
        let outputFolder = try CLI.temporaryFolder("doc-example-output")
        defer { try? FileSystem.remove(outputFolder) }
        let outputPath = outputFolder + "/output"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeLimit)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try handle.close()
        if killed { throw DocExampleError("killed after \(Int(timeLimit)) s: \(script)") }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus,
                      output: output.replacingOccurrences(of: folder + "/", with: "").replacingOccurrences(of: folder, with: "."))
    }

    /// Runs the commands in one shell, in order, and returns what each printed.
    static func transcript(_ commands: [String], in folder: String) throws -> [String] {
        let marker = { (number: Int) in "@@grist-doctest-\(number)@@" }
        var script = "exec 2>&1\nprintf '%s\\n' '\(marker(0))'\n"
        for (number, command) in commands.enumerated() {
            script += command + "\n"
            script += "grist_doctest_status=$?; printf '\\n%s\\n' '\(marker(number + 1))'; (exit $grist_doctest_status)\n"
        }
        let output = try run(script, in: folder).output
        var outputs: [String] = []
        var rest = Substring(output)
        guard rest.hasPrefix(marker(0) + "\n") else { throw DocExampleError("the shell printed \(output)") }
        rest = rest.dropFirst(marker(0).count + 1)
        for number in 1...commands.count {
            guard let end = rest.range(of: "\n" + marker(number) + "\n") else {
                throw DocExampleError("the shell stopped at `\(commands[number - 1])`: \(rest)")
            }
            outputs.append(String(rest[..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return outputs
    }
}
