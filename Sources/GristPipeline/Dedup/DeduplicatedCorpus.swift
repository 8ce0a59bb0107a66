import GristCollect
import GristCore

#if canImport(Glibc)
import Glibc
#endif

/// `grist dedup --write DIR`: the deduplicated corpus, one file per input file, `DIR/NAME` for input
/// `…/NAME`, compressed as the input is (the name says how: `.gz`, `.zst`, `.bz2` or plain).
///
/// Each output holds the input's records that are not dropped duplicates (documents without duplicates
/// and the kept member of each cluster), in input order, each line exactly as it was (all its fields,
/// a `\r` it ended with, a byte order mark on the first line) followed by a newline. Records the reader
/// skipped (not JSON, no text field) are left out. Each file is written under a temporary name and
/// renamed into place when whole.
struct DeduplicatedCorpus: Sendable {
    let inputs: [String]
    /// Where each input's deduplicated records go.
    let outputs: [String]

    /// Plans the outputs of `inputs` in `folder`, refusing (before any work) two inputs with the same
    /// file name and an output that would replace its own input.
    init(inputs: [String], folder: String) throws {
        var byName: [String: String] = [:]
        var outputs: [String] = []
        for input in inputs {
            let name = input.split(separator: "/").last.map(String.init) ?? input
            if let other = byName[name] {
                throw GristError(.usage, "--write puts every input's records in \(FileSystem.join(folder, name)), "
                    + "and two inputs are named \(name): \(other) and \(input)", at: InputPosition(path: input),
                    hint: "give inputs with different file names, or deduplicate them in separate runs")
            }
            byName[name] = input
            let output = FileSystem.join(folder, name)
            if let real = Self.realPath(output), real == Self.realPath(input) {
                throw GristError(.usage, "--write \(folder) would replace the input file itself",
                                 at: InputPosition(path: input), hint: "write the deduplicated files to another folder")
            }
            outputs.append(output)
        }
        if FileSystem.exists(folder), !FileSystem.isDirectory(folder) {
            throw GristError(.usage, "--write needs a folder, and this is a file", at: InputPosition(path: folder))
        }
        self.inputs = inputs
        self.outputs = outputs
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What writing did: documents written and left out (duplicates), over all files.
    struct Written: Sendable {
        var documents = 0
        var duplicates = 0
    }

    /// Writes every output (one file per worker at a time), reading each input again with `jsonl`: its
    /// documents come in the order they were numbered when sketched (`counts[i]` of file `i`, numbered
    /// after the files before it); those `dropped` says are left out.
    func write(jsonl: JSONLReaderOptions, counts: [Int], dropped: DocumentSet, workers: Int) throws -> Written {
        precondition(counts.count == inputs.count, "one count per input")
        if let folder = outputs.first.map(FileSystem.parent(of:)) { try FileSystem.createDirectory(folder) }
        var firsts = [0]
        for count in counts { firsts.append((firsts.last ?? 0) + count) }
        let inputs = inputs, outputs = outputs, starts = firsts
        let results = Parallel.map(items: inputs.count, workers: workers, makeState: {}) { index, _ in
            Result {
                try Self.copy(inputs[index], to: outputs[index], jsonl: jsonl, first: starts[index],
                              count: counts[index], dropped: dropped)
            }
        }
        var total = Written()
        for result in results {
            let written = try result.get()
            total.documents += written.documents
            total.duplicates += written.duplicates
        }
        return total
    }

    private static func copy(_ input: String, to output: String, jsonl: JSONLReaderOptions, first: Int, count: Int,
                             dropped: DocumentSet) throws -> Written {
        var reader = try JSONLReader(path: input, options: jsonl)
        let writer = try CompressedFileWriter(path: output)
        var written = Written(), document = first
        while let event = try reader.next() {
            guard case .document = event else { continue }
            if document >= first + count {
                // More documents than were sketched: reported below.
            } else if dropped.contains(document) {
                written.duplicates += 1
            } else {
                try reader.withCurrentLine { try writer.write($0) }
                try writer.write(newline)
                written.documents += 1
            }
            document += 1
        }
        guard document == first + count else {
            throw GristError(.mismatch, "the file holds \(document - first) documents now, \(count) when it was "
                + "sketched: it changed during the run", at: InputPosition(path: input),
                hint: "run grist dedup again on files that do not change")
        }
        try writer.finish()
        return written
    }

    private static let newline: [UInt8] = [0x0A]
}
