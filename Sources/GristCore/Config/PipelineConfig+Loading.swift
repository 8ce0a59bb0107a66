import Foundation

/// A configuration read from a file, with the exact text it came from (recorded in the manifest).
public struct LoadedConfig: Sendable {
    public let config: PipelineConfig
    public let path: String
    public let text: String
    /// SHA-256 of the file's bytes, hex.
    public let sha256: String
}

extension PipelineConfig {
    /// Reads and decodes a pipeline file; the file is named in every error.
    public static func load(path: String) throws -> LoadedConfig {
        let location = ConfigLocation(file: path, line: nil, path: "")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("cannot read the file (does it exist?)", at: location)
        }
        if data.count > 4 << 20 { throw ConfigError("the file is larger than 4 MiB; is it a pipeline?", at: location) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("the file is not valid UTF-8", at: location)
        }
        let config = try ConfigDecoder().decode(PipelineConfig.self, from: text, file: path)
        return LoadedConfig(config: config, path: path, text: text, sha256: SHA256.hex(of: Array(data)))
    }
}
