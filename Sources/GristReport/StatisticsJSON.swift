import Foundation
import GristShards

/// `grist stats --json`: the statistics as one JSON document with stable, documented keys
/// (docs/stats.md). Keys are sorted, absent values are `null`, numbers are plain (no units).
public enum StatisticsJSON {
    /// Version of the document's layout; bumped when a key changes meaning or goes away.
    public static let schema = "gristmill.stats/1"

    public static func render(_ stats: DatasetStatistics, folder: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Envelope(stats: stats, folder: folder))
        return String(decoding: data, as: UTF8.self)
    }

    private struct Envelope: Encodable {
        let stats: DatasetStatistics
        let folder: String

        enum CodingKeys: String, CodingKey { case schema, output }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(StatisticsJSON.schema, forKey: .schema)
            try c.encode(folder, forKey: .output)
            try stats.encode(to: encoder)
        }
    }
}
