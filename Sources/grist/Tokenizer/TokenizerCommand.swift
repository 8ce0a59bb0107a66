import ArgumentParser
import Foundation
import GristCore
import GristTokenize

extension Grist {
    /// `grist tokenizer …`: train a vocabulary, encode, decode and count tokens.
    struct TokenizerCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tokenizer",
            abstract: "Train a BPE vocabulary; encode, decode and count tokens.",
            subcommands: [Train.self, Encode.self, Decode.self, Count.self])
    }
}

/// The vocabulary choice shared by the tokenizer subcommands.
struct VocabularyOption: ParsableArguments {
    @Option(name: .long, help: "gpt2 (bundled), a tiktoken ranks file, or a Hugging Face tokenizer.json.")
    var vocab: String = "gpt2"

    @Option(help: "Pre-tokenizer pattern of a ranks file: gpt2, cl100k or o200k (default: tiktoken's for its own files, else gpt2).")
    var pattern: PreTokenizerPattern?

    func load() throws -> BPEVocabulary { try BPEVocabulary.load(vocab, pattern: pattern) }
}

extension PreTokenizerPattern: ExpressibleByArgument {}

/// Whole inputs of the tokenizer commands: a file (memory-mapped) or standard input.
enum CommandInput {
    /// Runs `body` on the bytes of `path` (or stdin when nil or `-`); the label names the input in errors.
    static func withBytes<R>(_ path: String?, _ body: (UnsafeRawBufferPointer, String) throws -> R) throws -> R {
        if let path, path != "-" {
            let file = try MappedFile(path: path)
            return try body(file.bytes, path)
        }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try FileDescriptor.standardInput.read(into: $0) }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        return try data.withUnsafeBytes { try body($0, "<stdin>") }
    }

    /// Reads standard input in chunks of about 4 MB, each cut after its last line end (a line longer
    /// than that is cut where the chunk is full), and stops after `maxBytes`.
    static func forEachChunk(maxBytes: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let size = 4 << 20
        var buffer = [UInt8](repeating: 0, count: size)
        var filled = 0
        var total = 0
        var warned = false
        var atEnd = false
        while !atEnd, total < maxBytes {
            let n = try buffer.withUnsafeMutableBytes { raw in
                try FileDescriptor.standardInput.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
            }
            atEnd = n == 0
            filled += n
            guard filled == size || atEnd else { continue }
            var cut = filled
            if !atEnd, let newline = buffer[0..<filled].lastIndex(of: UInt8(ascii: "\n")) { cut = newline + 1 }
            cut = min(cut, maxBytes - total)
            try buffer.withUnsafeBytes { raw in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<cut])
                if !warned, let offset = UTF8Check.firstInvalid(in: chunk) {
                    Console.warning("<stdin> (byte \(total + offset)): not valid UTF-8; invalid bytes are encoded one "
                        + "byte per token and decode back exactly")
                    warned = true
                }
                try body(chunk)
            }
            total += cut
            buffer.replaceSubrange(0..<filled, with: buffer[cut..<filled] + [UInt8](repeating: 0, count: cut))
            filled -= cut
        }
    }

    /// Warns once if `bytes` is not valid UTF-8 (it is still encoded, byte by byte, and decodes back exactly).
    static func warnIfNotUTF8(_ bytes: UnsafeRawBufferPointer, source: String) {
        guard let offset = UTF8Check.firstInvalid(in: bytes) else { return }
        Console.warning("\(source) (byte \(offset)): not valid UTF-8; invalid bytes are encoded one byte per token "
            + "and decode back exactly")
    }
}
