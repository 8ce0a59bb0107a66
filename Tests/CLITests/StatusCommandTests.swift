import Foundation
import GristCore
import Testing

/// `grist status` reports each stage the build recorded, from the same stage values the build runs.
@Suite(.serialized) struct StatusCommandTests {
    static let config = "Tests/CLITests/Fixtures/golden/trained.yaml"

    @Test func finishedBuildShowsEveryStoredStage() throws {
        let output = try CLI.temporaryFolder("status-done")
        defer { try? FileSystem.remove(output) }
        let built = try CLI.run(["build", Self.config, "--output", output, "--workers", "2"])
        try #require(built.status == 0, "grist build failed: \(built.stderr)")
        let status = try CLI.run(["status", output])
        #expect(status.status == 0)
        let lines = status.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(output): no build running")
        #expect(lines.contains { $0.hasPrefix("  scan     ") && $0.hasSuffix("units stored") })
        let scan = try #require(lines.first { $0.hasPrefix("  scan ") })
        let counts = scan.split(separator: " ").compactMap { Int($0) }
        #expect(counts.count == 2 && counts[0] == counts[1] && counts[0] > 1, "\(scan)")
        #expect(lines.contains("  dedup    clustered"))
        #expect(lines.contains("  tokenizer trained"))
        #expect(lines.contains { $0.hasPrefix("  tokenize ") && $0.hasSuffix("parts tokenized") })
        #expect(lines.contains { $0.hasPrefix("  published  succeeded ") && $0.contains("5 shards") })
    }

    @Test func buildKilledDuringTheScanShowsWhatIsStored() throws {
        let output = try CLI.temporaryFolder("status-killed")
        defer { try? FileSystem.remove(output) }
        let killed = try CLI.run(["build", Self.config, "--output", output, "--workers", "1"],
                                 environment: ["GRIST_FAULT": "scan-part:3"])
        #expect(killed.signaled)
        let status = try CLI.run(["status", output])
        #expect(status.status == 0)
        let scan = try #require(status.stdout.split(separator: "\n").first { $0.hasPrefix("  scan ") })
        let counts = scan.split(separator: " ").compactMap { Int($0) }
        #expect(counts.count == 2 && counts[0] < counts[1], "\(scan)")
        #expect(!status.stdout.contains("dedup"), "no dedup before the scan finished")
        #expect(status.stdout.contains("  published  nothing yet"))
    }
}
