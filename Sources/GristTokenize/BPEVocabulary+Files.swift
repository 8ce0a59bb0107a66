import GristCore

extension BPEVocabulary {
    /// A vocabulary named on the command line or in a config: `gpt2` (bundled), a Hugging Face
    /// `tokenizer.json` (a path ending in `.json`), or else a tiktoken ranks file.
    public static func load(_ spec: String) throws -> BPEVocabulary {
        if spec == "gpt2" { return try gpt2() }
        guard FileSystem.exists(spec) else {
            throw GristError(.usage, "vocabulary file \(spec) does not exist",
                             hint: "use gpt2, a tiktoken ranks file or a tokenizer.json")
        }
        if spec.hasSuffix(".json") { return try TokenizerJSON.load(path: spec, name: fileName(spec)) }
        return try BPEVocabulary(tiktokenFile: spec, name: fileName(spec))
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
