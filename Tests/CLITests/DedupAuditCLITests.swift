import Foundation
import GristCore
import Testing

/// The dedup audit through the real binary: a build of the planted corpus shows it in `grist stats`
/// (text and `--json`) and in `grist report`; `grist dedup` prints its line and writes `--audit FILE`.
@Suite struct DedupAuditCLITests {
    private static let planted = CLI.root + "/Tests/GristPipelineTests/Fixtures/planted/corpus.jsonl.zst"

    private func build(_ minhash: String) throws -> String {
        let folder = try CLI.temporaryFolder("dedup-audit")
        let config = try CLI.smallPipeline(in: folder, sources: "  - {name: planted, format: jsonl, paths: [\(Self.planted)]}",
                                           "mix: {val_fraction: 0}\ndedup: {exact: true, minhash: \(minhash)}")
        let built = try CLI.run(["build", config, "-w", "2"])
        #expect(built.status == 0, "\(built.stderr)")
        return folder
    }

    @Test func statsAndReportShowTheAuditOfABuild() throws {
        let folder = try build("{verify: false, max_cluster_size: 0}")
        defer { try? FileSystem.remove(folder) }
        let text = try CLI.run(["stats", folder + "/out"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("dedup audit (threshold 0.8, verification off"), "\(text.stdout)")
        #expect(text.stdout.contains("  precision  0."))
        #expect(text.stdout.contains("(95% CI 0."))
        #expect(text.stdout.contains("  guard      off (max_cluster_size: 0)"))
        #expect(text.stdout.contains("  largest clusters (the kept document first; first lines)"))

        let json = try CLI.run(["stats", folder + "/out", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let root = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any] ?? [:]
        let audit = try #require(root["dedupAudit"] as? [String: Any])
        let toKept = try #require(audit["toKept"] as? [String: Any])
        let pairs = try #require(toKept["pairs"] as? Int), atOrAbove = try #require(toKept["atOrAbove"] as? Int)
        let precision = try #require(toKept["precision"] as? Double)
        let low = try #require(toKept["low"] as? Double), high = try #require(toKept["high"] as? Double)
        #expect(pairs > 100 && atOrAbove < pairs)
        #expect(abs(precision - Double(atOrAbove) / Double(pairs)) < 1e-12)
        #expect(low < precision && precision < high)
        #expect(audit["verify"] as? Bool == false)
        #expect(audit["keepRule"] as? String == "first")
        let sizes = try #require(audit["sizes"] as? [[String: Any]])
        #expect(sizes.first?["lowerBound"] as? Int == 2 && sizes.first?["upperBound"] as? Int == 2)
        #expect(sizes.reduce(0) { $0 + ($1["clusters"] as? Int ?? 0) } == audit["clusters"] as? Int)
        let largest = try #require(audit["largest"] as? [[String: Any]])
        let first = try #require(largest.first?["members"] as? [[String: Any]])
        #expect(first.first?["position"] as? Int == 0 && !(first.first?["firstLine"] as? String ?? "").isEmpty)
        let guardCounts = try #require(audit["guard"] as? [String: Any])
        #expect(guardCounts["maxClusterSize"] as? Int == 0)

        let report = try CLI.run(["report", folder + "/out", "-o", folder + "/report.html"])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(html.contains("Dedup audit") && html.contains("95% CI") && html.contains("Largest clusters"))
    }

    @Test func withVerificationThePrecisionIsOneAndTheGuardIsNotNeeded() throws {
        let folder = try build("{}")
        defer { try? FileSystem.remove(folder) }
        let text = try CLI.run(["stats", folder + "/out"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("  precision  1.000 (95% CI 0.9"), "\(text.stdout)")
        #expect(text.stdout.contains("  guard      not needed"))
    }

    @Test func dedupCommandPrintsAndWritesTheAudit() throws {
        let folder = try CLI.temporaryFolder("dedup-audit-cmd")
        defer { try? FileSystem.remove(folder) }
        try "dedup: {exact: true, minhash: {verify: false}}\n".write(toFile: folder + "/d.yaml", atomically: true,
                                                                      encoding: .utf8)
        let result = try CLI.run(["dedup", "--config", folder + "/d.yaml", Self.planted, "-o", folder + "/out.jsonl",
                                  "--audit", folder + "/audit.json", "-w", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("audit: "), "\(result.stderr)")
        #expect(result.stderr.contains("; guard: "), "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/audit.json"))
        let audit = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        #expect(audit["schema"] as? String == "gristmill.dedup-audit/1")
        let pairs = try #require(audit["pairs"] as? [[String: Any]])
        #expect(!pairs.isEmpty)
        #expect(pairs.allSatisfy { ($0["id"] as? String)?.isEmpty == false })
        let largest = try #require(audit["largest"] as? [[String: Any]])
        let members = try #require(largest.first?["members"] as? [[String: Any]])
        #expect(members.first?["id"] as? String == largest.first?["kept"] as? String)
        #expect(members.allSatisfy { !($0["firstLine"] as? String ?? "").isEmpty }, "\(members)")
        let guardCounts = try #require(audit["guard"] as? [String: Any])
        #expect(guardCounts["maxClusterSize"] as? Int == 1000)
        #expect((guardCounts["bySimilarity"] as? Int ?? 0) > 0)
    }
}
