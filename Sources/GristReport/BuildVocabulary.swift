import GristCore
import GristShards
import GristTokenize

/// The vocabulary a build used, found from its manifest: the bundled GPT-2 one, the vocabulary file it
/// names, or the one it trained (recorded relative to the output folder, as `tokenizer.tiktoken`; its
/// `tokenizer.json` beside it is read instead, because it also records the pre-tokenizer pattern).
public enum BuildVocabulary {
    public static func load(for manifest: Manifest) throws -> BPEVocabulary {
        let path = try manifest.latestRun().flatMap { try manifest.tokenizer(runId: $0.id) }?.filePath
        guard let path, !path.hasPrefix("bundled:") else { return try BPEVocabulary.gpt2() }
        if !path.hasPrefix("/") {
            let parts = manifest.path.split(separator: "/", omittingEmptySubsequences: false)
            let folder = parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
            let inFolder = FileSystem.join(folder.isEmpty ? "/" : folder, path)
            if FileSystem.exists(inFolder) {
                let json = inFolder.hasSuffix(".tiktoken") ? String(inFolder.dropLast(".tiktoken".count)) + ".json" : ""
                return try BPEVocabulary.load(!json.isEmpty && FileSystem.exists(json) ? json : inFolder)
            }
        }
        return try BPEVocabulary.load(path)
    }
}
