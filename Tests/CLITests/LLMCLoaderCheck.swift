import Foundation

/// What llm.c's data loader checks of every shard it globs, before training starts
/// (`llmc/dataloader.h`: `dataloader_load_shard_` and `dataloader_init`), written out apart from
/// Gristmill's own reader so that a shard is judged the way llm.c judges it:
///
/// - a 256 × int32 header: magic 20240520, version 1, the token count `ntok` (`ntok > 0`);
/// - the file is exactly 256 × 4 + 2 × `ntok` bytes (uint16 tokens);
/// - `ntok ≥ num_processes × B × T + 1`: every shard holds at least one batch and its next-token targets
///   (524,289 for the GPT-2 124M recipe: B 64, T 1024, 8 processes).
enum LLMCLoaderCheck {
    /// llm.c's GPT-2 (124M) recipe: `-b 64 -t 1024` on 8 GPUs.
    static let gpt2Batch = (batch: 64, sequence: 1024, processes: 8)

    /// The reason llm.c would refuse the shard at `path` with batch B × T on `processes` processes, or nil.
    static func refusal(path: String, batch: Int, sequence: Int, processes: Int = 1) -> String? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 1024 else {
            return "\(path): cannot read a 1024-byte header"
        }
        let header = data.prefix(1024).withUnsafeBytes { raw in
            (0..<256).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) }
        }
        guard header[0] == 20240520 else { return "\(path): Bad magic in the data file" }
        guard header[1] == 1 else { return "\(path): Bad version in data file" }
        let ntok = header[2]
        guard ntok > 0 else { return "\(path): ntok is \(ntok)" }
        guard data.count == 1024 + 2 * ntok else {
            return "\(path): file size \(data.count) is not the header plus \(ntok) uint16 tokens"
        }
        let needed = processes * batch * sequence + 1
        guard ntok >= needed else { return "\(path): shard_ntok \(ntok) < num_processes * B * T + 1 = \(needed)" }
        return nil
    }
}
