import GristCore

/// How a source's `paths` become input files, for `grist build` and `grist collect` alike: a folder is
/// read whole (every file below it), a pattern with wildcards is a glob (`**` for any depth), anything
/// else names one file. For `format: hf_dataset` each path is a Hugging Face dataset folder and gives
/// the Parquet files of the configured splits (``HFDatasetFolder``).
public enum InputPaths {
    /// The files of one path or pattern, sorted.
    /// - Throws: `GristError(.usage)` saying why it gives no files (nothing matches, not a folder, …);
    ///   the caller adds where the path was written.
    public static func expand(_ pattern: String, source: SourceConfig) throws -> [String] {
        if source.format == .hfDataset {
            guard FileSystem.isDirectory(pattern) else {
                throw GristError(.usage, "\"\(pattern)\" is not a folder (format: hf_dataset reads a Hugging Face "
                                 + "dataset folder; use format: parquet for single files)")
            }
            return try HFDatasetFolder(path: pattern).files(options: source.hfDataset)
        }
        if FileSystem.isDirectory(pattern) {
            let matches = Glob.expand(FileSystem.join(pattern, "**/*"))
            if matches.isEmpty { throw GristError(.usage, "folder \"\(pattern)\" holds no files") }
            return matches
        }
        if Glob.hasWildcard(pattern) {
            let matches = Glob.expand(pattern)
            if matches.isEmpty { throw GristError(.usage, "\"\(pattern)\" matches no files") }
            return matches
        }
        guard FileSystem.exists(pattern) else { throw GristError(.usage, "file \"\(pattern)\" does not exist") }
        return [pattern]
    }
}
