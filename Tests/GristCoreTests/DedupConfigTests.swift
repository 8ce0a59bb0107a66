import GristCore
import Testing

@Suite struct DedupConfigTests {
    private func decode(_ yaml: String) throws -> PipelineConfig { try TestPipeline.decode(yaml, header: TestPipeline.twoSources) }

    private func error(_ yaml: String) -> String { TestPipeline.error(yaml, header: TestPipeline.twoSources) }

    @Test func defaultsEqualDatatrove() throws {
        let config = try decode("dedup: {minhash: {}}")
        let minhash = try #require(config.dedup.minhash)
        #expect(config.dedup.exact)
        #expect((minhash.ngram, minhash.bands, minhash.rows, minhash.seed) == (5, 14, 8, 1))
        #expect(minhash.verify && minhash.threshold == 0.8 && minhash.keep == .first && minhash.memoryMB == 1024)
        #expect(try decode("").dedup.minhash == nil)
    }

    @Test func decodesEveryKey() throws {
        let config = try decode("""
            dedup:
              exact: false
              minhash: {ngram: 3, bands: 20, rows: 5, seed: 7, verify: false, threshold: 0.7, keep: priority,
                        priority: [b, a], memory_mb: 2048}
            """)
        let m = try #require(config.dedup.minhash)
        #expect(!config.dedup.exact)
        #expect((m.ngram, m.bands, m.rows, m.seed, m.verify, m.threshold) == (3, 20, 5, 7, false, 0.7))
        #expect(m.keep == .priority && m.priority == ["b", "a"] && m.memoryMB == 2048)
        #expect(m.maxClusterSize == MinHashConfig.defaultMaxClusterSize)
        let off = try decode("dedup: {minhash: {verify: false, max_cluster_size: 0}}")
        #expect(off.dedup.minhash?.maxClusterSize == 0)
    }

    @Test func urlDefaultsAndKeys() throws {
        #expect(try decode("").dedup.url == nil)
        let on = try #require(try decode("dedup: {url: {}}").dedup.url)
        #expect(on.normalize && on.field == "url" && on.keep == nil)
        let config = try decode("dedup: {exact: false, url: {normalize: false, field: link, keep: most_recent}}")
        let url = try #require(config.dedup.url)
        #expect(!url.normalize && url.field == "link" && url.keep == .mostRecent)
        #expect(config.dedup.isEnabled && config.dedup.keep == .mostRecent)
        #expect(try decode("dedup: {url: {}, minhash: {keep: longest}}").dedup.keep == .longest)
    }

    @Test(arguments: [
        ("dedup: {url: {normalise: true}}", #"p.yaml:11: dedup.url.normalise: unknown key "normalise" (did you mean "normalize"?)"#),
        ("dedup: {url: {field: \"\"}}", "p.yaml:11: dedup.url.field: expected a string that is not empty, got \"\""),
        ("dedup: {url: {keep: last}}", #"p.yaml:11: dedup.url.keep: expected one of "first", "longest", "priority", "highest_quality", "most_recent", got "last""#),
        ("dedup: {url: {keep: longest}, minhash: {}}", "p.yaml:11: dedup.url.keep: one keep rule serves every kind of duplicate: with minhash, set it as minhash.keep"),
        ("dedup: {minhash: {bandz: 3}}", #"p.yaml:11: dedup.minhash.bandz: unknown key "bandz" (did you mean "bands"?)"#),
        ("dedup: {minhash: {threshold: 1.5}}", "p.yaml:11: dedup.minhash.threshold: expected a number in 0.0...1.0, got 1.5"),
        ("dedup: {minhash: {keep: last}}", #"p.yaml:11: dedup.minhash.keep: expected one of "first", "longest", "priority", "highest_quality", "most_recent", got "last""#),
        ("dedup: {minhash: {quality_key: s}}", #"p.yaml:11: dedup.minhash.quality_key: "quality_key" is given but keep is "first"; set keep: highest_quality"#),
        ("dedup: {minhash: {date_key: d}}", #"p.yaml:11: dedup.minhash.date_key: "date_key" is given but keep is "first"; set keep: most_recent"#),
        ("dedup: {minhash: {memory_mb: 8}}", "p.yaml:11: dedup.minhash.memory_mb: expected an integer in 16...1048576, got 8"),
        ("dedup: {minhash: {bands: 100, rows: 20}}", "p.yaml:11: dedup.minhash.rows: bands × rows is 2000; at most 1024 hashes per document are supported"),
        ("dedup: {minhash: {priority: [a]}}", #"p.yaml:11: dedup.minhash.priority: "priority" is given but keep is "first"; set keep: priority"#),
        ("dedup: {minhash: {keep: priority, priority: [c]}}", #"p.yaml:11: dedup.minhash.priority: dedup priority names "c", which is not a source"#),
        ("dedup: {minhash: {ngram: 0}}", "p.yaml:11: dedup.minhash.ngram: expected an integer in 1...64, got 0"),
    ])
    func rejectsBadValuesWithLineAndPath(yaml: String, message: String) {
        #expect(error(yaml) == message)
    }
}
