import Foundation
import GristCore
import GristShards
import Testing

/// `decontaminate:` in a real build: eval items cut from the Spanish Bible planted in Shakespeare (whole,
/// upper-cased with punctuation added, split across lines), found with exact spans, removed with their
/// windows, recorded, counted, shown; the other actions; config mistakes.
@Suite struct DecontaminationCLITests {
    /// One planted document: its id, the item it holds, and the item's span in its text (characters).
    struct Planting {
        var id: String
        var item: Int
        var span: Range<Int>
        var characters: Int
    }

    /// Writes `hosts.jsonl` (40 documents of Shakespeare, 30 with an item planted) and `eval.jsonl` (10 items);
    /// returns the plantings.
    static func corpus(in folder: String) throws -> [Planting] {
        let bible = try String(contentsOfFile: CLI.root + "/corpora/multilingual/bible-es-rv1909.jsonl", encoding: .utf8)
        var items: [String] = []
        var eval = ""
        for line in bible.split(separator: "\n").prefix(10) {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let words = (record?["text"] as? String ?? "").split(whereSeparator: \.isWhitespace)
            let item = words[50..<80].joined(separator: " ")
            items.append(item)
            eval += String(decoding: try JSONSerialization.data(withJSONObject: ["question": item]), as: UTF8.self) + "\n"
        }
        try eval.write(toFile: folder + "/eval.jsonl", atomically: true, encoding: .utf8)
        let plays = try FileManager.default.contentsOfDirectory(atPath: CLI.root + "/corpora/shakespeare").sorted()
            .filter { $0.hasSuffix(".txt") }.prefix(10)
        var hosts = ""
        var plantings: [Planting] = []
        var number = 0
        for play in plays {
            let text = try String(contentsOfFile: CLI.root + "/corpora/shakespeare/" + play, encoding: .utf8)
                .replacingOccurrences(of: "\r\n", with: "\n")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(400)
            for chunk in 0..<4 {
                let body = lines.dropFirst(chunk * 120).prefix(120).map { $0.trimmingCharacters(in: .whitespaces) }
                var document = body.prefix(60).joined(separator: "\n") + "\n"
                let id = "host-\(number)"
                if number < 30 {
                    let item = number % 10
                    let words = items[item].split(separator: " ").map(String.init)
                    var planted: String
                    switch number / 10 {
                    case 0: planted = items[item]
                    case 1:
                        planted = words.enumerated().map { $0.offset % 3 == 2 && $0.offset < words.count - 1
                            ? $0.element.uppercased() + "," : $0.element.uppercased() }.joined(separator: " ")
                    default:
                        planted = words.enumerated().map { ($0.offset > 0 && $0.offset % 5 == 0 ? "\n" : " ") + $0.element }
                            .joined().trimmingCharacters(in: .whitespaces)
                    }
                    // The span runs from the first letter or digit to the last (punctuation is not part of it).
                    let scalars = Array(planted.unicodeScalars)
                    let isWord = { (s: Unicode.Scalar) in s.properties.isAlphabetic || s.properties.numericType != nil }
                    let first = scalars.firstIndex(where: isWord) ?? 0
                    let last = scalars.lastIndex(where: isWord) ?? 0
                    let start = document.unicodeScalars.count
                    plantings.append(Planting(id: id, item: item, span: (start + first)..<(start + last + 1), characters: 0))
                    document += planted + "\n"
                }
                document += body.dropFirst(60).joined(separator: "\n")
                if let index = plantings.indices.last, plantings[index].id == id {
                    plantings[index].characters = document.unicodeScalars.count
                }
                hosts += String(decoding: try JSONSerialization.data(withJSONObject: ["id": id, "text": document]),
                                as: UTF8.self) + "\n"
                number += 1
            }
        }
        try hosts.write(toFile: folder + "/hosts.jsonl", atomically: true, encoding: .utf8)
        return plantings
    }

