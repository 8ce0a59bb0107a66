import Foundation
import GristCore
import GristTokenize

/// Import and export of GPT-2 weights in a Hugging Face model folder (`config.json` +
/// `model.safetensors`), so training can start from pretrained weights and our models load in
/// `transformers`' `GPT2LMHeadModel.from_pretrained`.
///
/// Hugging Face's GPT-2 uses `Conv1D` layers, whose weights are stored (in, out): they are transposed
/// to our (out, in). The output head is tied to `wte`; a separate `lm_head.weight` must equal it.
public enum HuggingFaceGPT2 {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"

    /// Reads the model shape from `folder/config.json`, refusing variants this trainer does not implement.
    public static func loadConfig(folder: String) throws -> GPTConfig {
        let path = FileSystem.join(folder, configFile)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GristError(.io, "cannot read the model config", at: InputPosition(path: path),
                             hint: "a Hugging Face GPT-2 folder holds config.json and model.safetensors")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw GristError(.badFormat, "not a JSON object", at: InputPosition(path: path))
        }
        func integer(_ key: String, or alternative: String? = nil) throws -> Int {
            if let value = json[key] as? Int { return value }
            if let alternative, let value = json[alternative] as? Int { return value }
            throw GristError(.badFormat, "missing integer \"\(key)\"", at: InputPosition(path: path))
        }
        if let type = json["model_type"] as? String, type != "gpt2" {
            throw GristError(.badFormat, "model_type is \"\(type)\", not \"gpt2\"", at: InputPosition(path: path))
        }
        let activation = json["activation_function"] as? String ?? "gelu_new"
        guard ["gelu_new", "gelu_pytorch_tanh"].contains(activation) else {
            throw GristError(.badFormat, "activation_function \"\(activation)\" is not GPT-2's tanh GELU",
                             at: InputPosition(path: path))
        }
        if let epsilon = json["layer_norm_epsilon"] as? Double, abs(epsilon - Double(LayerNorm.epsilon)) > 1e-12 {
            throw GristError(.badFormat, "layer_norm_epsilon \(epsilon) differs from GPT-2's 1e-5", at: InputPosition(path: path))
        }
        for (key, expected) in [("scale_attn_weights", true), ("scale_attn_by_inverse_layer_idx", false),
                                ("tie_word_embeddings", true)] {
            if let value = json[key] as? Bool, value != expected {
                throw GristError(.badFormat, "\(key) = \(value) is not supported", at: InputPosition(path: path))
            }
        }
        if let inner = json["n_inner"] as? Int, inner != 4 * (try integer("n_embd")) {
            throw GristError(.badFormat, "n_inner \(inner) is not 4 × n_embd", at: InputPosition(path: path))
        }
        let config = GPTConfig(layers: try integer("n_layer"), heads: try integer("n_head"), channels: try integer("n_embd"),
                               maxContext: try integer("n_positions", or: "n_ctx"), vocabularySize: try integer("vocab_size"))
        if let problem = config.problems.first {
            throw GristError(.badFormat, problem, at: InputPosition(path: path))
        }
        return config
    }

    /// A model with the weights of a Hugging Face GPT-2 folder.
    public static func load(folder: String, parallel: Parallelism = .serial) throws -> GPT {
        let config = try loadConfig(folder: folder)
        let model = GPT(config: config, parallel: parallel)
        try read(openWeights(folder: folder), into: model)
        return model
    }

    /// The folder's `model.safetensors`; a folder with only PyTorch's pickled weights is told how to convert.
    static func openWeights(folder: String) throws -> SafetensorsFile {
        let path = FileSystem.join(folder, weightsFile)
        if !FileSystem.exists(path), FileSystem.exists(FileSystem.join(folder, "pytorch_model.bin")) {
            throw GristError(.badFormat, "only safetensors weights are supported, and this folder has only pytorch_model.bin",
                             at: InputPosition(path: folder),
                             hint: "convert it with transformers: GPT2LMHeadModel.from_pretrained(FOLDER)"
                                + ".save_pretrained(FOLDER, safe_serialization=True)")
        }
        return try SafetensorsFile(path: path)
    }

    static func read(_ file: SafetensorsFile, into model: GPT) throws {
        let config = model.config, c = config.channels
        let prefix = file.tensors.keys.contains("transformer.wte.weight") ? "transformer." : ""
        let p = model.views
        var used: Set<String> = []
        func load(_ name: String, _ shape: [Int], into destination: UnsafeMutablePointer<Float>, transpose: Bool = false) throws {
            let key = prefix + name
            used.insert(key)
            if transpose {
                var scratch = [Float](repeating: 0, count: shape.reduce(1, *))
                try scratch.withUnsafeMutableBufferPointer { try file.read(key, into: $0.baseAddress!, expectedShape: shape) }
                let rows = shape[0], columns = shape[1]
                for i in 0..<rows { for j in 0..<columns { destination[j * rows + i] = scratch[i * columns + j] } }
            } else {
                try file.read(key, into: destination, expectedShape: shape)
            }
        }
        model.parameters.zero()
        try load("wte.weight", [config.vocabularySize, c], into: p.wte)
        try load("wpe.weight", [config.maxContext, c], into: p.wpe)
        for l in 0..<config.layers {
            let h = "h.\(l)."
            try load(h + "ln_1.weight", [c], into: p.ln1w + l * c)
            try load(h + "ln_1.bias", [c], into: p.ln1b + l * c)
            try load(h + "attn.c_attn.weight", [c, 3 * c], into: p.qkvw + l * 3 * c * c, transpose: true)
            try load(h + "attn.c_attn.bias", [3 * c], into: p.qkvb + l * 3 * c)
            try load(h + "attn.c_proj.weight", [c, c], into: p.attprojw + l * c * c, transpose: true)
            try load(h + "attn.c_proj.bias", [c], into: p.attprojb + l * c)
            try load(h + "ln_2.weight", [c], into: p.ln2w + l * c)
            try load(h + "ln_2.bias", [c], into: p.ln2b + l * c)
            try load(h + "mlp.c_fc.weight", [c, 4 * c], into: p.fcw + l * 4 * c * c, transpose: true)
            try load(h + "mlp.c_fc.bias", [4 * c], into: p.fcb + l * 4 * c)
            try load(h + "mlp.c_proj.weight", [4 * c, c], into: p.fcprojw + l * 4 * c * c, transpose: true)
            try load(h + "mlp.c_proj.bias", [c], into: p.fcprojb + l * c)
        }
        try load("ln_f.weight", [c], into: p.lnfw)
        try load("ln_f.bias", [c], into: p.lnfb)
        if let head = file.tensors["lm_head.weight"] {
            used.insert("lm_head.weight")
            let values = try file.floats("lm_head.weight")
            let tied = head.shape == [config.vocabularySize, c]
                && values.indices.allSatisfy { values[$0] == p.wte[$0] }
            if !tied {
                throw GristError(.badFormat, "lm_head.weight differs from wte.weight; only tied output heads are supported",
                                 at: InputPosition(path: file.path))
            }
        }
        let unknown = file.tensors.keys.filter { key in
            !used.contains(key) && !key.hasSuffix(".attn.bias") && !key.hasSuffix(".attn.masked_bias")
        }.sorted()
        if let first = unknown.first {
            throw GristError(.badFormat, "unexpected tensor \"\(first)\" (\(unknown.count) unexpected in all) for GPT-2",
                             at: InputPosition(path: file.path))
        }
    }

    /// Writes `model` as a Hugging Face GPT-2 folder (created if missing), as `save_pretrained` does:
    /// `transformer.`-prefixed names, Conv1D (in, out) weights, the head tied to `wte`; with
    /// `vocabulary`, also its tokenizer files (`HuggingFaceTokenizerFiles`), so `AutoTokenizer` and
    /// `GPT2LMHeadModel` load the folder together. Every file is written atomically, `config.json` last.
    /// - Throws: `.mismatch` when the vocabulary's size is not the model's, `.badFormat` when it has no
    ///   merge list (`BPEVocabulary.merges()`); nothing is written then.
    public static func save(_ model: GPT, vocabulary: BPEVocabulary? = nil, folder: String) throws {
        let config = model.config, c = config.channels
        if let vocabulary, vocabulary.count != config.vocabularySize {
            throw GristError(.mismatch, "the model's vocabulary has \(config.vocabularySize) tokens, "
                             + "the tokenizer \(vocabulary.name) \(vocabulary.count)",
                             at: InputPosition(path: folder), hint: "give the vocabulary the model was trained with")
        }
        let tokenizerFiles = try vocabulary.map { try HuggingFaceTokenizerFiles.files($0, modelMaxLength: config.maxContext) }
        try FileSystem.createDirectory(folder)
        if let tokenizerFiles { try HuggingFaceTokenizerFiles.write(tokenizerFiles, folder: folder) }
        let p = model.views
        var storage: [[Float]] = []
        var shapes: [(String, [Int])] = []
        func add(_ name: String, _ shape: [Int], from source: UnsafeMutablePointer<Float>, transposeFrom: [Int]? = nil) {
            var values = [Float](repeating: 0, count: shape.reduce(1, *))
            if let ours = transposeFrom {  // ours is (out, in) = shape reversed
                let rows = ours[0], columns = ours[1]
                for i in 0..<rows { for j in 0..<columns { values[j * rows + i] = source[i * columns + j] } }
            } else {
                for i in values.indices { values[i] = source[i] }
            }
            storage.append(values)
            shapes.append(("transformer." + name, shape))
        }
        add("wte.weight", [config.vocabularySize, c], from: p.wte)
        add("wpe.weight", [config.maxContext, c], from: p.wpe)
        let zeros = [Float](repeating: 0, count: 3 * c)
        for l in 0..<config.layers {
            let h = "h.\(l)."
            add(h + "ln_1.weight", [c], from: p.ln1w + l * c)
            add(h + "ln_1.bias", [c], from: p.ln1b + l * c)
            add(h + "attn.c_attn.weight", [c, 3 * c], from: p.qkvw + l * 3 * c * c, transposeFrom: [3 * c, c])
            if config.qkvBias {
                add(h + "attn.c_attn.bias", [3 * c], from: p.qkvb + l * 3 * c)
            } else {
                storage.append(zeros)
                shapes.append(("transformer." + h + "attn.c_attn.bias", [3 * c]))
            }
            add(h + "attn.c_proj.weight", [c, c], from: p.attprojw + l * c * c, transposeFrom: [c, c])
            add(h + "attn.c_proj.bias", [c], from: p.attprojb + l * c)
            add(h + "ln_2.weight", [c], from: p.ln2w + l * c)
            add(h + "ln_2.bias", [c], from: p.ln2b + l * c)
            add(h + "mlp.c_fc.weight", [c, 4 * c], from: p.fcw + l * 4 * c * c, transposeFrom: [4 * c, c])
            add(h + "mlp.c_fc.bias", [4 * c], from: p.fcb + l * 4 * c)
            add(h + "mlp.c_proj.weight", [4 * c, c], from: p.fcprojw + l * 4 * c * c, transposeFrom: [c, 4 * c])
            add(h + "mlp.c_proj.bias", [c], from: p.fcprojb + l * c)
        }
        add("ln_f.weight", [c], from: p.lnfw)
        add("ln_f.bias", [c], from: p.lnfb)
        try withBuffers(storage) { buffers in
            let entries = zip(shapes, buffers).map { SafetensorsWriter.Entry(name: $0.0.0, shape: $0.0.1, data: $0.1) }
            try SafetensorsWriter.write(path: FileSystem.join(folder, weightsFile), entries: entries,
                                        metadata: ["format": "pt"])
        }
        // Without a vocabulary, a model of GPT-2's vocabulary size is taken to read GPT-2's ids.
        let endOfTextId = vocabulary.map(\.endOfText) ?? (config.vocabularySize == 50257 ? 50256 : nil)
        let endOfText = endOfTextId.map { String($0) } ?? "null"
        let configJSON = """
            {
              "architectures": ["GPT2LMHeadModel"],
              "model_type": "gpt2",
              "activation_function": "gelu_new",
              "n_layer": \(config.layers),
              "n_head": \(config.heads),
              "n_embd": \(c),
              "n_positions": \(config.maxContext),
              "n_ctx": \(config.maxContext),
              "vocab_size": \(config.vocabularySize),
              "layer_norm_epsilon": 1e-05,
              "initializer_range": 0.02,
              "resid_pdrop": \(config.dropout),
              "embd_pdrop": \(config.dropout),
              "attn_pdrop": 0.0,
              "scale_attn_weights": true,
              "scale_attn_by_inverse_layer_idx": false,
              "tie_word_embeddings": true,
              "bos_token_id": \(endOfText),
              "eos_token_id": \(endOfText),
              "torch_dtype": "float32"
            }

            """
        try AtomicFile.write(path: FileSystem.join(folder, configFile)) { try $0.write(Array(configJSON.utf8)) }
    }
}

