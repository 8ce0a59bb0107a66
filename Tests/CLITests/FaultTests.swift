import Foundation
import GristCore
import GristShards
import Testing

/// Faults around a build: a full disk, inputs that change, an output that belongs to another pipeline.
@Suite struct FaultTests {
    private func makeConfig(_ folder: String, name: String = "faults", weight: Double = 1) throws -> String {
        try FileSystem.createDirectory(folder + "/in")
        for play in FileSystem.contents(of: CLI.root + "/corpora/shakespeare").prefix(3)
        where !FileSystem.exists(folder + "/in/" + play) {
            try FileSystem.copy(CLI.root + "/corpora/shakespeare/" + play, to: folder + "/in/" + play)
        }
        let path = folder + "/\(name)-\(weight).yaml"
        try """
            version: 1
            name: \(name)
            output: \(folder)/out
            sources:
              - {name: plays, format: text, paths: [\(folder)/in], weight: \(weight)}
            mix: {val_fraction: 0}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in FileSystem.contents(of: folder + "/out/shards") {
            files["shards/" + name] = FileManager.default.contents(atPath: folder + "/out/shards/" + name)
        }
        files["manifest.sqlite"] = FileManager.default.contents(atPath: folder + "/out/manifest.sqlite")
        return files
    }

    @Test func aFullDiskFailsClearlyAndLeavesThePreviousBuildIntact() throws {
        let folder = try CLI.temporaryFolder("full-disk")
        defer { try? FileSystem.remove(folder) }
        #expect(try CLI.run(["build", makeConfig(folder)]).status == 0)
        let before = snapshot(folder)
        // A file-size limit makes every write past 256 KB fail with EFBIG, as a full disk fails with ENOSPC.
        let config = try makeConfig(folder, weight: 2)
        let result = try CLI.run(["-c", "ulimit -f 256; trap '' XFSZ; exec \"$0\" build \"$1\"", CLI.binary, config],
                                 executable: "/bin/sh")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("File too large") || result.stderr.contains("disk I/O error"), "\(result.stderr)")
        #expect(result.stderr.contains(folder + "/out/"), "the error names no file: \(result.stderr)")
        #expect(snapshot(folder) == before)
        // With room again, the same build completes.
        #expect(try CLI.run(["build", config]).status == 0)
    }

    @Test func changedInputsAreReportedAndReadAgain() throws {
        let folder = try CLI.temporaryFolder("changed-input")
        defer { try? FileSystem.remove(folder) }
        let config = try makeConfig(folder)
        #expect(try CLI.run(["build", config]).status == 0)
        let file = folder + "/in/" + FileSystem.contents(of: folder + "/in")[0]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\nA LINE ADDED LATER.\n".utf8))
        try handle.close()
        let rebuilt = try CLI.run(["build", config])
        #expect(rebuilt.status == 0)
        #expect(rebuilt.stderr.contains("input changed since the last build, read again: \(file)"), "\(rebuilt.stderr)")
        #expect(rebuilt.stderr.contains("scan: reused 2, ran 1"), "\(rebuilt.stderr)")
    }

    @Test func anotherPipelinesOutputIsRefusedUnlessForced() throws {
        let folder = try CLI.temporaryFolder("other-pipeline")
        defer { try? FileSystem.remove(folder) }
        #expect(try CLI.run(["build", makeConfig(folder)]).status == 0)
        let other = try makeConfig(folder, name: "another")
        let refused = try CLI.run(["build", other])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("holds a build of pipeline \"faults\", not \"another\""), "\(refused.stderr)")
        #expect(try CLI.run(["build", other, "--force"]).status == 0)
    }
}
