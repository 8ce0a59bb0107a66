import Foundation
import GristCore
import Testing

/// The commands that stream to standard output, when it cannot be written (`/dev/full`): an error
/// naming standard output and a failing exit status, never silently lost output.
@Suite struct StandardStreamTests {
    /// Runs `grist arguments…` with its standard output on `/dev/full`.
    private func runIntoFullDevice(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["-c", "exec \"$0\" \"$@\" > /dev/full", CLI.binary] + arguments, executable: "/bin/sh")
    }

    @Test func aFullStandardOutputIsAnError() throws {
        let folder = try CLI.temporaryFolder("full-stdout")
        defer { try? FileSystem.remove(folder) }
        let text = folder + "/hello.txt"
        _ = FileManager.default.createFile(atPath: text, contents: Data("Hello world, once more.\n".utf8))
        let jsonl = folder + "/in.jsonl"
        _ = FileManager.default.createFile(atPath: jsonl, contents: Data(#"{"id": "a", "text": "Hello world, once more."}"#.utf8 + [0x0A]))
        let config = folder + "/f.yaml"
        _ = FileManager.default.createFile(atPath: config, contents: Data("version: 1\nfilters: [{length: {min_chars: 1}}]\n".utf8))
        for arguments in [["tokenizer", "encode", text], ["tokenizer", "count", text], ["collect", "--format", "text", text],
                          ["filter", "--config", config, jsonl]] {
            let result = try runIntoFullDevice(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains("cannot write to standard output: No space left on device"),
                    "\(arguments): \(result.stderr)")
        }
    }
}
