import GristCore
import GristShards

/// The output folder of a build, and the rule that a build never loses or deletes what it did not make.
///
/// A build writes into a staging folder inside the output (`.grist-build/`: its manifest, shards, trained
/// vocabulary and temporary token files). Only when it has succeeded does it replace the earlier build's manifest and
/// shards with its own, so a failed rebuild leaves the earlier output as it was (and its own failed
/// manifest in the staging folder, for the record). A folder that holds anything but a build is refused.
struct OutputFolder {
    static let stagingName = ".grist-build"
    static let shardsName = "shards"
    static let workName = "work"
    /// File name (without extension) of a vocabulary the build trained: `tokenizer.tiktoken` and
    /// `tokenizer.json`, next to the manifest.
    static let vocabularyName = "tokenizer"
    static var vocabularyFiles: [String] { [vocabularyName + ".tiktoken", vocabularyName + ".json"] }

    let path: String

    var staging: String { FileSystem.join(path, Self.stagingName) }
    var stagingManifest: String { FileSystem.join(staging, Manifest.fileName) }
    var stagingShards: String { FileSystem.join(staging, Self.shardsName) }
    var work: String { FileSystem.join(staging, Self.workName) }

    /// Checks the folder can take a build and makes a fresh staging area in it.
    static func prepare(_ path: String) throws -> OutputFolder {
        let folder = OutputFolder(path: path)
        if !FileSystem.exists(path) {
            try FileSystem.createDirectory(path)
        } else {
            guard FileSystem.isDirectory(path) else {
                throw GristError(.usage, "the output path exists and is not a folder", at: InputPosition(path: path))
            }
            let entries = FileSystem.contents(of: path)
            let ours = entries.contains(Manifest.fileName) || entries.contains(stagingName)
            guard entries.isEmpty || ours else {
                throw GristError(.usage, "the output folder is not empty and holds no \(Manifest.fileName)",
                                 at: InputPosition(path: path),
                                 hint: "choose an empty or new folder (--output); a build only replaces an earlier build")
            }
        }
        try FileSystem.remove(folder.staging)
        for sub in [folder.staging, folder.stagingShards, folder.work] { try FileSystem.createDirectory(sub) }
        return folder
    }

    /// Replaces the earlier build's manifest and shards with the staged ones.
    func publish() throws {
        try FileSystem.remove(work)
        for entry in FileSystem.contents(of: path) where entry.hasPrefix(Manifest.fileName) {
            try FileSystem.remove(FileSystem.join(path, entry))
        }
        let shards = FileSystem.join(path, Self.shardsName)
        for entry in FileSystem.contents(of: shards) where entry.hasSuffix(".bin") || entry.contains(".partial") {
            try FileSystem.remove(FileSystem.join(shards, entry))
        }
        if FileSystem.exists(shards), FileSystem.contents(of: shards).isEmpty { try FileSystem.remove(shards) }
        if FileSystem.exists(shards) {
            // The user keeps other files in shards/: move the new shards in one by one.
            for entry in FileSystem.contents(of: stagingShards) {
                try AtomicFile.commit(temporary: FileSystem.join(stagingShards, entry), to: FileSystem.join(shards, entry))
            }
        } else {
            try AtomicFile.commit(temporary: stagingShards, to: shards)
        }
        for name in Self.vocabularyFiles {
            let staged = FileSystem.join(staging, name), published = FileSystem.join(path, name)
            if FileSystem.exists(staged) {
                try AtomicFile.commit(temporary: staged, to: published)
            } else {
                try FileSystem.remove(published)  // an earlier build's trained vocabulary
            }
        }
        try AtomicFile.commit(temporary: stagingManifest, to: FileSystem.join(path, Manifest.fileName))
        try FileSystem.remove(staging)
    }

    /// After a failure: drops the staged shards and token files, keeps the failed run's manifest.
    func discard() {
        try? FileSystem.remove(work)
        try? FileSystem.remove(stagingShards)
    }
}
