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

    public static func size(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }

    /// Names in a folder, sorted; empty when it does not exist.
    public static func contents(of folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// `component` joined to `folder` with one slash.
    public static func join(_ folder: String, _ component: String) -> String {
        if folder.isEmpty || component.hasPrefix("/") { return component }
        return folder.hasSuffix("/") ? folder + component : folder + "/" + component
    }
}
