import Foundation
import GristCore

/// Hugging Face `tokenizer.json` files of the byte-level BPE kind (GPT-2's, and the ones
/// `BPETrainer` writes): read into a `BPEVocabulary`, and written from one.
///
/// Accepted: `model.type` `BPE` without dropout, unknown token, subword prefix/suffix or byte fallback;
/// no normalizer; a pre-tokenizer that is `ByteLevel` (`use_regex: true`, no prefix space) or a
/// `Sequence` of `Split` (a pattern `PreTokenizerPattern` implements, `Isolated`) and
/// `ByteLevel` (`use_regex: false`). Every other shape is rejected with the entry that does not fit,
/// rather than encoded differently from the `tokenizers` library.
///
/// Ranks: single-byte tokens first (by id), then each merged token in the order of the first merge
/// that makes it. Merging by the rank of the concatenation (tiktoken's rule) then gives the same ids as
/// the merge list on the text checked by `scripts/tokenizer/check_hf_tokenizer.py`.
enum TokenizerJSON {
    static func load(path: String, name: String? = nil) throws -> BPEVocabulary {
        let file = try MappedFile(path: path)
        let data = Data(file.bytes)
        return try load(data: data, source: path, fileSHA256: hexString(SHA256.digest(file.bytes)), name: name)
    }

