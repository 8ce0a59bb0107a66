import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GristCore
import Testing

/// Runs the built `grist` binary, as a user would, and captures what it prints.
///
/// The binary is `$GRIST_BIN` (`make test` points it at the release build) or else the debug build
/// that `swift test` made next to the test bundle.
enum CLI {
    /// The repository root (tests run the sample pipeline from there, as the README does).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["GRIST_BIN"], !path.isEmpty { return path }
        for candidate in [".build/debug/grist", ".build/release/grist"] {
            let path = root + "/" + candidate
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root + "/.build/debug/grist"
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Killed by a signal (`status` is then the signal's number).
        var signaled = false
    }

    /// Runs `grist arguments…` in the repository root and waits for it (or kills it with SIGKILL after
    /// `killAfter` seconds); `environment` adds variables.
    static func run(_ arguments: [String], environment: [String: String] = [:], killAfter: Double? = nil,
                    executable: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        // Output goes to files, not pipes: a chatty process can never block on a full pipe.
        let folder = try temporaryFolder("cli-output")
        defer { try? FileSystem.remove(folder) }
        let outPath = folder + "/stdout", errPath = folder + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let killAfter {
            let deadline = Date().addingTimeInterval(killAfter)
            while process.isRunning, Date() < deadline { usleep(5_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
                      signaled: process.terminationReason == .uncaughtSignal)
    }

    /// What a system tool (`zstd -dc FILE`, `gzip -dc FILE`) writes to stdout; fails the test when it fails.
    static func toolOutput(_ arguments: [String]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GristError(.io, "\(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return [UInt8](data)
    }

    /// A new empty folder under the system's temporary folder.
    static func temporaryFolder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grist-\(name)-\(UUID().uuidString)").path
        try FileSystem.createDirectory(path)
        return path
    }

    /// Writes `FOLDER/pipeline.yaml`: pipeline `small` (seed 1, output `FOLDER/out`) with these `sources`
    /// entries and the other top-level sections in `body`; returns its path.
    /// Builds `config` killed (SIGKILL) the `count`-th time it reaches crash point `point`, expects that, then
    /// builds it again and expects success: for tests that check what the resumed build left.
    static func buildKilledThenResumed(_ config: String, at point: String, count: Int) throws {
        let crashed = try run(["build", config], environment: ["GRIST_FAULT": "\(point):\(count)"])
        #expect(crashed.signaled && crashed.status == 9, "the build did not stop at \(point): \(crashed.stderr)")
        let resumed = try run(["build", config])
        #expect(resumed.status == 0, "\(resumed.stderr)")
    }

    static func smallPipeline(in folder: String, sources: String, _ body: String) throws -> String {
        let config = folder + "/pipeline.yaml"
        try """
            version: 1
            name: small
            output: \(folder)/out
            seed: 1
            sources:
            \(sources)
            \(body)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }
}
