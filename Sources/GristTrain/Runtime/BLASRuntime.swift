import COpenBLAS
import GristCore

#if canImport(Glibc)
import Glibc
#endif

/// Which OpenBLAS kernels run, and making sure they are the fast ones.
///
/// Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) picks its kernel set when the library loads, before `main`,
/// from `OPENBLAS_CORETYPE` or its own CPU detection, and it detects some recent AVX-512 CPUs as
/// "Prescott": its oldest kernels, 5–8× slower. ``ensureFastKernels()`` notices that and restarts the
/// process once with `OPENBLAS_CORETYPE` set, so the library loads the right kernels. A value the user
/// already set is always respected.
public enum BLASRuntime {
    /// The kernel set OpenBLAS loaded, e.g. "SkylakeX", "Cooperlake", "Haswell" or "Prescott".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build description (version, DYNAMIC_ARCH, thread model).
    public static var buildConfiguration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }

    /// A one-line description for logs: "OpenBLAS 0.3.21 … kernels SkylakeX (OPENBLAS_CORETYPE=SkylakeX)".
    public static var summary: String {
        let version = buildConfiguration.split(separator: " ").prefix(2).joined(separator: " ")
        let setting = environmentValue.map { " (OPENBLAS_CORETYPE=\($0))" } ?? " (detected)"
        return "\(version), \(coreName) kernels\(setting)"
    }

    /// OpenBLAS runs single-threaded: the trainer cuts each product into blocks and runs them on its
    /// own threads (see `gemm`), which keeps results independent of the thread count.
    ///
    /// The library starts a worker per core when it loads, before `main`, and an idle worker spins on
    /// `sched_yield` for about a tenth of a second: every `grist` command, BLAS or not, paid that in CPU
    /// time (a third of a short `grist filter`). This stops them; `grist` calls it first thing.
    public static func configure() {
        openblas_set_num_threads(1)
        // `blas_thread_shutdown_` is OpenBLAS's own (not in cblas.h, absent from single-threaded builds):
        // looked up rather than linked, so any build of the library loads.
        typealias Shutdown = @convention(c) () -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") {
            _ = unsafeBitCast(symbol, to: Shutdown.self)()
        }
    }

    static var environmentValue: String? {
        guard let raw = getenv("OPENBLAS_CORETYPE") else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }

    /// Kernel sets OpenBLAS falls back to when it does not recognise a CPU.
    static let fallbackCores: Set<String> = ["Prescott", "Katmai", "Coppermine", "Northwood", "Banias", "Core2",
                                             "Penryn", "Dunnington", "Nehalem", "Atom"]

    /// The `OPENBLAS_CORETYPE` to restart with, or nil to keep what loaded.
    ///
    /// - Parameters:
    ///   - loadedCore: what OpenBLAS chose.
    ///   - environmentValue: `OPENBLAS_CORETYPE` as set by the user, if any (always respected).
    ///   - cpuFlags: the CPU's feature flags (`/proc/cpuinfo`).
    public static func preferredCore(loadedCore: String, environmentValue: String?, cpuFlags: Set<String>) -> String? {
        guard environmentValue == nil, fallbackCores.contains(loadedCore) else { return nil }
        let avx512: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        if avx512.isSubset(of: cpuFlags) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(cpuFlags.contains) { return "Haswell" }
        return nil
    }

    /// The CPU's feature flags, from the first `flags` line of `/proc/cpuinfo` (empty if unreadable).
    public static func cpuFlags(cpuinfo path: String = "/proc/cpuinfo") -> Set<String> {
        guard let file = try? MappedFile(path: path), file.count > 0 else {
            return (try? readSmallFile(path)).map(parseFlags) ?? []
        }
        return parseFlags(String(decoding: file.bytes, as: UTF8.self))
    }

    private static func readSmallFile(_ path: String) throws -> String {
        // /proc files report size 0, so read them in a loop.
        guard let handle = fopen(path, "r") else { return "" }
        defer { fclose(handle) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, handle)
            if n <= 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 1 << 22 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func parseFlags(_ text: String) -> Set<String> {
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    /// Restarts the current process with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to slow
    /// kernels on a CPU that can run fast ones; returns normally otherwise (or if the restart fails).
    /// Call it first thing in a command that does heavy linear algebra.
    public static func ensureFastKernels() {
        let marker = "GRIST_BLAS_RESTARTED"
        guard getenv(marker) == nil,
              let core = preferredCore(loadedCore: coreName, environmentValue: environmentValue, cpuFlags: cpuFlags())
        else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(marker, "1", 1)
        Console.info("OpenBLAS chose its \(coreName) kernels for this CPU; restarting with OPENBLAS_CORETYPE=\(core)")
        var arguments = CommandLine.arguments.map { strdup($0) }
        arguments.append(nil)
        execv("/proc/self/exe", &arguments)
        // Only reached if exec failed: carry on with the slow kernels.
        Console.warning("could not restart with OPENBLAS_CORETYPE=\(core) (\(String(cString: strerror(errno)))); "
            + "matrix products will be slow")
        unsetenv("OPENBLAS_CORETYPE")
    }
}
