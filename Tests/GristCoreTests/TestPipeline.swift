import GristCore

/// The smallest pipeline file, which config tests extend with the keys they test.
enum TestPipeline {
    /// One text source.
    static let oneSource = """
        version: 1
        name: t
        output: out/t
        sources:
          - name: a
            format: text
            paths: [corpora/a.txt]

        """

    /// Two text sources.
    static let twoSources = oneSource + """
          - name: b
            format: text
            paths: [corpora/b.txt]

        """

    /// Decodes `header + yaml` as the file `p.yaml`.
    static func decode(_ yaml: String, header: String = oneSource) throws -> PipelineConfig {
        try ConfigDecoder().decode(PipelineConfig.self, from: header + yaml, file: "p.yaml")
    }

    /// The error decoding `header + yaml` gives, as printed, or "no error".
    static func error(_ yaml: String, header: String = oneSource) -> String {
        do {
            _ = try decode(yaml, header: header)
            return "no error"
        } catch {
            return "\(error)"
        }
    }
}
