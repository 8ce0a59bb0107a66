import GristCore
import GristShards
import GristTokenize

/// The vocabulary a build used, found from its manifest: the bundled GPT-2 one, the vocabulary file it
/// names, or the one it trained (recorded relative to the output folder, as `tokenizer.tiktoken`; its
/// `tokenizer.json` beside it is read instead, because it also records the pre-tokenizer pattern).
public enum BuildVocabulary {
    public static func load(for manifest: Manifest) throws -> BPEVocabulary {
        let path = try manifest.latestRun().flatMap { try manifest.tokenizer(runId: $0.id) }?.filePath
        guard let path else { return try BPEVocabulary.gpt2() }
        return try BPEVocabulary.load(recorded: path, outputFolder: FileSystem.parent(of: manifest.path))
    }
}
