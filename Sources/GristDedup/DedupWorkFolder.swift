import GristCore

#if canImport(Glibc)
import Glibc
#endif

/// The work folder of one deduplication: per-input-file sketches (phase 1), per-task pair files (the
/// band and exact tasks), and temporary sort runs. Names are fixed, so a rerun finds what a crashed
/// run finished: a file's `.done` marker and a task's `.pairs` appear (by rename) only after
/// everything before them was written.
///
/// Work files are not fsynced: a killed process loses nothing the kernel was given, and syncing
/// hundreds of temporary files costs more than redoing them. After a power loss, remove the folder.
public struct DedupWorkFolder: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Creates the folder if needed, with an empty `runs/` subfolder (sort runs of a crashed run are dropped).
    public func create() throws {
        try FileSystem.createDirectory(path)
        try FileSystem.remove(runs)
        try FileSystem.createDirectory(runs)
    }

    /// Temporary sort runs.
    public var runs: String { FileSystem.join(path, "runs") }

    func name(_ file: Int) -> String {
        let digits = String(file)
        return "file-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    func documentsPath(_ file: Int) -> String { FileSystem.join(path, name(file) + ".docs") }
    func shinglesPath(_ file: Int) -> String { FileSystem.join(path, name(file) + ".shingles") }
    func bandPath(_ file: Int, band: Int) -> String { FileSystem.join(path, name(file) + ".band-\(band)") }
    func donePath(_ file: Int) -> String { FileSystem.join(path, name(file) + ".done") }
    func pairsPath(_ task: DedupTask) -> String { FileSystem.join(path, task.name + ".pairs") }

    /// Hard-links the phase-1 files of `file` in `source` (a part's own folder) into this folder as file
    /// `number` (its place in the canonical order).
    public func link(file: Int, of source: DedupWorkFolder, as number: Int) throws {
        let prefix = name(file) + "."
        for entry in FileSystem.contents(of: source.path) where entry.hasPrefix(prefix) {
            try FileSystem.link(FileSystem.join(source.path, entry),
                                to: FileSystem.join(path, name(number) + "." + entry.dropFirst(prefix.count)))
        }
    }

    /// Whether `task`'s pairs are stored (by this run, an earlier one, or another process).
    public func isFinished(_ task: DedupTask) -> Bool { FileSystem.exists(pairsPath(task)) }

    /// The document count of a file whose sketches were finished (by this run or an earlier one), or nil.
    public func finishedDocumentCount(_ file: Int) -> Int? {
        guard let data = try? MappedFile(path: donePath(file)) else { return nil }
        let text = String(decoding: data.bytes, as: UTF8.self).split(separator: "\n").first.map(String.init)
        guard let count = text.flatMap({ Int($0) }),
              FileSystem.size(documentsPath(file)) == count * MemoryLayout<SketchedDocument>.stride else { return nil }
        return count
    }

    /// Writes a small marker file whole (temporary name, then rename).
    public func writeMarker(_ path: String, _ text: String) throws {
        let temporary = path + ".partial"
        let writer = try BufferedFileWriter(path: temporary)
        try writer.write(Array(text.utf8))
        try writer.close()
        try Self.rename(temporary, to: path)
    }

    static func rename(_ temporary: String, to path: String) throws {
        if Glibc.rename(temporary, path) != 0 {
            throw GristError(.io, "cannot rename \(temporary): \(errnoText())", at: InputPosition(path: path))
        }
    }
}
