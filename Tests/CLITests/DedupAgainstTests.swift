import Foundation
import GristCore
import GristShards
import Testing

/// Incremental dedup across builds (`dedup.against`): a build deduplicated against the stored sketches
/// of an earlier one keeps exactly the documents that deduplicating both together (the earlier sources
/// first) keeps of its sources; the earlier build's index (`dedup-index/`) is versioned and checked.
@Suite struct DedupAgainstTests {
    /// Real text with planted near and exact duplicates, cut in two by line (even lines, odd lines), and two
    /// parts of the Python docs: each half has duplicates in the other.
    private static let planted = "Tests/GristPipelineTests/Fixtures/planted/corpus.jsonl.zst"
    private static let docs = ["corpora/python-docs/part-000.jsonl.zst", "corpora/python-docs/part-002.jsonl.gz"]

    private static let exactOnly = "dedup:\n  exact: true"
    private static let withMinHash = "dedup:\n  exact: true\n  minhash: {threshold: 0.8, verify: true}"

    /// Writes the two halves of the planted corpus; returns the sources' entries S1 and S2.
    private func halves(_ folder: String) throws -> (s1: String, s2: String) {
        let lines = String(decoding: try CLI.toolOutput(["zstd", "-dc", CLI.root + "/" + Self.planted]), as: UTF8.self)
            .split(separator: "\n")
        let even = lines.enumerated().filter { $0.offset % 2 == 0 }.map { $0.element + "\n" }.joined()
        let odd = lines.enumerated().filter { $0.offset % 2 == 1 }.map { $0.element + "\n" }.joined()
        try even.write(toFile: folder + "/s1.jsonl", atomically: true, encoding: .utf8)
        try odd.write(toFile: folder + "/s2.jsonl", atomically: true, encoding: .utf8)
        return ("  - {name: s1, format: jsonl, paths: [\(folder)/s1.jsonl, \(CLI.root)/\(Self.docs[0])]}",
                "  - {name: s2, format: jsonl, paths: [\(folder)/s2.jsonl, \(CLI.root)/\(Self.docs[1])]}")
    }

