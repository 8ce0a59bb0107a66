import GristCore
import GristShards

#if canImport(Glibc)
import Glibc
#endif

/// The output folder of a build, as a build holds it: its lock, its preparation (a publish a crash
/// interrupted is finished, the staging area emptied), publishing the staged build in place, and
/// removing work the current config no longer uses. Every name in it comes from `WorkLayout`.
///
/// Work is keyed by a hash of everything it depends on, so a rerun after a crash, or after a config
/// change, redoes only what changed. Every file appears whole or not at all (temporary name, rename).
/// A build replaces the earlier manifest and shards only once it has succeeded; a failed one leaves
/// them as they were, and its own failed manifest in `.grist/staging/`.
final class OutputFolder {
    let layout: WorkLayout
    private var lockDescriptor: Int32 = -1

    var path: String { layout.output }
    var work: String { layout.work }
    var parts: String { layout.parts }
    var dedup: String { layout.dedup }
    var vocab: String { layout.vocab }
    var staging: String { layout.staging }
    var stagingManifest: String { layout.stagingManifest }
    var stagingShards: String { layout.stagingShards }
    var manifest: String { layout.manifest }
    private var lockPath: String { layout.lock }
    private var publishingMarker: String { layout.publishingMarker }

    private init(path: String) { layout = WorkLayout(output: path) }

    deinit { if lockDescriptor >= 0 { close(lockDescriptor) } }

    /// Checks the folder can take this build, takes its lock, finishes a publish a crash interrupted,
    /// and empties the staging area.
    ///
    /// - Parameters:
    ///   - pipeline: the config's `name`; an output of another pipeline is refused unless `force`.
    static func prepare(_ path: String, pipeline: String, force: Bool) throws -> OutputFolder {
        let folder = OutputFolder(path: path)
        if !FileSystem.exists(path) {
            try FileSystem.createDirectory(path)
        } else {
            guard FileSystem.isDirectory(path) else {
                throw GristError(.usage, "the output path exists and is not a folder", at: InputPosition(path: path))
            }
            let entries = FileSystem.contents(of: path)
            let ours = entries.contains(Manifest.fileName) || entries.contains(WorkLayout.workName)
                || entries.contains(WorkLayout.legacyStagingName)
            guard entries.isEmpty || ours else {
                throw GristError(.usage, "the output folder is not empty and holds no \(Manifest.fileName)",
                                 at: InputPosition(path: path),
                                 hint: "choose an empty or new folder (--output); a build only replaces an earlier build")
            }
        }
        try FileSystem.createDirectory(folder.work)
        try folder.lock()
        try FileSystem.remove(folder.layout.legacyStaging)
        if FileSystem.exists(folder.publishingMarker) { try folder.publish() }
        if !force, let previous = try? Manifest.open(path: folder.manifest),
           let name = try? previous.meta("pipeline"),
           name != pipeline {
            throw GristError(.usage, "the output folder holds a build of pipeline \"\(name)\", not \"\(pipeline)\"",
                             at: InputPosition(path: path),
                             hint: "choose another folder, or pass --force to replace it")
        }
        try FileSystem.remove(folder.staging)
        for sub in [folder.parts, folder.dedup, folder.vocab, folder.staging, folder.stagingShards] {
            try FileSystem.createDirectory(sub)
        }
        return folder
    }

    /// Opens the work area for one task of a build spread over machines (a Slurm array task): no lock
    /// (the tasks write disjoint parts, each whole or not at all) and no staging.
    static func openForTask(_ path: String) throws -> OutputFolder {
        let folder = OutputFolder(path: path)
        for sub in [folder.work, folder.parts, folder.dedup] { try FileSystem.createDirectory(sub) }
        return folder
    }

