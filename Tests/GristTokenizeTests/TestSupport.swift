import Foundation
@testable import GristTokenize

/// Shared helpers for the tokenizer tests.
enum TestSupport {
    /// The bundled GPT-2 vocabulary (loaded once per process by `BPEVocabulary.gpt2()`).
    static func gpt2() throws -> BPEVocabulary { try BPEVocabulary.gpt2() }

    static func encoder() throws -> BPEEncoder { BPEEncoder(vocabulary: try gpt2()) }

    /// GPT-2's ranks with another pre-tokenizer pattern (as the golden `NAME.PATTERN.tokens` were made).
    static func gpt2Ranks(pattern: PreTokenizerPattern) throws -> BPEVocabulary {
        try (pattern == .cl100k ? gpt2CL100K : gpt2O200K).get()
    }

    private static let gpt2CL100K = Result { try loadGPT2Ranks(pattern: .cl100k) }
    private static let gpt2O200K = Result { try loadGPT2Ranks(pattern: .o200k) }

    private static func loadGPT2Ranks(pattern: PreTokenizerPattern) throws -> BPEVocabulary {
        guard let path = BPEVocabulary.gpt2RanksPath else { throw FixtureError("gpt2.tiktoken not found") }
        return try BPEVocabulary(tiktokenFile: path, pattern: pattern, specialTokens: ["<|endoftext|>": 50256],
                                 name: "gpt2-\(pattern.rawValue)")
    }

    /// `Tests/GristTokenizeTests/Fixtures/gpt2`, found next to this source file.
    static let fixtureDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gpt2", isDirectory: true)

    /// Ids stored as raw little-endian `uint16`, as the golden fixtures are written.
    static func readUInt16Tokens(_ url: URL) throws -> [UInt32] {
        let data = try Data(contentsOf: url)
        guard data.count % 2 == 0 else { throw FixtureError("\(url.path): odd byte count \(data.count)") }
        return data.withUnsafeBytes { raw in
            (0..<(raw.count / 2)).map { i in
                UInt32(raw[2 * i]) | UInt32(raw[2 * i + 1]) << 8
            }
        }
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The text of each token, for readable failure messages: `["Hello", " world"]`.
    static func pieces(_ tokens: some Sequence<UInt32>, _ vocabulary: BPEVocabulary) -> String {
        let quoted = tokens.map { token in
            vocabulary.tokenBytes(token).map { String(decoding: $0, as: UTF8.self).debugDescription } ?? "<\(token)?>"
        }
        return "[" + quoted.joined(separator: ", ") + "]"
    }

    /// A small valid tiktoken file: all 256 single bytes (ranks 0...255) plus `merges`.
    static func tinyRanksFile(merges: [String] = ["ab", "abc", "bc"]) -> String {
        var lines: [String] = []
        for byte in 0..<256 { lines.append("\(Data([UInt8(byte)]).base64EncodedString()) \(byte)") }
        for (index, merge) in merges.enumerated() {
            lines.append("\(Data(merge.utf8).base64EncodedString()) \(256 + index)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func vocabulary(fromRanksText text: String, specialTokens: [String: UInt32] = [:]) throws -> BPEVocabulary {
        try Array(text.utf8).withUnsafeBytes {
            try BPEVocabulary(tiktokenContents: $0, source: "test.tiktoken", specialTokens: specialTokens, name: "test")
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
