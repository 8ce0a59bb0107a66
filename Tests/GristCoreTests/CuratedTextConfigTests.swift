import GristCore
import Testing

private func decode(_ yaml: String) throws -> PipelineConfig { try TestPipeline.decode(yaml) }

private func error(_ yaml: String) -> String { TestPipeline.error(yaml) }

/// Issue 15: the `text:` section (the curated text a build writes beside its shards).
@Suite struct CuratedTextConfigTests {
    @Test func absentWritesNothingAndEmptyOrNullTakesTheDefaults() throws {
        #expect(try decode("").text == nil)
        for yaml in ["text: {}\n", "text:\n"] {
            let text = try #require(try decode(yaml).text, "\(yaml)")
            #expect(text.format == .jsonlZst && text.order == .shards && text.fields == nil && text.fileMB == 256)
            #expect(text.compression == nil && text.format.fileExtension == "jsonl.zst")
            #expect(text.fileBytes == 256 << 20)
        }
    }

    @Test func everyKeyIsRead() throws {
        let text = try #require(try decode("""
            text:
              format: jsonl.zst
              fields: [text, id, url]
              order: source
              file_mb: 0.5

            """).text)
        #expect(text.format == .jsonlZst && text.order == .source && text.fileBytes == 524_288)
        #expect(text.fields?.map(\.value) == ["text", "id", "url"])
        #expect(text.fields?.map { $0.location?.line } == [10, 10, 10])
    }

    @Test func badValuesAreErrorsAtTheirLine() {
        #expect(error("text: {order: random}\n") == "p.yaml:8: text.order: expected one of \"shards\", \"source\", got \"random\"")
        #expect(error("text: {format: csv}\n")
            == "p.yaml:8: text.format: expected one of \"jsonl.zst\", \"parquet\", got \"csv\"")
        #expect(error("text: {file_mb: 0}\n").hasPrefix("p.yaml:8: text.file_mb: expected a number in"))
        #expect(error("text:\n  fields: []\n") == "p.yaml:9: text.fields: fields is empty; list at least one (text, id, …)")
        #expect(error("text:\n  fields:\n    - id\n    - text\n    - id\n")
            == "p.yaml:12: text.fields[2]: field \"id\" is listed twice")
        #expect(error("text: {field: [id]}\n").contains("unknown key \"field\" (did you mean \"fields\"?)"))
    }

    @Test func parquetTakesACompressionAndJSONLinesDoesNot() throws {
        let parquet = try #require(try decode("text: {format: parquet}\n").text)
        #expect(parquet.format == .parquet && parquet.compression == nil && parquet.format.fileExtension == "parquet")
        #expect(try decode("text: {format: parquet, compression: zstd}\n").text?.compression == .zstd)
        #expect(try decode("text: {format: parquet, compression: snappy}\n").text?.compression == .snappy)
        #expect(error("text:\n  compression: zstd\n")
            == "p.yaml:9: text.compression: compression chooses the codec of Parquet pages (format: parquet); "
            + "jsonl.zst files are always zstd")
        #expect(error("text: {format: parquet, compression: gzip}\n")
            == "p.yaml:8: text.compression: expected one of \"snappy\", \"zstd\", got \"gzip\"")
    }

    @Test func fieldsResolveAgainstTheRecordedMetadata() throws {
        let defaults = try CuratedTextField.resolve(CuratedTextConfig(), recordedMetadata: ["url", "language"])
        #expect(defaults == [.id, .text, .source, .split, .tokens, .metadata("url"), .metadata("language")])
        #expect(defaults.map(\.name) == ["id", "text", "source", "split", "tokens", "url", "language"])
        #expect(defaults.map(\.isNullable) == [false, false, false, false, false, true, true])
        let listed = try #require(try decode("text: {fields: [text, url, tokens]}\n").text)
        #expect(try CuratedTextField.resolve(listed, recordedMetadata: ["url"]) == [.text, .metadata("url"), .tokens])
        // A metadata key named like a built-in field is the built-in field.
        #expect(try CuratedTextField.resolve(CuratedTextConfig(), recordedMetadata: ["id", "date"])
            == CuratedTextField.builtIn + [.metadata("date")])
    }

    @Test func unknownFieldsAreErrorsAtTheirLinesAllAtOnce() throws {
        let text = try #require(try decode("text:\n  fields:\n    - txt\n    - id\n    - title\n").text)
        #expect(throws: ConfigErrors.self) { try CuratedTextField.resolve(text, recordedMetadata: ["url"]) }
        do {
            _ = try CuratedTextField.resolve(text, recordedMetadata: ["url"])
        } catch {
            let lines = "\(error)".split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("p.yaml:10: text.fields[0]: unknown field \"txt\" (did you mean \"text\"?)") == true,
                    "\(error)")
            #expect(lines.last?.hasPrefix("p.yaml:12: text.fields[2]: unknown field \"title\"") == true, "\(error)")
            #expect(lines.last?.hasSuffix("(metadata_fields, a language filter's language: here url)") == true, "\(error)")
        }
        let single = try #require(try decode("text: {fields: [url]}\n").text)
        #expect(throws: ConfigError.self) { try CuratedTextField.resolve(single, recordedMetadata: []) }
    }
}
