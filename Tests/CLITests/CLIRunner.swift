import Foundation
import GristCore

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
    }

    /// Runs `grist arguments…` in the repository root and waits for it.
    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        // Output goes to files, not pipes: a chatty process can never block on a full pipe.
        let folder = try temporaryFolder("cli-output")
        defer { try? FileSystem.remove(folder) }
        let outPath = folder + "/stdout", errPath = folder + "/stderr"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// A new empty folder under the system's temporary folder.
    static func temporaryFolder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grist-\(name)-\(UUID().uuidString)").path
        try FileSystem.createDirectory(path)
        return path
    }
}
