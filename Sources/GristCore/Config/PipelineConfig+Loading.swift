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

    private init(config: PipelineConfig, text: String, path: String, sha256: String) {
        self.config = config
        self.path = path
        self.text = text
        self.sha256 = sha256
    }

    /// Reads a pipeline file for checking: every error decoding found, and the config (its bad keys at
    /// their defaults) when decoding could go on to the end, so later checks (paths, rule options, the
    /// `train:` section) can add theirs. Never build from a config that came with errors.
    public static func loadCollectingErrors(path: String) -> (loaded: LoadedConfig?, errors: [ConfigError]) {
        do {
            let (text, sha256) = try PipelineConfig.readText(path: path)
            let (config, errors) = try ConfigDecoder().decodeCollecting(PipelineConfig.self, from: text, file: path)
            return (config.map { LoadedConfig(config: $0, text: text, path: path, sha256: sha256) }, errors)
        } catch let error as ConfigError {
            return (nil, [error])
        } catch {
            return (nil, [ConfigError("\(error)", at: ConfigLocation(file: path, line: nil, path: ""))])
        }
    }
}

extension PipelineConfig {
    /// Reads and decodes a pipeline file; the file is named in every error.
    public static func load(path: String) throws -> LoadedConfig {
        let (text, sha256) = try readText(path: path)
        return try LoadedConfig(text: text, path: path, sha256: sha256)
    }

    /// The file's text and the SHA-256 of its bytes; a file that cannot be a pipeline is an error.
    static func readText(path: String) throws -> (text: String, sha256: String) {
        let location = ConfigLocation(file: path, line: nil, path: "")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("cannot read the file (does it exist?)", at: location)
        }
        if data.count > 4 << 20 { throw ConfigError("the file is larger than 4 MiB; is it a pipeline?", at: location) }
        let bytes = Array(data)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError("the file is not valid UTF-8", at: location)
        }
        return (text, SHA256.hex(of: bytes))
    }
}
