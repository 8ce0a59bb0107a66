import Foundation
import GristCore
import GristShards
import Testing

/// `dedup.paragraphs` through the real binary on real pages: the boilerplate the Python documentation
/// repeats on every page is removed after its first occurrence, recorded per document, and shown by
/// `grist stats` and `grist report`.
@Suite struct ParagraphDedupCLITests {
    @Test func repeatedParagraphsAreRemovedRecordedAndShown() throws {
        let folder = try CLI.temporaryFolder("paragraphs")
        defer { try? FileSystem.remove(folder) }
        let config = try CLI.smallPipeline(
            in: folder, sources: "  - {name: docs, format: jsonl, paths: [\(CLI.root)/corpora/python-docs/part-000.jsonl.zst]}",
            "mix: {val_fraction: 0}\ndedup: {exact: true, paragraphs: {min_bytes: 20}}")
        let built = try CLI.run(["build", config, "-w", "2"])
        #expect(built.status == 0, "\(built.stderr)")
        let db = try Manifest.open(path: folder + "/out/manifest.sqlite").database
        let removed = try db.scalar("""
            SELECT SUM(CAST(value AS INTEGER)) FROM documentMetadata WHERE key = 'dedup_paragraphs_removed'
            """)?.int ?? 0
        let documents = try db.scalar("SELECT COUNT(*) FROM documentMetadata WHERE key = 'dedup_paragraph_fraction'")?.int ?? 0
        #expect(removed > 0 && documents > 0, "the pages share paragraphs: \(removed) removed from \(documents)")
        let stats = try CLI.run(["stats", folder + "/out"])
        #expect(stats.stdout.contains("repeated paragraphs removed"), "\(stats.stdout)")
        let report = try CLI.run(["report", folder + "/out", "-o", folder + "/r.html"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(try String(contentsOfFile: folder + "/r.html", encoding: .utf8).contains("<h2>Repeated paragraphs removed</h2>"))
    }
}
