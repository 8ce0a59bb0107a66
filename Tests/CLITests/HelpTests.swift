import Foundation
import Testing

/// Every command's `--help` reads cleanly: each option states its default once, and no default prints
/// as a raw control character.
@Suite struct HelpTests {
    static let commands = [
        ["build"], ["validate"], ["status"], ["stats"], ["inspect"], ["report"], ["train"], ["generate"], ["eval"], ["export"],
        ["collect"], ["dedup"], ["filter"], ["tokenizer", "train"], ["tokenizer", "encode"], ["tokenizer", "decode"],
        ["tokenizer", "count"], ["classifier", "train"], ["classifier", "test"],
    ]

    @Test(arguments: commands)
    func helpStatesEachDefaultOnce(command: [String]) throws {
        let result = try CLI.run(command + ["--help"])
        #expect(result.status == 0, "\(result.stderr)")
        // An option's text runs from its "  -" line to the next one.
        var options: [String] = []
        for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  -") { options.append(String(line)) }
            else if line.hasPrefix("      "), !options.isEmpty { options[options.count - 1] += " " + line.trimmingCharacters(in: .whitespaces) }
        }
        #expect(!options.isEmpty)
        for option in options {
            #expect(option.components(separatedBy: "(default:").count <= 2, "two defaults: \(option)")
            #expect(!option.contains("(default: )"), "an invisible default: \(option)")
        }
    }
}