    /// Takes the folder's lock for the life of this object; a second build on the same folder refuses.
    private func lock() throws {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw GristError(.io, "cannot open the lock file: \(errnoText())", at: InputPosition(path: lockPath)) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? MappedFile(path: lockPath)).map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
            close(fd)
            throw GristError(.usage, "another build is running on this output folder\(holder.isEmpty ? "" : " (\(holder))")",
                             at: InputPosition(path: path), hint: "wait for it to finish; the lock goes with its process")
        }
        let note = Array("pid \(getpid())".utf8)
        _ = ftruncate(fd, 0)
        _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        lockDescriptor = fd
    }

    /// Replaces the earlier build's manifest and shards with the staged ones.
    ///
    /// The marker file lists the staged shards before anything moves, which makes this resumable: a crash
    /// in the middle is finished by the next build's `prepare`, with the same result.
    func publish() throws {
        var names: [String]
        let rejectsMark = "#rejects"
        let formatMark = "#format:"
        let stagedRejects = layout.stagingRejects
        if let marker = try? MappedFile(path: publishingMarker) {
            names = String(decoding: marker.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        } else {
            names = FileSystem.contents(of: stagingShards).filter { $0.hasSuffix(".bin") }
            if FileSystem.exists(stagedRejects) { names.append(rejectsMark) }
            for folder in WorkLayout.publishedFolders where FileSystem.exists(FileSystem.join(staging, folder)) {
                names.append(formatMark + folder)
            }
            try AtomicFile.write(path: publishingMarker) { writer in
                try writer.write(Array(names.map { $0 + "\n" }.joined().utf8))
            }
        }
        let hasRejects = names.contains(rejectsMark)
        let stagedFormats = Set(names.filter { $0.hasPrefix(formatMark) }.map { String($0.dropFirst(formatMark.count)) })
        names.removeAll { $0 == rejectsMark || $0.hasPrefix(formatMark) }
        Fault.point("publish")
        let shards = layout.shards
        let replacing = FileSystem.exists(stagingManifest)
        if replacing {
            // The earlier build goes: its manifest first (so no manifest describes shards that are half
            // replaced), then its vocabulary and the shards the new build does not have.
            for entry in FileSystem.contents(of: path) where entry.hasPrefix(Manifest.fileName) {
                try FileSystem.remove(FileSystem.join(path, entry))
            }
            for name in WorkLayout.vocabularyFiles where !FileSystem.exists(FileSystem.join(staging, name)) {
                try FileSystem.remove(FileSystem.join(path, name))
            }
            let kept = Set(names)
            for entry in FileSystem.contents(of: shards)
            where (entry.hasSuffix(".bin") || entry.contains(".partial")) && !kept.contains(entry) {
                try FileSystem.remove(FileSystem.join(shards, entry))
            }
        }
        try FileSystem.createDirectory(shards)
        for name in names where FileSystem.exists(FileSystem.join(stagingShards, name)) {
            try AtomicFile.commit(temporary: FileSystem.join(stagingShards, name), to: FileSystem.join(shards, name))
            Fault.point("publish-shard")
        }
        for name in WorkLayout.vocabularyFiles where FileSystem.exists(FileSystem.join(staging, name)) {
            try AtomicFile.commit(temporary: FileSystem.join(staging, name), to: FileSystem.join(path, name))
        }
        // The audit files of filters with `rejects: true` are replaced as a whole.
        let rejects = layout.rejects
        if replacing, !hasRejects { try FileSystem.remove(rejects) }
        if hasRejects, FileSystem.exists(stagedRejects) {
            try FileSystem.remove(rejects)
            try AtomicFile.commit(temporary: stagedRejects, to: rejects)
        }
        // The folders of the other formats (shards.formats: megatron/, nanogpt/), the curated text and the
        // dedup index are replaced as a whole.
        for folder in WorkLayout.publishedFolders {
            let published = FileSystem.join(path, folder), staged = FileSystem.join(staging, folder)
            if replacing, !stagedFormats.contains(folder) { try FileSystem.remove(published) }
            if stagedFormats.contains(folder), FileSystem.exists(staged) {
                try FileSystem.remove(published)
                try AtomicFile.commit(temporary: staged, to: published)
                Fault.point("publish-format")
            }
        }
        // The manifest goes last: once it is in place, the published build is whole.
        if replacing { try AtomicFile.commit(temporary: stagingManifest, to: manifest) }
        try FileSystem.remove(publishingMarker)
        try FileSystem.remove(staging)
    }

    /// After a failure: drops the staged shards, keeps the failed run's manifest.
    func discard() {
        try? FileSystem.remove(stagingShards)
    }

    /// Removes work that the current build does not use (earlier configs and inputs).
    func collectGarbage(parts keptParts: Set<String>, dedup keptDedup: String?, vocab keptVocab: String?,
                        paragraphs keptParagraphs: String? = nil) {
        for entry in FileSystem.contents(of: layout.paragraphs) where entry != keptParagraphs {
            try? FileSystem.remove(FileSystem.join(layout.paragraphs, entry))
        }
        for entry in FileSystem.contents(of: parts) where !keptParts.contains(entry) {
            try? FileSystem.remove(FileSystem.join(parts, entry))
        }
        for entry in FileSystem.contents(of: dedup) where entry != keptDedup {
            try? FileSystem.remove(FileSystem.join(dedup, entry))
        }
        for entry in FileSystem.contents(of: vocab) where entry != keptVocab {
            try? FileSystem.remove(FileSystem.join(vocab, entry))
        }
    }
}