    static func config(_ folder: String, output: String, _ decontaminate: String) throws -> String {
        let path = folder + "/\(output).yaml"
        try """
            version: 1
            name: decon
            output: \(folder)/\(output)
            seed: 3
            sources:
              - {name: hosts, format: jsonl, paths: [\(folder)/hosts.jsonl]}
            clean: {normalize_whitespace: false}
            decontaminate:
              sets:
                - {name: bible, paths: [\(folder)/eval.jsonl], fields: [question]}
            \(decontaminate)
            dedup: {exact: false}
            mix: {val_fraction: 0}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func removeSpansFindsEveryPlantedItemAndCutsExactWindows() throws {
        let folder = try CLI.temporaryFolder("decontaminate")
        defer { try? FileSystem.remove(folder) }
        let plantings = try Self.corpus(in: folder)
        #expect(plantings.count == 30)
        let config = try Self.config(folder, output: "out", "  window: 200\n  min_piece_chars: 0")
        let built = try CLI.run(["build", config, "--workers", "2"])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stdout.contains("40 documents read"), "\(built.stdout)")

        let manifest = try Manifest.open(path: folder + "/out/manifest.sqlite")
        let db = manifest.database
        for planting in plantings {
            let rows = try db.prepare("""
                SELECT m.charStart AS charStart, m.charEnd AS charEnd, i.itemId AS itemId, c.outcome AS outcome,
                       c.pieces AS pieces, c.removedChars AS removedChars
                FROM contaminationMatch m JOIN evalItem i ON i.id = m.evalItemId
                JOIN contamination c ON c.documentId = m.documentId
                JOIN document d ON d.id = m.documentId WHERE d.externalId = ?
                """).mapRows(.text(planting.id)) {
                ($0.int("charStart")..<$0.int("charEnd"), $0.string("itemId"), $0.string("outcome"), $0.int("pieces"),
                 $0.int("removedChars"))
            }
            #expect(rows.count == 1, "\(planting.id): \(rows)")
            guard let row = rows.first else { continue }
            #expect(row.0 == planting.span, "\(planting.id)")
            #expect(row.1 == "\(folder)/eval.jsonl:\(planting.item + 1)")
            #expect(row.2 == "split" && row.3 == 2)
            // The window: 200 characters on each side of the span, the rest in two pieces.
            #expect(row.4 == planting.span.count + 400, "\(planting.id)")
            let pieces = try db.prepare("SELECT piece, charCount FROM document WHERE externalId = ? ORDER BY piece")
                .mapRows(.text(planting.id)) { ($0.int("piece"), $0.int("charCount")) }
            #expect(pieces.map(\.0) == [0, 1])
            #expect(pieces.map(\.1) == [planting.span.lowerBound - 200, planting.characters - planting.span.upperBound - 200],
                    "\(planting.id)")
        }
        #expect(try db.scalar("SELECT COUNT(*) FROM contaminationMatch")?.int == 30)
        #expect(try db.scalar("SELECT COUNT(*) FROM document WHERE piece IS NULL")?.int == 10)

        // Stats, JSON and text; the passages beside their items.
        let json = try CLI.run(["stats", folder + "/out", "--json"])
        let stats = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let sets = stats?["contamination"] as? [[String: Any]]
        #expect(sets?.count == 1)
        #expect(sets?.first?["itemsHit"] as? Int == 10 && sets?.first?["documents"] as? Int == 30)
        #expect(sets?.first?["split"] as? Int == 30 && sets?.first?["items"] as? Int == 10)
        let text = try CLI.run(["stats", folder + "/out"])
        #expect(text.stdout.contains("decontamination (per eval set"), "\(text.stdout)")
        let shown = try CLI.run(["inspect", folder + "/out", "--contamination", "bible", "--n", "2"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("eval set bible: 10 of 10 items matched in 30 documents (30 split, 0 dropped"))
        #expect(shown.stdout.components(separatedBy: "eval item: ").count == 3)
        let report = try CLI.run(["report", folder + "/out", "-o", folder + "/report.html"])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(html.contains("<h2>Decontamination</h2>") || html.contains(">Decontamination<"))
        #expect(html.contains("bible: the first 5 matches"))
        let unknown = try CLI.run(["inspect", folder + "/out", "--contamination", "mmlu"])
        #expect(unknown.status == 2 && unknown.stderr.contains("its eval sets: bible"), "\(unknown.stderr)")

        // One worker gives the same shards.
        let one = try Self.config(folder, output: "one", "  window: 200\n  min_piece_chars: 0")
        #expect(try CLI.run(["build", one, "--workers", "1"]).status == 0)
        let shards = try FileManager.default.contentsOfDirectory(atPath: folder + "/out/shards").sorted()
        #expect(!shards.isEmpty)
        #expect(shards == (try FileManager.default.contentsOfDirectory(atPath: folder + "/one/shards").sorted()))
        for shard in shards {
            #expect(FileManager.default.contents(atPath: "\(folder)/out/shards/\(shard)")
                == FileManager.default.contents(atPath: "\(folder)/one/shards/\(shard)"))
        }
    }

    @Test func dropAndReportActions() throws {
        let folder = try CLI.temporaryFolder("decontaminate-actions")
        defer { try? FileSystem.remove(folder) }
        let plantings = try Self.corpus(in: folder)
        let drop = try Self.config(folder, output: "drop", "  action: drop\n  rejects: true")
        #expect(try CLI.run(["build", drop]).status == 0)
        let kept = try CLI.run(["inspect", folder + "/drop", "--rejects", "decontaminate:contaminated", "--n", "1"])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.hasPrefix("30 documents dropped for decontaminate:contaminated"), "\(kept.stdout)")
        var db = try Manifest.open(path: folder + "/drop/manifest.sqlite").database
        let dropped = try db.prepare("""
            SELECT externalId FROM document WHERE stage = 'decontaminate' AND reason = 'contaminated' ORDER BY id
            """).mapRows { $0.string("externalId") }
        #expect(dropped == plantings.map(\.id))
        let report = try Self.config(folder, output: "report", "  action: report")
        #expect(try CLI.run(["build", report]).status == 0)
        db = try Manifest.open(path: folder + "/report/manifest.sqlite").database
        #expect(try db.scalar("SELECT COUNT(*) FROM document WHERE fate = 'kept' AND piece IS NULL")?.int == 40)
        #expect(try db.scalar("SELECT COUNT(*) FROM contamination WHERE outcome = 'reported'")?.int == 30)
        #expect(try db.scalar("SELECT COUNT(*) FROM contaminationMatch")?.int == 30)
    }

    @Test func configMistakesNameTheirLine() throws {
        let folder = try CLI.temporaryFolder("decontaminate-config")
        defer { try? FileSystem.remove(folder) }
        _ = try Self.corpus(in: folder)
        let missing = try Self.config(folder, output: "out", "")
        let valid = try CLI.run(["validate", missing])
        #expect(valid.status == 0)
        #expect(valid.stdout.contains("  decontaminate: remove_spans, 13-grams (whole items of 8 or more words); bible 10 items, "),
                "\(valid.stdout)")
        try String(contentsOfFile: missing, encoding: .utf8).replacingOccurrences(of: "/eval.jsonl", with: "/nope.jsonl")
            .write(toFile: missing, atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", missing])
        #expect(result.status == 2)
        #expect(result.stderr.contains("out.yaml:10: decontaminate.sets[0].paths[0]: eval set \"bible\": file"),
                "\(result.stderr)")
        let window = try Self.config(folder, output: "w", "  action: drop\n  window: 100")
        let wrong = try CLI.run(["validate", window])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("\"window\" applies to action: remove_spans, but action is \"drop\""),
                "\(wrong.stderr)")
    }
}
