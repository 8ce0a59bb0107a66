import Foundation

/// Small file-system helpers for the code around the hot loops.
public enum FileSystem {
    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw GristError(.io, "cannot create folder: \(error.localizedDescription)", at: InputPosition(path: path))
        }
    }

    public static func remove(_ path: String) throws {
        guard exists(path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw GristError(.io, "cannot remove: \(error.localizedDescription)", at: InputPosition(path: path))
        }
    }

    /// The size of the file `path` names, following symbolic links (a link's own size is never wanted).
    public static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// Names in a folder, sorted; empty when it does not exist.
    public static func contents(of folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// The folder `path` is in: "." for a bare name, "/" for a file at the root.
    public static func parent(of path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return "." }
        let folder = parts.dropLast().joined(separator: "/")
        return folder.isEmpty ? "/" : folder
    }

    /// `path` from the working directory (an absolute path as it is), so it means the same from anywhere.
    public static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : join(FileManager.default.currentDirectoryPath, path)
    }

    /// `component` joined to `folder` with one slash.
    public static func join(_ folder: String, _ component: String) -> String {
        if folder.isEmpty || component.hasPrefix("/") { return component }
        return folder.hasSuffix("/") ? folder + component : folder + "/" + component
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// fsyncs every file directly in `folder`, so that a rename of the folder that follows is not
    /// reordered before its contents reach the disk.
    public static func syncFiles(in folder: String) throws {
        for name in contents(of: folder) {
            let path = join(folder, name)
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { continue }
            defer { close(fd) }
            if fsync(fd) != 0 { throw GristError(.io, "fsync failed: \(errnoText())", at: InputPosition(path: path)) }
        }
    }

    /// A hard link to `source` at `destination` (a copy when they are on different file systems).
    public static func link(_ source: String, to destination: String) throws {
        if Glibc.link(source, destination) == 0 { return }
        if errno == EEXIST { return }
        guard errno == EXDEV || errno == EPERM else {
            throw GristError(.io, "cannot link \(source): \(errnoText())", at: InputPosition(path: destination))
        }
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch {
            throw GristError(.io, "cannot copy \(source): \(error.localizedDescription)", at: InputPosition(path: destination))
        }
    }
}

extension FileSystem {
    /// Copies a file (replacing `destination`).
    public static func copy(_ source: String, to destination: String) throws {
        try remove(destination)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch {
            throw GristError(.io, "cannot copy \(source): \(error.localizedDescription)", at: InputPosition(path: destination))
        }
    }
}
