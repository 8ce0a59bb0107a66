import GristCore
import Testing

/// The reader options of `sources[]`: formats, their sections, and the input policy keys.
@Suite struct SourceFormatConfigTests {
    private func source(_ body: String) throws -> SourceConfig {
        let yaml = """
            version: 1
            name: t
            output: out/t
            sources:
              - name: a
                paths: [x]

            """ + body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        return try ConfigDecoder().decode(PipelineConfig.self, from: yaml, file: "p.yaml").sources[0]
    }

    private func error(_ body: String) -> String {
        do {
            _ = try source(body)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func defaults() throws {
        let html = try source("format: html")
        #expect(html.format == .html)
        #expect(html.html.extract == .main)
        #expect(html.invalidUTF8 == .reject)
        #expect(html.maxExpansionRatio == 200)
        let wiki = try source("format: mediawiki")
        #expect(wiki.mediawiki.namespaces == [0])
        #expect(wiki.mediawiki.skipRedirects)
        #expect(try source("format: warc").warc.maxRecordBytes == 32 << 20)
    }

    @Test func decodesEveryNewKey() throws {
        let text = try source("""
            format: text
            invalid_utf8: replace
            max_expansion_ratio: 50
            text: {split: separator, separator: "\\n---\\n"}
            """)
        #expect(text.text.separator == "\n---\n")
        #expect(text.invalidUTF8 == .replace)
        #expect(text.maxExpansionRatio == 50)
        let jsonl = try source("format: jsonl\njsonl: {metadata_fields: [url, meta.lang]}")
        #expect(jsonl.jsonl.metadataFields == ["url", "meta.lang"])
        let wiki = try source("format: mediawiki\nmediawiki: {namespaces: [0, 14], skip_redirects: false}")
        #expect(wiki.mediawiki.namespaces == [0, 14])
        #expect(!wiki.mediawiki.skipRedirects)
        #expect(try source("format: warc\nwarc: {extract: all}").warc.extract == .all)
        #expect(try source("format: warc").warc.id == .recordID)
        let warc = try source("format: warc\nwarc: {id: url}\nmetadata_fields: [url, title]")
        #expect(warc.warc.id == .url)
        #expect(warc.metadataFields == ["url", "title"])
        // A JSON Lines source reads the fields it records from the record too, by their last name.
        let both = try source("format: jsonl\njsonl: {metadata_fields: [meta.url]}\nmetadata_fields: [url, meta.lang]")
        #expect(both.storedMetadataNames == ["url", "lang"])
        #expect(both.jsonlReading.metadataFields == ["meta.url", "meta.lang"])
    }

    @Test func wetSource() throws {
        let wet = try source("format: wet")
        #expect(wet.format == .wet)
        #expect(wet.wet.id == .url)
        #expect(wet.wet.maxRecordBytes == 32 << 20)
        let set = try source("format: wet\nwet: {id: record_id, max_record_bytes: 1000}\nmetadata_fields: [url, cc_language, refers_to]")
        #expect(set.wet.id == .recordID)
        #expect(set.wet.maxRecordBytes == 1000)
        #expect(set.metadataFields == ["url", "cc_language", "refers_to"])
    }

    @Test func rejectsMismatchedAndBadOptions() {
        #expect(error("format: text\ntext: {split: separator}").contains(
            #"text.split: split: separator needs a "separator" string"#))
        #expect(error("format: text\ntext: {separator: x}").contains(#"only used with split: separator"#))
        #expect(error("format: text\ntext: {split: separator, separator: \"\"}").contains(
            "expected a string of 1 to 4096 bytes"))
        #expect(error("format: html\nwarc: {}").contains(#""warc" options given for a source of format "html""#))
        #expect(error("format: jsonl\njsonl: {metadata_fields: [a, a]}").contains(#"metadata field "a" is listed twice"#))
        #expect(error("format: jsonl\njsonl: {metadata_fields: [a.url, b.url]}").contains(
            #"metadata fields "a.url" and "b.url" would both be stored as "url""#))
        #expect(error("format: warc\nmetadata_fields: [url, \"\"]").contains("expected a field name"))
        #expect(error("format: warc\nwarc: {id: uri}").contains(#"expected one of "record_id", "url""#))
        #expect(error("format: warc\nwet: {}").contains(#""wet" options given for a source of format "warc""#))
        #expect(error("format: wet\nwarc: {id: url}").contains(#""warc" options given for a source of format "wet""#))
        #expect(error("format: wet\nwet: {extract: all}").contains("extract"))
        #expect(error("format: wet\nwet: {max_record_bytes: 0}").contains("max_record_bytes"))
        #expect(error("format: wet\nwet: {id: uri}").contains(#"expected one of "record_id", "url""#))
        #expect(error("format: mediawiki\nmediawiki: {namespaces: []}").contains("at least one namespace"))
        #expect(error("format: html\nmax_expansion_ratio: 0.5").contains("max_expansion_ratio: expected a number ≥ 1.0"))
        #expect(error("format: html\ninvalid_utf8: drop").contains(#"expected one of "reject", "replace""#))
        #expect(error("format: pdf").contains(
            #"expected one of "text", "jsonl", "html", "warc", "wet", "mediawiki", "parquet", "hf_dataset""#))
        #expect(error("format: jsonl\nparquet: {}").contains(#""parquet" options given for a source of format "jsonl""#))
        #expect(error("format: parquet\nhf_dataset: {}").contains(#""hf_dataset" options given for a source of format "parquet""#))
        #expect(error("format: parquet\nparquet: {text_column: \"\"}").contains("text_column"))
        #expect(error("format: parquet\nparquet: {metadata_columns: [url, url]}").contains(#"metadata field "url" is listed twice"#))
        #expect(error("format: hf_dataset\nhf_dataset: {splits: []}").contains("at least one split"))
    }

    @Test func parquetAndHFDatasetSources() throws {
        let parquet = try source("format: parquet")
        #expect(parquet.parquet.textColumn == "text")
        #expect(parquet.parquet.idColumn == "id")
        #expect(parquet.format.readsParquet)
        let set = try source("format: parquet\nparquet: {text_column: content, id_column: uid, metadata_columns: [url]}\n"
                             + "metadata_fields: [url, dump]")
        #expect(set.parquet.textColumn == "content")
        #expect(set.parquetReading.metadataColumns == ["url", "dump"])
        let hf = try source("format: hf_dataset\nhf_dataset: {splits: [train, validation], config: sample-10BT}\n"
                            + "parquet: {text_column: content}")
        #expect(hf.hfDataset.splits == ["train", "validation"])
        #expect(hf.hfDataset.config == "sample-10BT")
        #expect(hf.parquet.textColumn == "content")
        #expect(try source("format: hf_dataset").hfDataset.splits == ["train"])
    }
}
