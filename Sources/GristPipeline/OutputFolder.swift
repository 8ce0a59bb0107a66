import GristCore
import GristShards

/// The output folder of a build: created if missing, cleared of an earlier build's files if it holds one,
/// and refused if it holds anything else (a build never deletes files it did not make).
enum OutputFolder {
    static func prepare(_ path: String) throws {
        guard FileSystem.exists(path) else { return try FileSystem.createDirectory(path) }
        guard FileSystem.isDirectory(path) else {
            throw GristError(.usage, "the output path exists and is not a folder", at: InputPosition(path: path))
        }
        let entries = FileSystem.contents(of: path)
        if entries.isEmpty { return }
        guard entries.contains(Manifest.fileName) else {
            throw GristError(.usage, "the output folder is not empty and holds no \(Manifest.fileName)",
                             at: InputPosition(path: path),
                             hint: "choose an empty or new folder (--output); a build only replaces an earlier build")
        }
        for entry in entries where entry.hasPrefix(Manifest.fileName) {
            try FileSystem.remove(FileSystem.join(path, entry))
        }
        try FileSystem.remove(FileSystem.join(path, Build.workFolder))
        let shards = FileSystem.join(path, Build.shardsFolder)
        for entry in FileSystem.contents(of: shards) where entry.hasSuffix(".bin") || entry.contains(".partial") {
            try FileSystem.remove(FileSystem.join(shards, entry))
        }
    }
}
