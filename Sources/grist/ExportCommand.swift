import ArgumentParser
import GristCore
import GristReport
import GristTokenize
import GristTrain

extension Grist {
    struct ExportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write a checkpoint of `grist train` as a Hugging Face GPT-2 folder, with its tokenizer.",
            discussion: """
                The folder gets config.json and model.safetensors (GPT2LMHeadModel.from_pretrained loads them) \
                and the tokenizer files vocab.json, merges.txt, tokenizer.json, tokenizer_config.json and \
                special_tokens_map.json (AutoTokenizer.from_pretrained loads them, and encodes with the same ids \
                as grist). The vocabulary is the one the checkpoint's data was tokenized with, unless --vocab \
                names another of the same size. No training runs; the checkpoint is only read.
                """)

        @Option(help: "A checkpoint written by `grist train` (OUT/checkpoint.safetensors).")
        var checkpoint: String

        @Option(help: "The folder to write (created if missing; files of the same names are replaced).")
        var hfOut: String

        @Option(help: "The vocabulary to write: gpt2, a tiktoken ranks file or a tokenizer.json (default: the one the checkpoint's data was tokenized with).")
        var vocab: String?

        func run() throws {
            let export = try HuggingFaceGPT2.export(checkpoint: checkpoint, vocabulary: vocab, folder: hfOut)
            let config = export.config, vocabulary = export.vocabulary
            print("exported \(checkpoint) (step \(Format.count(export.state.step)), \(config.layers) layers, "
                + "\(config.channels) wide, context \(config.maxContext)) with its vocabulary \(export.vocabularySource) "
                + "(\(Format.count(vocabulary.count)) tokens) to \(hfOut)")
            let files = [HuggingFaceGPT2.configFile, HuggingFaceGPT2.weightsFile] + HuggingFaceTokenizerFiles.fileNames
            print(files.joined(separator: " "))
        }
    }
}
