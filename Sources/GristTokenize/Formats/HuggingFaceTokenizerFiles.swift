import GristCore

/// The tokenizer files of a Hugging Face GPT-2 model folder, written from any byte-level
/// `BPEVocabulary`, so `AutoTokenizer.from_pretrained(FOLDER)` encodes with the same ids as grist:
///
/// - `vocab.json`: token (in GPT-2's byte alphabet, `ByteLevelAlphabet`) → id, special tokens last,
///   in id order, written as Python's `json.dumps` writes it (OpenAI's `encoder.json` for GPT-2, byte
///   for byte);
/// - `merges.txt`: `#version: 0.2`, then one merge per line in rank order (`BPEVocabulary.merges()`;
///   OpenAI's `vocab.bpe` for GPT-2, byte for byte);
/// - `tokenizer.json`: the `tokenizers` library's file (`TokenizerJSON`) with the same merges;
/// - `tokenizer_config.json`: the tokenizer class, `<|endoftext|>` as bos, eos and unk, the context
///   length as `model_max_length`, no cleanup of spaces when decoding (so text decodes back exactly);
/// - `special_tokens_map.json`.
///
/// The class is `GPT2Tokenizer` for GPT-2's pattern. That class always splits text with GPT-2's
/// pattern (transformers 5 builds its own pre-tokenizer even from a `tokenizer.json` that names
/// another, and older versions' slow class reads only vocab.json and merges.txt), so a vocabulary of
/// the cl100k or o200k pattern names `PreTrainedTokenizerFast`, which runs `tokenizer.json` as it is.
public enum HuggingFaceTokenizerFiles {
    public static let vocabFile = "vocab.json"
    public static let mergesFile = "merges.txt"
    public static let tokenizerFile = "tokenizer.json"
    public static let tokenizerConfigFile = "tokenizer_config.json"
    public static let specialTokensMapFile = "special_tokens_map.json"
    /// Every file `write` writes, in the order it writes them.
    public static let fileNames = [vocabFile, mergesFile, tokenizerFile, tokenizerConfigFile, specialTokensMapFile]

    /// The five files as `(name, contents)`, in `fileNames` order.
    /// - Parameter modelMaxLength: the model's context length, the longest input it takes.
    /// - Throws: `.badFormat` when the vocabulary has no merge list (`BPEVocabulary.merges()`).
    public static func files(_ vocabulary: BPEVocabulary, modelMaxLength: Int) throws -> [(name: String, contents: [UInt8])] {
        let merges = try vocabulary.merges()
        return [
            (vocabFile, vocabJSON(vocabulary)),
            (mergesFile, mergesText(vocabulary, merges: merges)),
            (tokenizerFile, Array(TokenizerJSON.text(of: vocabulary, merges: merges).utf8)),
            (tokenizerConfigFile, Array(tokenizerConfig(vocabulary, modelMaxLength: modelMaxLength).utf8)),
            (specialTokensMapFile, Array(specialTokensMap(vocabulary).utf8)),
        ]
    }

    /// Writes the five files into `folder` (which must exist), each atomically.
    /// - Throws: as `files`, and `.io` when a file cannot be written.
    public static func write(_ vocabulary: BPEVocabulary, folder: String, modelMaxLength: Int) throws {
        try write(files(vocabulary, modelMaxLength: modelMaxLength), folder: folder)
    }

    /// Writes files made by `files` into `folder` (which must exist), each atomically.
    public static func write(_ files: [(name: String, contents: [UInt8])], folder: String) throws {
        for file in files {
            try AtomicFile.write(path: FileSystem.join(folder, file.name)) { try $0.write(file.contents) }
        }
    }

    /// `vocab.json`: every token → its id, by increasing id, special tokens by their names, on one line
    /// as `json.dumps` writes it (`", "` and `": "` separators, non-ASCII as `\uXXXX`, no final newline).
    public static func vocabJSON(_ vocabulary: BPEVocabulary) -> [UInt8] {
        var specials = vocabulary.specialTokens[...]
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(24 * vocabulary.count)
        func entry(id: UInt32, key: (inout [UInt8]) -> Void) {
            if out.count > 1 { out.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
            out.append(UInt8(ascii: "\""))
            key(&out)
            out.append(contentsOf: "\": \(id)".utf8)
        }
        for id in 0..<UInt32(vocabulary.count) {
            let bytes = vocabulary.ordinaryBytes(id)
            if !bytes.isEmpty {
                entry(id: id) { ByteLevelAlphabet.append(bytes, to: &$0, escaping: .jsonASCII) }
            } else if let special = specials.first, special.id == id {
                specials.removeFirst()
                entry(id: id) { $0.append(contentsOf: JSONText.quotedASCII(special.name).utf8.dropFirst().dropLast()) }
            }
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `merges.txt`: the header `#version: 0.2`, then `LEFT RIGHT` per merge, each line ending in a newline.
    public static func mergesText(_ vocabulary: BPEVocabulary, merges: [BPEMerge]) -> [UInt8] {
        var out = Array("#version: 0.2\n".utf8)
        out.reserveCapacity(10 * merges.count + 16)
        for merge in merges {
            ByteLevelAlphabet.append(vocabulary.ordinaryBytes(merge.left), to: &out, escaping: .none)
            out.append(UInt8(ascii: " "))
            ByteLevelAlphabet.append(vocabulary.ordinaryBytes(merge.right), to: &out, escaping: .none)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// `tokenizer_config.json`: the tokenizer class (see the type's notes), the special tokens (every one
    /// as an added token), and the longest input.
    public static func tokenizerConfig(_ vocabulary: BPEVocabulary, modelMaxLength: Int) -> String {
        let added = vocabulary.specialTokens.map { special in
            "    \"\(special.id)\": {\"content\": \(JSONText.quoted(special.name)), \"lstrip\": false, "
                + "\"normalized\": false, \"rstrip\": false, \"single_word\": false, \"special\": true}"
        }
        let endOfText = endOfTextJSON(vocabulary)
        return """
            {
              "add_bos_token": false,
              "add_prefix_space": false,
              "added_tokens_decoder": {\(added.isEmpty ? "" : "\n" + added.joined(separator: ",\n") + "\n  ")},
              "bos_token": \(endOfText),
              "clean_up_tokenization_spaces": false,
              "eos_token": \(endOfText),
              "errors": "replace",
              "model_max_length": \(modelMaxLength),
              "pad_token": null,
              "tokenizer_class": "\(tokenizerClass(vocabulary))",
              "unk_token": \(endOfText)
            }

            """
    }

    /// `special_tokens_map.json`: `<|endoftext|>` as bos, eos and unk (empty without it).
    public static func specialTokensMap(_ vocabulary: BPEVocabulary) -> String {
        guard vocabulary.endOfText != nil else { return "{}\n" }
        let endOfText = endOfTextJSON(vocabulary)
        return "{\n  \"bos_token\": \(endOfText),\n  \"eos_token\": \(endOfText),\n  \"unk_token\": \(endOfText)\n}\n"
    }

    /// The `transformers` class that encodes the vocabulary as grist does (see the type's notes).
    public static func tokenizerClass(_ vocabulary: BPEVocabulary) -> String {
        vocabulary.pattern == .gpt2 ? "GPT2Tokenizer" : "PreTrainedTokenizerFast"
    }

    private static func endOfTextJSON(_ vocabulary: BPEVocabulary) -> String {
        vocabulary.endOfText == nil ? "null" : JSONText.quoted("<|endoftext|>")
    }
}
