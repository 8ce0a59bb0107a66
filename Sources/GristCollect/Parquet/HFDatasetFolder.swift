import GristCore
import Yams

/// A Hugging Face dataset folder as `huggingface_hub` downloads it (`snapshot_download`, `git clone`):
/// which of its Parquet files belong to which split.
///
/// When the folder's `README.md` declares `configs:` in its YAML header, the chosen config's
/// `data_files` decide (`- split: train` / `path: data/train-*`, or one pattern or list for `train`).
/// Otherwise the split is read from the file names as the `datasets` library does: a path component
/// holding a split keyword between delimiters (`-`, `_`, `.`, space, digits, `/`) belongs to that split
/// (`train`/`training`; `validation`/`valid`/`val`/`dev`; `test`/`testing`/`eval`/`evaluation`), as in
/// `data/train-00000-of-00004.parquet` or the Parquet export's `default/train/0000.parquet` (a config's
/// folder, `default/` unless `hf_dataset.config` names another); a folder whose files name no split is
/// all `train`.
public struct HFDatasetFolder {
    public let path: String

    public init(path: String) { self.path = path }

    /// The Parquet files of the splits `options` names, sorted, each once.
    /// - Throws: `GristError(.usage)` naming the folder, for a split or config it does not have, a
    ///   README it cannot read, or data files that are not Parquet.
    public func files(options: HFDatasetOptions) throws -> [String] {
        // The README is read, or the folder listed, once for every split asked for.
        let layout: Layout
        if let configs = try declaredConfigs() {
            layout = .declared(try choose(configs, name: options.config))
        } else {
            layout = .named(try parquetFiles(config: options.config))
        }
        var files: [String] = []
        for split in options.splits {
            let found = try splitFiles(split, in: layout)
            if found.isEmpty {
                let known = availableSplits(in: layout)
                throw GristError(.usage, "dataset folder \"\(path)\" has no split \"\(split)\" "
                                 + "(it has: \(known.isEmpty ? "no Parquet files" : known.joined(separator: ", ")))")
            }
            files += found
        }
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }

    // MARK: - Declared configs (README.md)

    /// One `configs:` entry of the README header.
    struct DeclaredConfig {
        var name: String
        var isDefault: Bool
        /// Split name → glob patterns relative to the folder.
        var dataFiles: [(split: String, patterns: [String])]
    }

    /// The README's `configs:`, or nil when it has none (or there is no README).
    func declaredConfigs() throws -> [DeclaredConfig]? {
        let readme = FileSystem.join(path, "README.md")
        guard FileSystem.exists(readme), let header = try Self.frontMatter(of: readme) else { return nil }
        let node: Node?
        do {
            node = try Yams.compose(yaml: header)
        } catch {
            throw GristError(.usage, "the YAML header of \(readme) does not parse: \(error)")
        }
        guard let configs = node?.mapping?["configs"]?.sequence else { return nil }
        return try configs.map { entry in
            guard let mapping = entry.mapping else { throw GristError(.usage, "\(readme): a configs entry is not a mapping") }
            var config = DeclaredConfig(name: mapping["config_name"]?.string ?? "default",
                                        isDefault: mapping["default"]?.bool ?? false, dataFiles: [])
            guard let dataFiles = mapping["data_files"] else { return config }
            if let one = dataFiles.string {
                config.dataFiles = [("train", [one])]
            } else if let list = dataFiles.sequence {
                for item in list {
                    if let pattern = item.string {
                        config.dataFiles.append(("train", [pattern]))
                    } else if let split = item.mapping?["split"]?.string, let patterns = item.mapping?["path"] {
                        config.dataFiles.append((split, patterns.string.map { [$0] } ?? patterns.sequence?.compactMap(\.string) ?? []))
                    }
                }
            }
            return config
        }
    }

