import Foundation
import GristCore
import GristShards
import Testing

/// What three real builds write, recorded byte for byte: the SHA-256 of every file in the output
/// folder (shards, vocabulary, rejects), every row of every manifest table (less the run's clock and
/// folder), `grist stats --json` and the HTML report. Refactorings must leave all of it unchanged.
///
/// `GRIST_UPDATE_GOLDEN=1 swift test --filter GoldenBuildTests` rewrites the files in
/// `Fixtures/golden/` (only when an output is meant to change; say why in the commit).
@Suite(.serialized) struct GoldenBuildTests {
    static let fixtures = CLI.root + "/Tests/CLITests/Fixtures/golden"

    @Test(arguments: [
        ("sample", "pipelines/sample.yaml"),
        ("formats", "pipelines/formats.yaml"),
        ("trained", "Tests/CLITests/Fixtures/golden/trained.yaml"),
    ])
    func buildIsUnchanged(name: String, config: String) throws {
        let output = try CLI.temporaryFolder("golden-\(name)")
        defer { try? FileSystem.remove(output) }
        let built = try CLI.run(["build", config, "--output", output, "--workers", "2"])
        try #require(built.status == 0, "grist build \(config) failed: \(built.stderr)")
        let stats = try CLI.run(["stats", output, "--json"])
        try #require(stats.status == 0, "grist stats failed: \(stats.stderr)")
        let report = try CLI.run(["report", output, "-o", output + "/report.html"])
        try #require(report.status == 0, "grist report failed: \(report.stderr)")
        let html = try String(contentsOfFile: output + "/report.html", encoding: .utf8)
        try FileSystem.remove(output + "/report.html")

        var dump = "# golden build of \(config)\n\n## files\n"
        dump += try Self.fileHashes(in: output).joined(separator: "\n") + "\n"
        dump += try Self.manifestDump(path: output + "/manifest.sqlite")
        dump += "\n## grist stats --json\n" + Self.masked(stats.stdout, output: output)
        dump += "\n## grist report (sha256 of the page, clock and folder masked)\n"
            + SHA256.hex(of: Array(Self.masked(html, output: output).utf8)) + "\n"

        let golden = Self.fixtures + "/\(name).golden.txt"
        if ProcessInfo.processInfo.environment["GRIST_UPDATE_GOLDEN"] == "1" {
            try dump.write(toFile: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        if dump != expected {
            let actual = NSTemporaryDirectory() + "grist-golden-\(name).txt"
            try dump.write(toFile: actual, atomically: true, encoding: .utf8)
            Issue.record("the build of \(config) differs from \(golden): diff it with \(actual)")
        }
    }

    /// `PATH SHA256` for every file under the output folder except the manifest (dumped by rows) and
    /// the work area, sorted by path (the build key in `dedup-index/index.json` masked).
    static func fileHashes(in output: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: output)
        var lines: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative == ".grist" { enumerator?.skipDescendants(); continue }
            let path = output + "/" + relative
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
                  relative != "manifest.sqlite" else { continue }
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            // The dedup index names the build key, which hashes the inputs' modification times: masked.
            if relative.hasSuffix("dedup-index/index.json") {
                bytes = Array(String(decoding: bytes, as: UTF8.self)
                    .replacingOccurrences(of: #""buildKey" : "[0-9a-f]+""#, with: #""buildKey" : "KEY""#,
                                          options: .regularExpression).utf8)
            }
            lines.append("\(relative) \(SHA256.hex(of: bytes))")
        }
        return lines.sorted()
    }

    /// Every table's rows in rowid order, every column by name, values typed; the run's start and end
    /// times and output folder are left out (they differ from run to run), and so are the stage keys and
    /// the build key: they hash the input files' modification times, which a fresh clone sets anew.
    static func manifestDump(path: String) throws -> String {
        let database = try SQLiteDatabase(path: path, mode: .readOnly)
        let tables = try database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .rows().compactMap { $0[0].string }
        let skipped: Set<String> = ["run.startedAt", "run.finishedAt", "run.outputDir", "buildStage.stageKey"]
        var text = ""
        for table in tables {
            let statement = try database.prepare("SELECT * FROM \"\(table)\" ORDER BY rowid")
            let columns = (0..<statement.columnCount).map { statement.columnName($0) }
            let kept = columns.indices.filter { !skipped.contains("\(table).\(columns[$0])") }
            var rows: [String] = []
            while try statement.step() {
                var values = kept.map { render(statement.value($0)) }
                if table == "meta", values.first == "\"buildKey\"" { values[1] = "KEY" }
                rows.append(values.joined(separator: "\t"))
            }
            text += "\n## table \(table): \(rows.count) rows\n"
            text += kept.map { columns[$0] }.joined(separator: "\t") + "\n"
            text += rows.map { $0 + "\n" }.joined()
        }
        return text
    }

    static func render(_ value: SQLiteValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return "r" + String(v)
        case .text(let v):
            return "\"" + v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
                .replacingOccurrences(of: "\t", with: "\\t") + "\""
        case .blob(let bytes): return "x" + bytes.map { String(format: "%02x", $0) }.joined()
        }
    }

    /// The text with the output folder and ISO 8601 times replaced by placeholders.
    static func masked(_ text: String, output: String) -> String {
        text.replacingOccurrences(of: output, with: "OUTPUT")
            .replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, with: "TIME",
                                  options: .regularExpression)
    }
}
