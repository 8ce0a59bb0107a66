import ArgumentParser
import GristCore
import GristReport
import GristShards
import GristTokenize

extension Grist {
    struct StatsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Show what a build did: the funnel per source, removals by reason, the mixture, shards, "
                + "length distributions, the most frequent tokens, and training runs on the data.")

        @Argument(help: "The output folder of `grist build`.")
        var outputDirectory: String

        @Flag(help: "Print one JSON document with stable keys (docs/stats.md) instead of tables.")
        var json = false

        func run() throws {
            let manifest = try Manifest.open(path: FileSystem.join(outputDirectory, Manifest.fileName))
            let stats = try DatasetStatistics.load(from: manifest)
            if json {
                print(try StatisticsJSON.render(stats, folder: outputDirectory))
                return
            }
            let vocabulary = try? BuildVocabulary.load(for: manifest)
            print(StatisticsText(stats, folder: outputDirectory, vocabulary: vocabulary, style: .standardOutput()).text)
        }
    }
}
