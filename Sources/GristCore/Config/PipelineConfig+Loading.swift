import Foundation

/// A configuration read from a file, with the exact text it came from (recorded in the manifest).
public struct LoadedConfig: Sendable {
    public let config: PipelineConfig
    public let path: String
    public let text: String
    /// SHA-256 of the file's bytes, hex.
    public let sha256: String

    /// Decodes `text` as if read from `path` (which only names it in errors and in the manifest).
    public init(text: String, path: String) throws {
        try self.init(text: text, path: path, sha256: SHA256.hex(of: Array(text.utf8)))
    }

    init(text: String, path: String, sha256: String) throws {
        config = try ConfigDecoder().decode(PipelineConfig.self, from: text, file: path)
        self.path = path
        self.text = text
        self.sha256 = sha256
    }
}

extension PipelineConfig {
    /// Reads and decodes a pipeline file; the file is named in every error.
    public static func load(path: String) throws -> LoadedConfig {
        let location = ConfigLocation(file: path, line: nil, path: "")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("cannot read the file (does it exist?)", at: location)
        }
        if data.count > 4 << 20 { throw ConfigError("the file is larger than 4 MiB; is it a pipeline?", at: location) }
        let bytes = Array(data)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError("the file is not valid UTF-8", at: location)
        }
        return try LoadedConfig(text: text, path: path, sha256: SHA256.hex(of: bytes))
    }
}
