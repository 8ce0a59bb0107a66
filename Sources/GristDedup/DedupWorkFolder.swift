import GristCore

/// The work folder of one deduplication: per-input-file sketches (phase 1), per-task pair files (the
/// band and exact tasks), and temporary sort runs. Names are fixed, so a rerun finds what a crashed
/// run finished.
public struct DedupWorkFolder: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Creates the folder (and its `runs/` subfolder) if needed.
    public func create() throws {
        try FileSystem.createDirectory(path)
        try FileSystem.createDirectory(runs)
    }

    var runs: String { FileSystem.join(path, "runs") }

    func name(_ file: Int) -> String {
        let digits = String(file)
        return "file-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    func documentsPath(_ file: Int) -> String { FileSystem.join(path, name(file) + ".docs") }
    func shinglesPath(_ file: Int) -> String { FileSystem.join(path, name(file) + ".shingles") }
    func bandPath(_ file: Int, band: Int) -> String { FileSystem.join(path, name(file) + ".band-\(band)") }
    func donePath(_ file: Int) -> String { FileSystem.join(path, name(file) + ".done") }
    func pairsPath(_ task: DedupTask) -> String { FileSystem.join(path, task.name + ".pairs") }

    /// The document count of a file whose sketches were finished (by this run or an earlier one), or nil.
    public func finishedDocumentCount(_ file: Int) -> Int? {
        guard let data = try? MappedFile(path: donePath(file)) else { return nil }
        let text = String(decoding: data.bytes, as: UTF8.self).split(separator: "\n").first.map(String.init)
        return text.flatMap { Int($0) }
    }
}
