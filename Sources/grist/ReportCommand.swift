import ArgumentParser
import GristCore
import GristReport

extension Grist {
    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write a self-contained HTML report of a build: funnel, lengths, mixture, reasons, "
                + "duplicates, training curves, example documents.")

        @Argument(help: "The output folder of `grist build`.")
        var outputDirectory: String

        @Option(name: .shortAndLong, help: "The HTML file to write (default: OUTPUT_DIR/report.html).")
        var output: String?

        func run() throws {
            let path = output ?? FileSystem.join(outputDirectory, "report.html")
            let html = try HTMLReport(folder: outputDirectory).render()
            try AtomicFile.write(path: path) { try $0.write(Array(html.utf8)) }
            print("wrote \(path) (\(Format.bytes(html.utf8.count)))")
        }
    }
}