    static func load(data: Data, source: String, fileSHA256: String, name: String? = nil) throws -> BPEVocabulary {
        func fail(_ entry: String, _ message: String) -> GristError {
            GristError(.badFormat, "tokenizer.json: \(entry): \(message)", at: InputPosition(path: source),
                       hint: "only byte-level BPE tokenizers (GPT-2 style) are supported")
        }
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw fail("(top level)", "expected a JSON object")
            }
            root = object
        } catch let error as GristError {
            throw error
        } catch {
            throw GristError(.badFormat, "tokenizer.json is not valid JSON: \(error.localizedDescription)",
                             at: InputPosition(path: source))
        }
        guard let model = root["model"] as? [String: Any] else { throw fail("model", "missing or not an object") }
        guard model["type"] as? String == "BPE" else {
            throw fail("model.type", "expected \"BPE\", got \(describe(model["type"]))")
        }
        for key in ["dropout", "unk_token"] where !isNull(model[key]) {
            throw fail("model.\(key)", "expected null, got \(describe(model[key]))")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] where !isNull(model[key]) {
            guard model[key] as? String == "" else { throw fail("model.\(key)", "expected null or \"\", got \(describe(model[key]))") }
        }
        for key in ["byte_fallback", "fuse_unk"] where model[key] as? Bool == true {
            throw fail("model.\(key)", "expected false")
        }
        if !isNull(root["normalizer"]) { throw fail("normalizer", "expected null, got \(describe(root["normalizer"]))") }
        let pattern = try preTokenizerPattern(root["pre_tokenizer"], fail: fail)

        // Added tokens are special tokens (matched before pre-tokenization when allowed).
        var specials: [(String, UInt32)] = []
        var specialIds = Set<UInt32>()
        if let added = root["added_tokens"], !isNull(added) {
            guard let list = added as? [[String: Any]] else { throw fail("added_tokens", "expected a list of objects") }
            for (index, token) in list.enumerated() {
                guard let content = token["content"] as? String, !content.isEmpty,
                      let id = (token["id"] as? NSNumber).flatMap({ UInt32(exactly: $0.doubleValue) }) else {
                    throw fail("added_tokens[\(index)]", "expected \"id\" (a token id) and a non-empty \"content\"")
                }
                specials.append((content, id))
                specialIds.insert(id)
            }
        }

        guard let vocab = model["vocab"] as? [String: Any] else { throw fail("model.vocab", "missing or not an object") }
        var bytesOfId: [UInt32: [UInt8]] = [:]
        var idOfBytes: [[UInt8]: UInt32] = [:]
        for key in vocab.keys.sorted() {
            guard let number = vocab[key] as? NSNumber, let id = UInt32(exactly: number.doubleValue),
                  id < UInt32(Int32.max) else {
                throw fail("model.vocab[\(key.debugDescription)]", "expected a token id, got \(describe(vocab[key]))")
            }
            if specialIds.contains(id) { continue }  // GPT-2 lists <|endoftext|> in both places
            guard let bytes = ByteLevelAlphabet.decode(key), !bytes.isEmpty else {
                throw fail("model.vocab[\(key.debugDescription)]", "not a byte-level token (a character outside GPT-2's byte alphabet)")
            }
            if let other = bytesOfId[id] {
                throw fail("model.vocab[\(key.debugDescription)]", "id \(id) is also used by \(ByteLevelAlphabet.encode(other).debugDescription)")
            }
            bytesOfId[id] = bytes
            idOfBytes[bytes] = id
        }
        for byte in 0...255 where idOfBytes[[UInt8(byte)]] == nil {
            throw fail("model.vocab", "no token for the single byte \(byte) (\(ByteLevelAlphabet.encode([UInt8(byte)]).debugDescription))")
        }

        guard let merges = model["merges"] as? [Any] else { throw fail("model.merges", "missing or not a list") }
        var rankOfBytes: [[UInt8]: UInt32] = [:]
        var entries: [(bytes: ArraySlice<UInt8>, rank: UInt32)] = []
        var idOfRank: [UInt32] = []
        func addRank(_ bytes: [UInt8]) {
            guard rankOfBytes[bytes] == nil, let id = idOfBytes[bytes] else { return }
            let rank = UInt32(entries.count)
            rankOfBytes[bytes] = rank
            entries.append((bytes[...], rank))
            idOfRank.append(id)
        }
        for (_, bytes) in bytesOfId.sorted(by: { $0.key < $1.key }) where bytes.count == 1 { addRank(bytes) }
        for (index, merge) in merges.enumerated() {
            let parts: [String]
            if let text = merge as? String {
                parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else if let pair = merge as? [String] {
                parts = pair
            } else {
                throw fail("model.merges[\(index)]", "expected \"A B\" or [\"A\", \"B\"], got \(describe(merge))")
            }
            guard parts.count == 2, let left = ByteLevelAlphabet.decode(parts[0]),
                  let right = ByteLevelAlphabet.decode(parts[1]) else {
                throw fail("model.merges[\(index)]", "expected two byte-level tokens, got \(describe(merge))")
            }
            for part in [left, right] where idOfBytes[part] == nil {
                throw fail("model.merges[\(index)]", "\(ByteLevelAlphabet.encode(part).debugDescription) is not in model.vocab")
            }
            let joined = left + right
            guard idOfBytes[joined] != nil else {
                throw fail("model.merges[\(index)]", "the merge makes \(ByteLevelAlphabet.encode(joined).debugDescription), which is not in model.vocab")
            }
            addRank(joined)
        }
        for (id, bytes) in bytesOfId.sorted(by: { $0.key < $1.key }) where rankOfBytes[bytes] == nil {
            throw fail("model.vocab[\(ByteLevelAlphabet.encode(bytes).debugDescription)]",
                       "token \(id) is neither a single byte nor made by any merge")
        }
        let identity = idOfRank.enumerated().allSatisfy { UInt32($0.offset) == $0.element }
        return try BPEVocabulary(entries: entries, idOfRank: identity ? nil : idOfRank, specialTokens: specials,
                                 pattern: pattern, name: name ?? "tokenizer.json", fileSHA256: fileSHA256,
                                 source: source)
    }

    private static func preTokenizerPattern(_ value: Any?, fail: (String, String) -> GristError) throws -> PreTokenizerPattern {
        guard let object = value as? [String: Any] else {
            throw fail("pre_tokenizer", "expected a ByteLevel pre-tokenizer, got \(describe(value))")
        }
        switch object["type"] as? String {
        case "ByteLevel":
            guard object["add_prefix_space"] as? Bool != true else { throw fail("pre_tokenizer.add_prefix_space", "expected false") }
            guard object["use_regex"] as? Bool != false else {
                throw fail("pre_tokenizer.use_regex", "expected true (or a Split pre-tokenizer before ByteLevel)")
            }
            return .gpt2
        case "Sequence":
            guard let steps = object["pretokenizers"] as? [[String: Any]], steps.count == 2,
                  steps[0]["type"] as? String == "Split", steps[1]["type"] as? String == "ByteLevel" else {
                throw fail("pre_tokenizer.pretokenizers", "expected [Split, ByteLevel]")
            }
            let split = steps[0]
            guard let regex = (split["pattern"] as? [String: Any])?["Regex"] as? String else {
                throw fail("pre_tokenizer.pretokenizers[0].pattern", "expected {\"Regex\": …}")
            }
            guard let pattern = PreTokenizerPattern(regex: regex) else {
                throw fail("pre_tokenizer.pretokenizers[0].pattern.Regex",
                           "unsupported pattern \(regex.debugDescription); supported: "
                               + PreTokenizerPattern.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard split["behavior"] as? String == "Isolated", split["invert"] as? Bool != true else {
                throw fail("pre_tokenizer.pretokenizers[0]", "expected behavior \"Isolated\" and invert false")
            }
            guard steps[1]["use_regex"] as? Bool == false, steps[1]["add_prefix_space"] as? Bool != true else {
                throw fail("pre_tokenizer.pretokenizers[1]", "expected ByteLevel with use_regex false, add_prefix_space false")
            }
            return pattern
        default:
            throw fail("pre_tokenizer.type", "expected ByteLevel or Sequence, got \(describe(object["type"]))")
        }
    }

    private static func isNull(_ value: Any?) -> Bool { value == nil || value is NSNull }

    private static func describe(_ value: Any?) -> String {
        guard let value, !(value is NSNull) else { return "null" }
        let text = "\(value)"
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }

    // MARK: - Writing

    /// `vocabulary` as a `tokenizer.json` the `tokenizers` library loads and encodes with the same ids.
    ///
    /// The merge list is `merges` when given (`BPEVocabulary.merges()`: one per token, as Hugging Face's
    /// own files have it); else, for each ordinary token by rank, every split into two tokens (the one
    /// the trainer made first), so the merge list admits every pair tiktoken's rule would merge.
    static func text(of vocabulary: BPEVocabulary, merges: [BPEMerge]? = nil) -> String {
        let tokens = vocabulary.ordinaryTokens
        var out = "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": ["
        for (index, special) in vocabulary.specialTokens.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "    {\"id\": \(special.id), \"content\": \(JSONText.quoted(special.name)), \"single_word\": false, "
                + "\"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}"
        }
        out += vocabulary.specialTokens.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"normalizer\": null,\n"
        switch vocabulary.pattern {
        case .gpt2:
            out += "  \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true},\n"
        case .cl100k, .o200k:
            out += "  \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [\n"
            out += "    {\"type\": \"Split\", \"pattern\": {\"Regex\": \(JSONText.quoted(vocabulary.pattern.huggingFaceRegex))}, "
                + "\"behavior\": \"Isolated\", \"invert\": false},\n"
            out += "    {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": false}]},\n"
        }
        out += "  \"post_processor\": null,\n"
        out += "  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true},\n"
        out += "  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": null,\n"
        out += "    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n    \"fuse_unk\": false,\n"
        out += "    \"byte_fallback\": false,\n    \"ignore_merges\": false,\n    \"vocab\": {"
        for (index, token) in tokens.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "      \(JSONText.quoted(ByteLevelAlphabet.encode(token.bytes))): \(token.id)"
        }
        out += "\n    },\n    \"merges\": ["
        var first = true
        for merge in merges ?? [] {
            out += first ? "\n      " : ",\n      "
            first = false
            out += JSONText.quoted(ByteLevelAlphabet.encode(vocabulary.ordinaryBytes(merge.left)) + " "
                                   + ByteLevelAlphabet.encode(vocabulary.ordinaryBytes(merge.right)))
        }
        for token in tokens where merges == nil && token.bytes.count > 1 {
            for split in 1..<token.bytes.count {
                let left = Array(token.bytes[..<split]), right = Array(token.bytes[split...])
                guard let leftId = vocabulary.id(of: left), let rightId = vocabulary.id(of: right),
                      leftId != token.id, rightId != token.id else { continue }
                out += first ? "\n" : ",\n"
                first = false
                out += "      " + JSONText.quoted(ByteLevelAlphabet.encode(left) + " " + ByteLevelAlphabet.encode(right))
            }
        }
        out += "\n    ]\n  }\n}\n"
        return out
    }
}
