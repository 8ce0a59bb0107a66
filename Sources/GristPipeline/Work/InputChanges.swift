import GristCore

/// Tells the user when input files changed since the last build (those parts are scanned again), and
/// catches a file that changes while it is being read.
enum InputChanges {
    /// Compares the plan's files with those the last build of this output read, and says what changed.
    static func report(_ plan: ScanPlan, stateFile: String) {
        guard let data = try? MappedFile(path: stateFile) else { return }
        var previous: [String: String] = [:]
        for line in String(decoding: data.bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 3 { previous[String(fields[0])] = fields[1] + "\t" + fields[2] }
        }
        var changed: [String] = [], added = 0
        for file in plan.files {
            guard let before = previous.removeValue(forKey: file.input.path) else {
                added += 1
                continue
            }
            if before != "\(file.input.byteSize)\t\(file.modified)" { changed.append(file.input.path) }
        }
        for path in changed.prefix(10) { Console.info("input changed since the last build, read again: \(path)") }
        if changed.count > 10 { Console.info("… and \(changed.count - 10) more changed inputs") }
        if added > 0 { Console.info("\(added) input files new since the last build") }
        if !previous.isEmpty { Console.info("\(previous.count) input files of the last build are gone") }
    }

    /// Records the plan's files for the next build's report.
    static func store(_ plan: ScanPlan, stateFile: String) {
        let text = plan.files.map { "\($0.input.path)\t\($0.input.byteSize)\t\($0.modified)\n" }.joined()
        try? AtomicFile.write(path: stateFile) { try $0.write(Array(text.utf8)) }
    }

    /// An error when `file` is not as it was when the build was planned (its size or modification time).
    static func changedWhileRead(_ file: ScanPlan.File) -> GristError? {
        let size = FileSystem.size(file.input.path)
        let modified = try? ScanPlan.modificationTime(file.input.path)
        guard size != file.input.byteSize || modified != file.modified else { return nil }
        return GristError(.mismatch, "the file changed while it was being read (size \(file.input.byteSize) → "
                            + "\(size.map(String.init) ?? "gone"))", at: InputPosition(path: file.input.path),
                          hint: "build again once the input is complete")
    }
}
