import ArgumentParser
import GristCore
import GristTrain

#if canImport(Glibc)
import CMalloc
import Glibc
#endif

/// `grist`: build GPT pretraining token shards from raw text, and look at what came out.
struct Grist: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grist",
        abstract: "Turn raw text into GPT pretraining token shards, and inspect them.",
        discussion: "Exit codes: 0 success, 1 failure, 2 bad usage or configuration.",
        version: GristVersion.current,
        subcommands: [BuildCommand.self, ValidateCommand.self, StatsCommand.self, InspectCommand.self,
                      ReportCommand.self, TrainCommand.self, GenerateCommand.self, EvalCommand.self, ExportCommand.self,
                      CollectCommand.self, DedupCommand.self, FilterCommand.self, ClassifierCommand.self, TokenizerCommand.self,
                      StatusCommand.self])
}

/// Entry point: runs the command and maps errors to exit codes (0 ok, 1 failure, 2 usage or config).
@main
enum GristMain {
    static func main() {
        tuneAllocator()
        BLASRuntime.configure()
        var command: any ParsableCommand
        do {
            command = try Grist.parseAsRoot()
        } catch {
            // Help and version requests exit 0 through the parser; real parse errors are usage errors.
            if Grist.exitCode(for: error) == .success { Grist.exit(withError: error) }
            Console.writeStderr(Grist.fullMessage(for: error) + "\n")
            exit(2)
        }
        if command is Grist {
            // `grist` alone: no command was given, which is a usage error (the help says what to give).
            Console.writeStderr(Grist.helpMessage() + "\n")
            exit(2)
        }
        do {
            try command.run()
        } catch let error as ConfigError {
            Console.error(error.description)
            exit(2)
        } catch let error as ConfigErrors {
            for error in error.errors { Console.error(error.description) }
            exit(2)
        } catch let error as GristError {
            Console.error(error.description)
            exit(error.kind == .usage ? 2 : 1)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch let error as ValidationError {
            Console.error(error.message)
            exit(2)
        } catch {
            // Help requested by a command without a `run` of its own, and the parser's other errors.
            if Grist.exitCode(for: error) == .success { Grist.exit(withError: error) }
            Console.error(Grist.message(for: error))
            exit(1)
        }
    }
}

/// Keeps glibc malloc from returning memory to the kernel after every document. By default a block of
/// 128 KiB or more (a long document's code points, its words, the n-gram tables) is mmap'ed and
/// unmapped, or the heap top trimmed, each time, and every new block faults its pages in again: on
/// whole documents that was a seventh of gopher_repetition's time, in the kernel. Blocks up to 64 MiB now
/// come from the heap, and up to 256 MiB of free heap is kept for reuse (memory stays bounded: what is
/// kept is what the largest documents needed). `MALLOC_*_` environment settings still win.
private func tuneAllocator() {
    #if canImport(Glibc)
    if getenv("MALLOC_MMAP_THRESHOLD_") == nil { _ = mallopt(M_MMAP_THRESHOLD, 64 << 20) }
    if getenv("MALLOC_TRIM_THRESHOLD_") == nil { _ = mallopt(M_TRIM_THRESHOLD, 256 << 20) }
    #endif
}
