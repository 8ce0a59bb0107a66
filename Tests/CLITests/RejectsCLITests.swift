import Foundation
import GristCore
import Testing

/// `rejects: true` keeps what a filter drops; `grist inspect OUTPUT --rejects REASON` shows it.
@Suite struct RejectsCLITests {
    @Test func inspectShowsRejectedDocumentsByReason() throws {
        let folder = try CLI.temporaryFolder("rejects")
        defer { try? FileSystem.remove(folder) }
        let config = folder + "/p.yaml"
        try """
            version: 1
            name: rejects
            output: \(folder)/out
            sources:
              - {name: docs, format: jsonl, paths: [\(CLI.root)/corpora/python-docs/part-000.jsonl.zst]}
            filters:
              - length: {min_words: 200, rejects: true}
            mix: {val_fraction: 0}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["build", config]).status == 0)
        #expect(FileSystem.exists(folder + "/out/rejects/length.jsonl.zst"))
        let shown = try CLI.run(["inspect", folder + "/out", "--rejects", "length:too_short", "--n", "2"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.hasPrefix("23 documents dropped for length:too_short; the first 2:"), "\(shown.stdout)")
        #expect(shown.stdout.components(separatedBy: "--- length:too_short · docs · ").count == 3)
        let byFilter = try CLI.run(["inspect", folder + "/out", "--rejects", "length", "--n", "1"])
        #expect(byFilter.stdout.hasPrefix("23 documents dropped for length;"))
        let unknown = try CLI.run(["inspect", folder + "/out", "--rejects", "gopher_quality"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("kept reasons: length:too_short (23)"))
    }
}
