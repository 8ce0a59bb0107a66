import Foundation

extension DedupConfig {
    /// The `dedup:` section of a file for `grist dedup`: a pipeline config (its other sections are
    /// checked too, but not its input paths) or a file holding only `dedup:` (and optionally `version: 1`).
    public static func load(path: String) throws -> DedupConfig {
        let location = ConfigLocation(file: path, line: nil, path: "")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("cannot read the file (does it exist?)", at: location)
        }
        if data.count > 4 << 20 { throw ConfigError("the file is larger than 4 MiB; is it a config?", at: location) }
        guard let text = String(validating: Array(data), as: UTF8.self) else {
            throw ConfigError("the file is not valid UTF-8", at: location)
        }
        let dedup = try ConfigDecoder().decode(SectionProbe.self, from: text, file: path).isPipeline
            ? try LoadedConfig(text: text, path: path).config.dedup
            : try ConfigDecoder().decode(DedupFile.self, from: text, file: path).dedup
        if let first = dedup.against.first {
            throw ConfigError("against applies to grist build (earlier builds' indexes); grist dedup has none",
                              at: first.location ?? ConfigLocation(file: path, line: nil, path: "dedup.against"))
        }
        return dedup
    }
}

/// Whether a file is a whole pipeline (it has `sources`); other keys are not looked at.
private struct SectionProbe: Decodable {
    let isPipeline: Bool

    enum CodingKeys: String, CodingKey { case sources }

    init(from decoder: any Decoder) throws {
        isPipeline = try decoder.container(keyedBy: CodingKeys.self).contains(.sources)
    }
}

/// A file with only a `dedup:` section.
private struct DedupFile: Decodable {
    let dedup: DedupConfig

    enum CodingKeys: String, CodingKey, CaseIterable { case version, dedup }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        _ = try c.optionalValue(.version, .within(1...1))
        dedup = try c.decode(DedupConfig.self, forKey: .dedup)
    }
}
