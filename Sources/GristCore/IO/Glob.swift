#if canImport(Glibc)
import Glibc
#endif

/// Expands file patterns the way shells do, plus `**` for any number of folders.
///
/// glibc's `glob()` has no `**`, so patterns are matched a path component at a time with `fnmatch`.
/// Results are regular files, sorted, without duplicates: the same files in the same order on every run.
public enum Glob {
    /// Whether `pattern` holds a wildcard (`*`, `?`, `[`).
    public static func hasWildcard(_ pattern: some StringProtocol) -> Bool {
        pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" })
    }

    public static func expand(_ pattern: String) -> [String] {
        let absolute = pattern.hasPrefix("/")
        var components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if components.last == "**" { components.append("*") }  // `dir/**` means every file below dir
        var results = Set<String>()
        walk(base: absolute ? "/" : "", components: components[...], into: &results)
        return results.sorted()
    }

    private static func walk(base: String, components: ArraySlice<String>, into results: inout Set<String>) {
        guard let first = components.first else {
            if isRegularFile(base) { results.insert(base) }
            return
        }
        let rest = components.dropFirst()
        if first == "**" {
            walk(base: base, components: rest, into: &results)  // zero folders
            for entry in listing(base) where isDirectory(path(base, entry)) && !entry.hasPrefix(".") {
                walk(base: path(base, entry), components: components, into: &results)
            }
        } else if hasWildcard(first) {
            for entry in listing(base) where fnmatch(first, entry, FNM_PERIOD) == 0 {
                walk(base: path(base, entry), components: rest, into: &results)
            }
        } else {
            let next = path(base, first)
            if rest.isEmpty || isDirectory(next) { walk(base: next, components: rest, into: &results) }
        }
    }

    private static func path(_ base: String, _ entry: String) -> String {
        base.isEmpty ? entry : (base.hasSuffix("/") ? base + entry : base + "/" + entry)
    }

    private static func listing(_ folder: String) -> [String] {
        guard let dir = opendir(folder.isEmpty ? "." : folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
