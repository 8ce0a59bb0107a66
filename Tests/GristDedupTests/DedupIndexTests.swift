import Foundation
import GristCore
@testable import GristDedup
import Testing

/// A build's dedup index (`dedup-index/`) and earlier documents pinned in a later deduplication.
@Suite struct DedupIndexTests {
    /// Phase 1 of `texts` as file 0 of a new work folder.
    private func sketched(_ texts: [String], settings: DedupSettings, in path: String) throws -> DedupWorkFolder {
        let folder = DedupWorkFolder(path: path)
        try folder.create()
        var sketcher = settings.makeSketcher()
        var sketch = DocumentSketch()
        let writer = try DedupSpillWriter(folder: folder, file: 0, bands: settings.bands)
        for text in texts {
            Array(text.utf8).withUnsafeBytes { sketcher.sketch($0, into: &sketch) }
            try writer.add(sketch, byteCount: text.utf8.count, priority: 7)
        }
        try writer.finish()
        return folder
    }

    /// Writes an index of `texts[kept]` and reads it back.
    private func index(_ texts: [String], kept: [Int], settings: DedupSettings, in root: String) throws -> DedupIndex.Stored {
        let part = try sketched(texts, settings: settings, in: root + "/part")
        let writer = try DedupIndexWriter(path: root + "/index", settings: settings)
        try writer.add(from: part, kept: kept.map { ($0, DedupIndex.Identity(document: Int64($0 + 1), source: "old", id: "o\($0)")) })
        try writer.finish(pipeline: "old", buildKey: "k")
        return try DedupIndex.Stored(path: root + "/index")
    }

    @Test(arguments: [DedupKeepRule.first, .longest, .priority])
    func earlierDocumentsAlwaysSurviveAndOnlyTheKeptOnesAreIndexed(keep: DedupKeepRule) throws {
        let root = try temporaryFolder("dedup-index")
        defer { try? FileSystem.remove(root) }
        var source = WordSource(seed: 11)
        let base = source.words(300)
        let short = base.joined(separator: " ")
        let dropped = source.words(200).joined(separator: " ")
        let settings = DedupSettings.minhash(keep: keep)
        // The earlier build kept `short` and an unrelated text, not `dropped` (its duplicate of something).
        let stored = try index([short, dropped, source.words(250).joined(separator: " ")], kept: [0, 2],
                               settings: settings, in: root)
        #expect(stored.description.documents == 2 && stored.description.pipeline == "old")
        #expect(try stored.identities(of: [1]) == [1: DedupIndex.Identity(document: 3, source: "old", id: "o2")])
        // The new build: a longer near copy of `short`, a copy of `dropped`, one of its own twice.
        let own = source.words(150).joined(separator: " ")
        let longer = (base + source.words(20)).joined(separator: " ")
        let work = DedupWorkFolder(path: root + "/work")
        try work.create()
        try work.linkPinned(index: stored, as: 0)
        let writer = try DedupSpillWriter(folder: work, file: 1, bands: settings.bands)
        var sketcher = settings.makeSketcher()
        var sketch = DocumentSketch()
        for text in [longer, dropped, own, own] {
            Array(text.utf8).withUnsafeBytes { sketcher.sketch($0, into: &sketch) }
            try writer.add(sketch, byteCount: text.utf8.count, priority: 0)
        }
        let plan = try DedupPlan(settings: settings, folder: work, documentCounts: [2, try writer.finish()])
        for task in plan.tasks { try plan.run(task, memoryBytes: 16 << 20) }
        var members: [DuplicateMember] = []
        _ = try plan.cluster { members.append($0) }
        // 0, 1: pinned; 2: longer, 3: dropped's copy, 4, 5: own twice.
        #expect(members.map(\.document) == [0, 2, 4, 5], "\(members)")
        #expect(members.map(\.kept) == [0, 0, 4, 4], "the earlier document survives under keep: \(keep)")
    }

    @Test func aReaderRefusesAnotherVersionOrShape() throws {
        let root = try temporaryFolder("dedup-index-version")
        defer { try? FileSystem.remove(root) }
        let settings = DedupSettings.minhash()
        let stored = try index(["one two three four five six", "seven"], kept: [0, 1], settings: settings, in: root)
        #expect(stored.mismatch(with: settings) == nil)
        #expect(stored.mismatch(with: DedupSettings(exact: true, minhash: nil)) == nil, "exact keys serve exact-only builds")
        #expect(stored.mismatch(with: .minhash(bands: 10))?.contains("bands 14") == true)
        let exactOnly = try index(["a b"], kept: [0], settings: DedupSettings(exact: true, minhash: nil), in: root + "/e")
        #expect(exactOnly.mismatch(with: settings)?.contains("exact keys only") == true)
        let path = root + "/index/index.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 2").write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try DedupIndex.Stored(path: root + "/index") } throws: { error in
            "\(error)".contains("dedup index version 2 cannot be read") && "\(error)".contains("index.json")
        }
        try FileSystem.remove(path)
        #expect { try DedupIndex.Stored(path: root + "/index") } throws: { "\($0)".contains("index.json is missing") }
    }
}
