import GristCore
import GristShards
import GristTokenize

/// The vocabulary a build used, found from its manifest: the bundled GPT-2 one, or the ranks file it names.
public enum BuildVocabulary {
    public static func load(for manifest: Manifest) throws -> BPEVocabulary {
        let path = try manifest.database.scalar("SELECT filePath FROM tokenizer LIMIT 1")?.string
        guard let path, !path.hasPrefix("bundled:") else { return try BPEVocabulary.gpt2() }
        return try BPEVocabulary(tiktokenFile: path)
    }
}