/// Runs `body` with stable buffer pointers to every array of `arrays`.
func withBuffers<R>(_ arrays: [[Float]], _ body: ([UnsafeBufferPointer<Float>]) throws -> R) rethrows -> R {
    var pointers: [UnsafeBufferPointer<Float>] = []
    func recurse(_ index: Int) throws -> R {
        if index == arrays.count { return try body(pointers) }
        return try arrays[index].withUnsafeBufferPointer { buffer in
            pointers.append(buffer)
            defer { pointers.removeLast() }
            return try recurse(index + 1)
        }
    }
    return try recurse(0)
}

extension HuggingFaceGPT2 {
    /// What `export(checkpoint:vocabulary:folder:)` wrote.
    public struct Export: Sendable {
        public var config: GPTConfig
        public var state: TrainingState
        public var vocabulary: BPEVocabulary
        /// Where the vocabulary came from: the file given or recorded, or `gpt2` for the bundled one.
        public var vocabularySource: String
    }

    /// Writes a checkpoint of `grist train` as a Hugging Face GPT-2 folder with its tokenizer files:
    /// the vocabulary its data was tokenized with (the file the checkpoint records; GPT-2's for a
    /// checkpoint that records none), or `vocabulary` (`gpt2`, a tiktoken ranks file or a
    /// `tokenizer.json`), checked against the recorded size and `<|endoftext|>`.
    /// - Throws: `.usage` when the checkpoint or the recorded vocabulary file is missing, `.badFormat`
    ///   for a file that is not a checkpoint or a vocabulary, `.mismatch` for a vocabulary of another size.
    public static func export(checkpoint path: String, vocabulary: String? = nil, folder: String) throws -> Export {
        guard FileSystem.exists(path) else {
            throw GristError(.usage, "the checkpoint \(path) does not exist",
                             hint: "`grist train` writes OUT/checkpoint.safetensors (OUT defaults to DATA/train)")
        }
        let (model, state) = try TrainingCheckpoint.loadModel(path: path, parallel: .serial)
        let loaded = try state.tokenizer?.load(vocabulary) ?? BPEVocabulary.load(vocabulary ?? "gpt2")
        try save(model, vocabulary: loaded, folder: folder)
        return Export(config: model.config, state: state, vocabulary: loaded,
                      vocabularySource: vocabulary ?? state.tokenizer?.file ?? "gpt2")
    }
}
