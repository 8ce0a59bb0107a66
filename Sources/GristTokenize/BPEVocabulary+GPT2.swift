import Foundation
import GristCore

extension BPEVocabulary {
    /// GPT-2's vocabulary (tiktoken `gpt2`: 50256 ranks + `<|endoftext|>` = 50256) from the ranks
    /// file bundled with this module. Loaded once per process, then shared; a bundled file whose
    /// SHA-256 is not `gpt2RanksSHA256` is rejected (`.badFormat`).
    public static func gpt2() throws -> BPEVocabulary { try bundledGPT2.get() }

    /// SHA-256 of the GPT-2 ranks file (the same file tiktoken pins for r50k_base/gpt2).
    public static let gpt2RanksSHA256 = "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930"

    /// Path of the bundled GPT-2 ranks file, if it can be found.
    ///
    /// Looked up without `Bundle.module` (whose generated accessor traps when the bundle is missing):
    /// `$GRIST_GPT2_RANKS`, then the SwiftPM resource folder next to the running binary, then the file in
    /// the source checkout this module was built from.
    public static var gpt2RanksPath: String? {
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["GRIST_GPT2_RANKS"] { candidates.append(path) }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let binaryFolder = (executable as NSString).deletingLastPathComponent
        candidates.append(binaryFolder + "/gristmill_GristTokenize.resources/gpt2.tiktoken")
        let sourceFolder = (#filePath as NSString).deletingLastPathComponent
        candidates.append(sourceFolder + "/Resources/gpt2.tiktoken")
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }
}

private let bundledGPT2 = Result<BPEVocabulary, any Error> {
    guard let path = BPEVocabulary.gpt2RanksPath else {
        throw GristError(.io, "the bundled GPT-2 ranks file gpt2.tiktoken is missing from the GristTokenize resources",
                         hint: "keep gristmill_GristTokenize.resources next to the grist binary, or set GRIST_GPT2_RANKS")
    }
    let vocabulary = try BPEVocabulary(tiktokenFile: path)
    guard vocabulary.fileSHA256 == BPEVocabulary.gpt2RanksSHA256 else {
        throw GristError(.badFormat, "the bundled GPT-2 ranks file has SHA-256 \(vocabulary.fileSHA256), "
                            + "expected \(BPEVocabulary.gpt2RanksSHA256)",
                         at: InputPosition(path: path), hint: "the file was modified or damaged; reinstall grist")
    }
    return vocabulary
}
