import GristCore

extension BPEVocabulary {
    /// A vocabulary named on the command line or in a config: `gpt2` (bundled), a Hugging Face
    /// `tokenizer.json` (a path ending in `.json`), or else a tiktoken ranks file.
    ///
    /// A ranks file carries no pattern or special tokens. tiktoken's own files (r50k/gpt2, p50k_base,
    /// cl100k_base, o200k_base) are recognized by their SHA-256 and get tiktoken's pattern and special
    /// tokens; any other gets `pattern` (GPT-2's by default) and `<|endoftext|>` one past its largest
    /// rank. `pattern` must be nil for a `tokenizer.json`, which names its own.
    public static func load(_ spec: String, pattern: PreTokenizerPattern? = nil) throws -> BPEVocabulary {
        if spec == "gpt2" {
            guard pattern == nil || pattern == .gpt2 else {
                throw GristError(.usage, "the gpt2 vocabulary uses the gpt2 pattern")
            }
            return try gpt2()
        }
        guard FileSystem.exists(spec) else {
            throw GristError(.usage, "vocabulary file \(spec) does not exist",
                             hint: "use gpt2, a tiktoken ranks file or a tokenizer.json")
        }
        if spec.hasSuffix(".json") {
            guard pattern == nil else {
                throw GristError(.usage, "a tokenizer.json names its own pre-tokenizer pattern", at: InputPosition(path: spec),
                                 hint: "leave out the pattern option")
            }
            return try TokenizerJSON.load(path: spec, name: fileName(spec))
        }
        let file = try MappedFile(path: spec)
        let known = TiktokenEncoding.known[hexString(SHA256.digest(file.bytes))]
        return try BPEVocabulary(tiktokenContents: file.bytes, source: spec, pattern: pattern ?? known?.pattern ?? .gpt2,
                                 specialTokens: known?.specialTokens, name: known?.name ?? fileName(spec))
    }

    /// The file a build's manifest records as its vocabulary (`tokenizer.filePath`), as a path to load:
    /// nil for the bundled GPT-2 (`bundled:…`); a trained vocabulary, recorded relative to the output
    /// folder as `tokenizer.tiktoken`, by its `tokenizer.json` beside it (which also records the
    /// pre-tokenizer pattern); a file the config named, as it was given.
    public static func file(recorded path: String, outputFolder: String) -> String? {
        guard path != "bundled", !path.hasPrefix("bundled:") else { return nil }
        guard !path.hasPrefix("/") else { return path }
        let inFolder = FileSystem.join(outputFolder, path)
        guard FileSystem.exists(inFolder) else { return path }
        let json = inFolder.hasSuffix(".tiktoken") ? String(inFolder.dropLast(".tiktoken".count)) + ".json" : ""
        return !json.isEmpty && FileSystem.exists(json) ? json : inFolder
    }

    /// The vocabulary a build's manifest records (see `file(recorded:outputFolder:)`).
    public static func load(recorded path: String, outputFolder: String) throws -> BPEVocabulary {
        guard let file = file(recorded: path, outputFolder: outputFolder) else { return try gpt2() }
        return try load(file)
    }

    /// Reads a Hugging Face `tokenizer.json` of the byte-level BPE kind.
    public static func load(tokenizerJSON path: String) throws -> BPEVocabulary {
        try TokenizerJSON.load(path: path, name: fileName(path))
    }

    /// The vocabulary as a tiktoken ranks file (ids are ranks; special tokens are not part of the format).
    public var tiktokenText: String { TiktokenFile.text(of: self) }

    /// The vocabulary as a Hugging Face `tokenizer.json`.
    public var tokenizerJSONText: String { TokenizerJSON.text(of: self) }

    /// Writes `NAME.tiktoken` and `NAME.json` (atomically) in `folder`; returns their paths.
    @discardableResult
    public func save(in folder: String, name: String) throws -> (tiktoken: String, tokenizerJSON: String) {
        guard idOfRank == nil else {
            throw GristError(.usage, "the \(self.name) vocabulary's ids are not its merge ranks; it cannot be a tiktoken file")
        }
        let tiktoken = FileSystem.join(folder, name + ".tiktoken")
        let json = FileSystem.join(folder, name + ".json")
        for (path, text) in [(tiktoken, tiktokenText), (json, tokenizerJSONText)] {
            try AtomicFile.write(path: path) { writer in
                try Array(text.utf8).withUnsafeBytes { try writer.write($0) }
            }
        }
        return (tiktoken, json)
    }

    static func fileName(_ path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = last.lastIndex(of: "."), dot != last.startIndex { return String(last[..<dot]) }
        return last
    }
}

/// tiktoken's published encodings, by the SHA-256 of their ranks file (the `expected_hash` values of
/// `tiktoken_ext/openai_public.py`), with the pattern and special tokens tiktoken gives them.
enum TiktokenEncoding {
    struct Entry {
        var name: String
        var pattern: PreTokenizerPattern
        var specialTokens: [String: UInt32]
    }

    static let known: [String: Entry] = [
        "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930":
            Entry(name: "gpt2", pattern: .gpt2, specialTokens: ["<|endoftext|>": 50256]),
        "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069":
            Entry(name: "p50k_base", pattern: .gpt2, specialTokens: ["<|endoftext|>": 50256]),
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7":
            Entry(name: "cl100k_base", pattern: .cl100k, specialTokens: [
                "<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259,
                "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276]),
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d":
            Entry(name: "o200k_base", pattern: .o200k, specialTokens: ["<|endoftext|>": 199999, "<|endofprompt|>": 200018]),
    ]
}