    /// Writes `FOLDER/NAME.yaml`, a pipeline named `name` with output `FOLDER/NAME`.
    private func pipeline(_ folder: String, _ name: String, sources: [String], dedup: String,
                          against: [String] = [], seed: Int = 1) throws -> String {
        let config = folder + "/\(name).yaml"
        try """
            version: 1
            name: \(name)
            output: \(folder)/\(name)
            seed: \(seed)
            sources:
            \(sources.joined(separator: "\n"))
            \(dedup)
            \(against.isEmpty ? "" : "  against: [\(against.joined(separator: ", "))]")

            """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    private struct Row: Hashable {
        var id: Int
        var source: String
        var externalId: String
        var stage: String?
        var duplicateOf: Int?
    }

    private func documents(_ output: String) throws -> [Row] {
        let manifest = try Manifest.open(path: output + "/manifest.sqlite")
        return try manifest.database.prepare("""
            SELECT d.id AS id, s.name AS source, d.externalId AS externalId, d.stage AS stage, d.duplicateOf AS duplicateOf
            FROM document d JOIN inputFile f ON f.id = d.inputFileId JOIN source s ON s.id = f.sourceId ORDER BY d.id
            """).mapRows { row in
            Row(id: row.int("id"), source: row.string("source"), externalId: row.string("externalId"),
                stage: row["stage"].string, duplicateOf: row["duplicateOf"].int)
        }
    }

    private func build(_ config: String, workers: Int = 2) throws -> CLI.Result {
        let result = try CLI.run(["build", config, "-w", "\(workers)"])
        #expect(result.status == 0, "\(result.stderr)")
        return result
    }

    @Test(arguments: [false, true])
    func anIncrementalBuildEqualsDeduplicatingBothTogether(minhash: Bool) throws {
        let folder = try CLI.temporaryFolder("dedup-against")
        defer { try? FileSystem.remove(folder) }
        let (s1, s2) = try halves(folder)
        let dedup = minhash ? Self.withMinHash : Self.exactOnly
        _ = try build(try pipeline(folder, "a", sources: [s1], dedup: dedup))
        _ = try build(try pipeline(folder, "b", sources: [s2], dedup: dedup, against: [folder + "/a"]))
        _ = try build(try pipeline(folder, "c", sources: [s1, s2], dedup: dedup))

        let a = try documents(folder + "/a"), b = try documents(folder + "/b"), c = try documents(folder + "/c")
        let cS2 = c.filter { $0.source == "s2" }
        #expect(b.map(\.externalId) == cS2.map(\.externalId), "the same documents of S2, in the same order")
        let droppedB = Set(b.filter { $0.stage == "dedup" }.map(\.externalId))
        let droppedC = Set(cS2.filter { $0.stage == "dedup" }.map(\.externalId))
        #expect(droppedB.count > (minhash ? 100 : 50), "S2 has many duplicates: \(droppedB.count)")
        #expect(droppedB == droppedC, "B drops what the joint build drops of S2: only B \(droppedB.subtracting(droppedC).sorted().prefix(5)), only C \(droppedC.subtracting(droppedB).sorted().prefix(5))")
        #expect(b.map { $0.stage ?? "" } == cS2.map { $0.stage ?? "" }, "every S2 document has the same fate")

        // Each cross-build duplicate names A's build, source and document: the document C kept in its place.
        let manifest = try Manifest.open(path: folder + "/b/manifest.sqlite")
        let earlier = try manifest.database.prepare("""
            SELECT e.documentId AS documentId, b.path AS path, b.pipeline AS pipeline, e.earlierDocumentId AS earlierId,
                   e.source AS source, e.externalId AS externalId FROM earlierDuplicate e JOIN earlierBuild b ON b.id = e.earlierBuildId
            """).mapRows { row in
            (document: row.int("documentId"), path: row.string("path"), pipeline: row.string("pipeline"),
             earlierId: row.int("earlierId"), source: row.string("source"), externalId: row.string("externalId"))
        }
        let byIdA = Dictionary(uniqueKeysWithValues: a.map { ($0.id, $0) })
        let byIdB = Dictionary(uniqueKeysWithValues: b.map { ($0.id, $0) })
        let byIdC = Dictionary(uniqueKeysWithValues: c.map { ($0.id, $0) })
        var survivorsInS1: [String: String] = [:]
        for row in cS2 where row.stage == "dedup" {
            let survivor = try #require(row.duplicateOf)
            let kept = try #require(byIdC[survivor])
            if kept.source == "s1" { survivorsInS1[row.externalId] = kept.externalId }
        }
        #expect(!survivorsInS1.isEmpty)
        #expect(earlier.count == survivorsInS1.count, "one row per duplicate of an earlier document")
        for row in earlier {
            #expect(row.path == folder + "/a" && row.pipeline == "a" && row.source == "s1")
            let document = try #require(byIdB[row.document])
            #expect(document.stage == "dedup" && document.duplicateOf == nil)
            #expect(byIdA[row.earlierId]?.externalId == row.externalId, "A's document id and its id agree")
            #expect(survivorsInS1[document.externalId] == row.externalId,
                    "\(document.externalId): C kept \(survivorsInS1[document.externalId] ?? "-"), B names \(row.externalId)")
        }
        // Within S2, duplicates point at B's own documents.
        for row in b where row.stage == "dedup" && !earlier.contains(where: { $0.document == row.id }) {
            #expect(row.duplicateOf.flatMap { byIdB[$0] } != nil)
        }
        let stats = try CLI.run(["stats", folder + "/b"])
        #expect(stats.stdout.contains("duplicates of earlier builds"), "\(stats.stdout)")
        let report = try CLI.run(["report", folder + "/b", "-o", folder + "/b.html"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(try String(contentsOfFile: folder + "/b.html", encoding: .utf8).contains("<h2>Duplicates of earlier builds</h2>"))
        let inspect = try CLI.run(["inspect", folder + "/b", "--duplicates", "--n", "1"])
        #expect(inspect.stdout.contains("\(earlier.count) documents dropped as duplicates of earlier build a (\(folder)/a)"),
                "\(inspect.stdout)")
    }

    @Test func theIndexIsVersionedCheckedAndTheSameForAnyWorkerCount() throws {
        let folder = try CLI.temporaryFolder("dedup-against-index")
        defer { try? FileSystem.remove(folder) }
        let (s1, s2) = try halves(folder)
        _ = try build(try pipeline(folder, "a", sources: [s1], dedup: Self.withMinHash), workers: 1)
        let one = folder + "/a/dedup-index"
        let files = FileSystem.contents(of: one).sorted()
        #expect(files.contains("index.json") && files.contains("documents.jsonl") && files.contains("file-000000.docs")
            && files.contains("file-000000.shingles") && files.contains("file-000000.band-13"), "\(files)")
        try FileManager.default.copyItem(atPath: one, toPath: folder + "/index-1")
        try FileSystem.remove(folder + "/a")
        _ = try build(try pipeline(folder, "a", sources: [s1], dedup: Self.withMinHash), workers: 2)
        for file in files {
            #expect(try CLI.toolOutput(["cat", folder + "/index-1/" + file]) == (try CLI.toolOutput(["cat", one + "/" + file])),
                    "\(file) is the same for 1 and 2 workers")
        }
        let description = String(decoding: try CLI.toolOutput(["cat", one + "/index.json"]), as: UTF8.self)
        #expect(description.contains("\"format\" : \"grist-dedup-index\"") && description.contains("\"version\" : 1"),
                "\(description)")

        // Another sketch shape, or an index of exact keys only under minhash: config errors at the line.
        let shape = try pipeline(folder, "b", sources: [s2], dedup: "dedup:\n  minhash: {bands: 10}", against: [folder + "/a"])
        let refused = try CLI.run(["validate", shape])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("b.yaml:9: dedup.against") && refused.stderr.contains("\(folder)/a: its dedup index cannot be used")
            && refused.stderr.contains("bands 14"), "\(refused.stderr)")
        // A folder without an index, and one of another version.
        let missing = try CLI.run(["validate", try pipeline(folder, "b", sources: [s2], dedup: Self.withMinHash,
                                                             against: [folder + "/nowhere"])])
        #expect(missing.status == 2 && missing.stderr.contains("\(folder)/nowhere: no such output folder"), "\(missing.stderr)")
        try description.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 2")
            .write(toFile: one + "/index.json", atomically: true, encoding: .utf8)
        let version = try CLI.run(["build", try pipeline(folder, "b", sources: [s2], dedup: Self.withMinHash,
                                                          against: [folder + "/a"])])
        #expect(version.status == 2 && version.stderr.contains("dedup index version 2 cannot be read")
            && version.stderr.contains("\(folder)/a/dedup-index"), "\(version.stderr)")
        // Without dedup the index goes.
        _ = try build(try pipeline(folder, "a", sources: [s1], dedup: "dedup:\n  exact: false"))
        #expect(!FileSystem.exists(one))
    }

    @Test func aRebuildIsUpToDateUntilTheEarlierBuildChanges() throws {
        let folder = try CLI.temporaryFolder("dedup-against-rebuild")
        defer { try? FileSystem.remove(folder) }
        let (s1, s2) = try halves(folder)
        _ = try build(try pipeline(folder, "a", sources: [s1], dedup: Self.exactOnly))
        let b = try pipeline(folder, "b", sources: [s2], dedup: Self.exactOnly, against: [folder + "/a"])
        _ = try build(b)
        let again = try build(b)
        #expect(again.stdout.hasPrefix("up to date"), "\(again.stdout)")
        // A rebuilt differently (another seed): its index changes, so B deduplicates again.
        _ = try build(try pipeline(folder, "a", sources: [s1], dedup: Self.exactOnly, seed: 2))
        let changed = try build(b)
        #expect(changed.stdout.hasPrefix("built "), "\(changed.stdout)")
        #expect(changed.stderr.contains("dedup: ran") && changed.stderr.contains("scan: reused"), "\(changed.stderr)")
    }
}