    /// The YAML between the `---` lines that open a README, if it starts with one.
    static func frontMatter(of readme: String) throws -> String? {
        let file = try MappedFile(path: readme)
        let text = String(decoding: file.bytes.prefix(1 << 20), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        func isFence(_ line: Substring?) -> Bool {
            guard let line else { return false }
            var trimmed = line[...]
            while let last = trimmed.last, last == " " || last == "\r" || last == "\t" { trimmed = trimmed.dropLast() }
            return trimmed == "---"
        }
        guard isFence(lines.next()) else { return nil }
        var header: [Substring] = []
        while let line = lines.next() {
            if isFence(line) { return header.joined(separator: "\n") }
            header.append(line)
        }
        return nil
    }

    /// The config `name` picks: the named one; by default the one marked `default: true`, else the one
    /// named `default`, else the first.
    private func choose(_ configs: [DeclaredConfig], name: String?) throws -> DeclaredConfig {
        if let name {
            guard let config = configs.first(where: { $0.name == name }) else {
                throw GristError(.usage, "dataset folder \"\(path)\" has no config \"\(name)\" (its README lists: "
                                 + configs.map(\.name).joined(separator: ", ") + ")")
            }
            return config
        }
        guard let config = configs.first(where: \.isDefault) ?? configs.first(where: { $0.name == "default" })
            ?? configs.first else {
            throw GristError(.usage, "dataset folder \"\(path)\": its README lists no configs")
        }
        return config
    }

    // MARK: - Splits

    /// Where the splits come from: the chosen config of the README, or the Parquet files' names.
    private enum Layout {
        case declared(DeclaredConfig)
        case named([((full: String, relative: String), Bool)])
    }

    private func splitFiles(_ split: String, in layout: Layout) throws -> [String] {
        switch layout {
        case .declared(let chosen):
            var files: [String] = []
            for (name, patterns) in chosen.dataFiles where name == split {
                for pattern in patterns {
                    let matches = Glob.expand(FileSystem.join(path, pattern))
                    if matches.isEmpty {
                        throw GristError(.usage, "dataset folder \"\(path)\": the README's pattern \"\(pattern)\" "
                                         + "(config \(chosen.name), split \(split)) matches no files")
                    }
                    files += try matches.map(Self.requireParquet)
                }
            }
            return files.sorted()
        case .named(let files):
            return files.filter { splitOf($0.relative, among: $1) == split }.map(\.0.full)
        }
    }

    private func availableSplits(in layout: Layout) -> [String] {
        var seen = Set<String>()
        switch layout {
        case .declared(let chosen):
            return chosen.dataFiles.map(\.split).filter { seen.insert($0).inserted }
        case .named(let files):
            return files.compactMap { splitOf($0.relative, among: $1) }.filter { seen.insert($0).inserted }.sorted()
        }
    }

    /// Every Parquet file below the folder (below `config/` when a config is named, or below `default/`
    /// when the folder has one: the layout of the Hub's Parquet export, `CONFIG/SPLIT/NNNN.parquet`),
    /// with its path relative to that folder, and whether any of them names a split.
    private func parquetFiles(config: String?) throws -> [((full: String, relative: String), Bool)] {
        var root = path
        if config == nil, FileSystem.isDirectory(FileSystem.join(path, "default")) {
            root = FileSystem.join(path, "default")
        } else if let config {
            root = FileSystem.join(path, config)
            guard FileSystem.isDirectory(root) else {
                throw GristError(.usage, "dataset folder \"\(path)\" has no config \"\(config)\" (no README configs "
                                 + "and no folder \(config)/)")
            }
        }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        let files = Glob.expand(FileSystem.join(root, "**/*.parquet")).map { full in
            (full: full, relative: full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full)
        }
        let anyNamed = files.contains { Self.keywordSplit(of: $0.relative) != nil }
        return files.map { ($0, anyNamed) }
    }

    /// The split of a file: the one its path names; every file is `train` when none names a split.
    private func splitOf(_ relative: String, among anyNamed: Bool) -> String? {
        anyNamed ? Self.keywordSplit(of: relative) : "train"
    }

    /// The split keywords of the `datasets` library, by split.
    static let splitKeywords: [(split: String, keywords: [String])] = [
        ("train", ["train", "training"]),
        ("validation", ["validation", "valid", "dev", "val"]),
        ("test", ["test", "testing", "eval", "evaluation"]),
    ]

    /// The split whose keyword a path component holds between delimiters, or nil.
    static func keywordSplit(of relative: String) -> String? {
        let components = relative.split(separator: "/").map { Array($0.utf8) }
        for (split, keywords) in splitKeywords {
            for component in components {
                for keyword in keywords where contains(component, delimited: Array(keyword.utf8)) { return split }
            }
        }
        return nil
    }

    private static func contains(_ component: [UInt8], delimited keyword: [UInt8]) -> Bool {
        guard component.count >= keyword.count else { return false }
        func isDelimiter(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: " ") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        for start in 0...(component.count - keyword.count) where component[start..<start + keyword.count].elementsEqual(keyword) {
            let end = start + keyword.count
            if (start == 0 || isDelimiter(component[start - 1])) && (end == component.count || isDelimiter(component[end])) {
                return true
            }
        }
        return false
    }

    private static func requireParquet(_ file: String) throws -> String {
        guard file.hasSuffix(".parquet") else {
            throw GristError(.usage, "\(file) is not a Parquet file (format: hf_dataset reads the Parquet files of a "
                             + "dataset; read JSON Lines data files with format: jsonl)")
        }
        return file
    }
}
