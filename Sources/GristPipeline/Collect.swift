#if canImport(Glibc)
import Glibc
#endif
import GristCollect
import GristCore

/// What `grist collect` did.
public struct CollectSummary: Sendable {
    public var files = 0
    public var documents = 0
    /// Bytes of document text.
    public var bytes = 0
    public var skipped: [GristError] = []
    /// Records passed over by design, by reason (WARC request records, redirects, …).
    public var filtered: [String: Int] = [:]
    /// Set when `limit` documents were written before the inputs ended.
    public var stoppedAtLimit = false
}

/// Runs one reader over files and writes what it makes of them as JSON Lines: the `collect` command.
///
/// Files are read one after another in the given order, so the output is the same on every run.
public struct Collect {
    public let source: SourceConfig
    public let files: [String]

    /// Resolves `patterns` (files, folders, globs with `**`; Hugging Face dataset folders for
    /// `format: hf_dataset`) as a pipeline's `paths` are resolved (`InputPaths`).
    /// - Throws: `GristError(.usage)` naming a pattern that matches nothing.
    public init(source: SourceConfig, patterns: [String]) throws {
        self.source = source
        var seen = Set<String>()
        var files: [String] = []
        for pattern in patterns {
            let matches = try InputPaths.expand(pattern, source: source)
            for path in matches where seen.insert(path).inserted { files.append(path) }
        }
        self.files = files
    }

    /// Reads every file and hands each document's JSON line to `write` (in chunks of about 1 MiB).
    /// Bad records are collected in the summary and shown to `warn` as they come; under
    /// `stopOnError` the first one ends the run (it is thrown).
    public func run(limit: Int? = nil, stopOnError: Bool = false, countOnly: Bool = false,
                    warn: (GristError) -> Void, write: ([UInt8]) throws -> Void) throws -> CollectSummary {
        var summary = CollectSummary()
        var out: [UInt8] = []
        out.reserveCapacity(1 << 21)
        files: for path in files {
            summary.files += 1
            do {
                var reader = try Readers.open(path: path, source: source)
                while let event = try reader.next() {
                    switch event {
                    case .document(let document):
                        summary.documents += 1
                        summary.bytes += document.text.count
                        if !countOnly {
                            DocumentJSON.append(document, to: &out)
                            if out.count >= 1 << 20 {
                                try write(out)
                                out.removeAll(keepingCapacity: true)
                            }
                        }
                        if let limit, summary.documents >= limit {
                            summary.stoppedAtLimit = true
                            merge(reader.filtered, into: &summary)
                            break files
                        }
                    case .skipped(let error):
                        summary.skipped.append(error)
                        warn(error)
                        if stopOnError {
                            if !out.isEmpty { try write(out) }
                            throw error
                        }
                    }
                }
                merge(reader.filtered, into: &summary)
            } catch let error as GristError where error.kind != .usage {
                // The file cannot be read at all (cannot open, I/O error, contents not what the name says).
                summary.skipped.append(error)
                warn(error)
                if stopOnError {
                    if !out.isEmpty { try write(out) }
                    throw error
                }
            }
        }
        if !out.isEmpty { try write(out) }
        return summary
    }

    private func merge(_ filtered: [String: Int], into summary: inout CollectSummary) {
        for (reason, count) in filtered { summary.filtered[reason, default: 0] += count }
    }
}
