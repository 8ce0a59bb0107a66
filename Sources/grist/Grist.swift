import ArgumentParser
import GristCore

#if canImport(Glibc)
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
                      ReportCommand.self, TrainCommand.self, GenerateCommand.self, EvalCommand.self,
                      CollectCommand.self, DedupCommand.self, FilterCommand.self, TokenizerCommand.self,
                      StatusCommand.self])
}

/// Entry point: runs the command and maps errors to exit codes (0 ok, 1 failure, 2 usage or config).
@main
enum GristMain {
    static func main() {
        var command: any ParsableCommand
        do {
            command = try Grist.parseAsRoot()
        } catch {
            // Help and version requests exit 0 through the parser; real parse errors are usage errors.
            if Grist.exitCode(for: error) == .success { Grist.exit(withError: error) }
            Console.writeStderr(Grist.fullMessage(for: error) + "\n")
            exit(2)
        }
        do {
            try command.run()
        } catch let error as ConfigError {
            Console.error(error.description)
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
