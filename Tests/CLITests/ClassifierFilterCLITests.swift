import Foundation
import GristCore
import GristShards
import Testing

/// `fasttext_classifier` and `language: {backend: fasttext}` in a real build: real paragraphs in 22 languages
/// (corpora/langid) and the Bibles, scored by a fastText model trained on them (the fixture
/// softmax-wordngrams.bin); the manifest answers `WHERE language = …` and holds every score.
@Suite struct ClassifierFilterCLITests {
    static let model = CLI.root + "/Tests/GristFilterTests/Fixtures/fasttext/softmax-wordngrams.bin"

    @Test func scoresAndLanguagesAreQueryableColumns() throws {
        let folder = try CLI.temporaryFolder("classifier")
        defer { try? FileSystem.remove(folder) }
        let config = try CLI.smallPipeline(in: folder, sources: """
              - {name: langid, format: jsonl, paths: [\(CLI.root)/corpora/langid/heldout.jsonl]}
              - {name: bibles, format: jsonl, paths: [\(CLI.root)/corpora/multilingual/bible-*.jsonl]}
            """, """
            filters:
              - language: {backend: fasttext, model: \(Self.model), label_only: true}
              - fasttext_classifier: {model: \(Self.model), label: en, threshold: 0.5, action: remove, granularity: line}
            mix: {val_fraction: 0}
            """)
        let built = try CLI.run(["build", config])
        #expect(built.status == 0, "\(built.stderr)")
        let manifest = try Manifest.open(path: folder + "/out/manifest.sqlite")
        let db = manifest.database
        // every document has a language from the fastText model; the Spanish Bible's chapters are `es`
        #expect(try db.scalar("SELECT COUNT(*) FROM document WHERE language IS NULL")?.int == 0)
        let spanish = try db.scalar("""
            SELECT COUNT(*) FROM document d JOIN inputFile f ON f.id = d.inputFileId
            WHERE f.path LIKE '%bible-es%' AND d.language = 'es'
            """)?.int ?? 0
        let chapters = try db.scalar("SELECT COUNT(*) FROM document d JOIN inputFile f ON f.id = d.inputFileId WHERE f.path LIKE '%bible-es%'")?.int ?? 0
        #expect(chapters > 0 && spanish == chapters, "\(spanish) of \(chapters)")
        #expect(try db.scalar("SELECT MIN(languageScore) > 0 AND MAX(languageScore) <= 1 FROM document")?.int == 1)
        // 22 label scores for every document the classifier saw, the classifier recorded with its model's hash
        let documents = try db.scalar("SELECT COUNT(*) FROM document")?.int ?? 0
        #expect(try db.scalar("SELECT COUNT(*) FROM documentScore")?.int == documents * 22)
        #expect(try db.scalar("SELECT COUNT(DISTINCT label) FROM documentScore WHERE stage = 'fasttext_classifier'")?.int == 22)
        #expect(try db.scalar("SELECT label || ' ' || threshold || ' ' || action || ' ' || granularity FROM classifier")?.string
                == "__label__en 0.5 remove line")
        #expect(try db.scalar("SELECT length(modelSha256) FROM classifier")?.int == 64)
        // English paragraphs go (their lines score ≥ 0.5 for en); what a document keeps is its other lines
        let dropped = try db.scalar("SELECT COUNT(*) FROM document WHERE reason = 'above_threshold'")?.int ?? 0
        #expect(dropped > 100, "\(dropped) documents dropped as English")
        let keptEnglish = try db.scalar("""
            SELECT COUNT(*) FROM document d JOIN documentScore s ON s.documentId = d.id
            WHERE d.fate = 'kept' AND s.label = '__label__en' AND s.score >= 0.9
            """)?.int ?? 1
        #expect(keptEnglish == 0)
        // the score is also the document's metadata, as datatrove writes it
        #expect(try db.scalar("SELECT COUNT(*) FROM documentMetadata WHERE key = '__label__en'")?.int == documents)
    }

    @Test func mistakesAreConfigErrors() throws {
        let folder = try CLI.temporaryFolder("classifier-errors")
        defer { try? FileSystem.remove(folder) }
        func validate(_ filters: String) throws -> CLI.Result {
            let config = try CLI.smallPipeline(in: folder, sources: """
                  - {name: langid, format: jsonl, paths: [\(CLI.root)/corpora/langid/heldout.jsonl]}
                """, "filters:\n" + filters)
            return try CLI.run(["validate", config])
        }
        let noThreshold = try validate("  - fasttext_classifier: {model: \(Self.model), label: en}")
        #expect(noThreshold.status == 2)
        #expect(noThreshold.stderr.contains("\"label\" needs a \"threshold\""), "\(noThreshold.stderr)")
        let missing = try validate("  - fasttext_classifier: {model: \(folder)/none.bin, label: hq, threshold: 0.5}")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("none.bin\" does not exist"), "\(missing.stderr)")
        let unknownLabel = try validate("  - fasttext_classifier: {model: \(Self.model), label: hq, threshold: 0.5}")
        #expect(unknownLabel.status == 2)
        #expect(unknownLabel.stderr.contains("the model has no label \"hq\""), "\(unknownLabel.stderr)")
        let unknownLanguage = try validate("  - language: {backend: fasttext, model: \(Self.model), languages: [xx]}")
        #expect(unknownLanguage.status == 2)
        #expect(unknownLanguage.stderr.contains("the model has no language \"xx\""), "\(unknownLanguage.stderr)")
        let noModel = try validate("  - language: {backend: glotlid}")
        #expect(noModel.status == 2)
        #expect(noModel.stderr.contains("backend: glotlid needs \"model\""), "\(noModel.stderr)")
        let notAModel = try validate("  - fasttext_classifier: {model: \(CLI.root)/corpora/langid/heldout.jsonl}")
        #expect(notAModel.status != 0)
        #expect(notAModel.stderr.contains("heldout.jsonl"), "\(notAModel.stderr)")
        let twice = try validate("""
              - fasttext_classifier: {model: \(Self.model), label: en, threshold: 0.5}
              - fasttext_classifier: {model: \(Self.model), label: es, threshold: 0.5}
            """)
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("metadata_prefix"), "\(twice.stderr)")
    }
}

/// `fasttext_classifier: {train: …}`: the build trains the model first, keeps it while nothing changed,
/// trains it again when a setting changes; `grist validate` trains nothing.
@Suite struct ClassifierTrainingCLITests {
    @Test func theBuildTrainsTheModelOnceAndAgainWhenASettingChanges() throws {
        let folder = try CLI.temporaryFolder("classifier-train")
        defer { try? FileSystem.remove(folder) }
        func config(epoch: Int) throws -> String {
            try CLI.smallPipeline(in: folder, sources: """
                  - {name: docs, format: jsonl, paths: [\(CLI.root)/corpora/python-docs/part-002.jsonl.gz]}
                  - {name: plays, format: text, paths: [\(CLI.root)/corpora/shakespeare/m*.txt], text: {split: file}}
                """, """
                filters:
                  - fasttext_classifier:
                      model: \(folder)/models/quality.bin
                      train:
                        positive: [\(CLI.root)/corpora/python-docs/part-000.jsonl.zst]
                        negative: [\(CLI.root)/corpora/shakespeare/h*.txt]
                        text_split: file
                        epoch: \(epoch)
                        lr: 1.0
                      label: hq
                      threshold: 0.5
                      label_only: true
                mix: {val_fraction: 0}
                """)
        }
        let model = folder + "/models/quality.bin"
        let path = try config(epoch: 5)
        let validated = try CLI.run(["validate", path])
        #expect(validated.status == 0 && validated.stdout.contains("trains \(model) first"), "\(validated.stdout)\(validated.stderr)")
        #expect(!FileSystem.exists(model))
        let first = try CLI.run(["build", path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("trained \(model) for fasttext_classifier: hq 205, cc 16 documents"), "\(first.stderr)")
        let bytes = try #require(FileManager.default.contents(atPath: model))
        let manifest = try Manifest.open(path: folder + "/out/manifest.sqlite")
        #expect(try manifest.database.scalar("SELECT action FROM classifier")?.string == "label_only")
        // Python pages score hq, the plays cc, on a model that never saw either
        let docs = try manifest.database.scalar("""
            SELECT AVG(s.score) FROM documentScore s JOIN document d ON d.id = s.documentId
            JOIN inputFile f ON f.id = d.inputFileId WHERE s.label = '__label__hq' AND f.path LIKE '%python-docs%'
            """)?.double ?? 0
        let plays = try manifest.database.scalar("""
            SELECT AVG(s.score) FROM documentScore s JOIN document d ON d.id = s.documentId
            JOIN inputFile f ON f.id = d.inputFileId WHERE s.label = '__label__hq' AND f.path LIKE '%shakespeare%'
            """)?.double ?? 1
        #expect(docs > 0.7 && plays < 0.3, "docs \(docs), plays \(plays)")

        let again = try CLI.run(["build", path])
        #expect(again.status == 0 && !again.stderr.contains("trained "), "\(again.stderr)")
        try FileSystem.remove(model)
        let retrained = try CLI.run(["build", path])
        #expect(retrained.stderr.contains("trained \(model)"))
        #expect(FileManager.default.contents(atPath: model) == bytes, "training is deterministic")
        let changed = try CLI.run(["build", try config(epoch: 6)])
        #expect(changed.status == 0 && changed.stderr.contains("trained \(model)"), "\(changed.stderr)")
        #expect(FileManager.default.contents(atPath: model) != bytes)
    }

    @Test func trainingMistakesAreConfigErrors() throws {
        let folder = try CLI.temporaryFolder("classifier-train-errors")
        defer { try? FileSystem.remove(folder) }
        func check(_ train: String, command: String = "validate") throws -> CLI.Result {
            let path = try CLI.smallPipeline(in: folder, sources: """
                  - {name: docs, format: jsonl, paths: [\(CLI.root)/corpora/python-docs/part-002.jsonl.gz]}
                """, """
                filters:
                  - fasttext_classifier:
                      model: \(folder)/models/q.bin
                      train: \(train)
                      label: hq
                      threshold: 0.5
                """)
            return try CLI.run([command, path])
        }
        let oneSide = try check("{positive: [\(CLI.root)/corpora/python-docs/part-000.jsonl.zst]}")
        #expect(oneSide.status == 2 && oneSide.stderr.contains("needs \"positive\" and \"negative\""), "\(oneSide.stderr)")
        let missing = try check("{positive: [\(folder)/none.jsonl], negative: [\(CLI.root)/corpora/shakespeare/h*.txt]}")
        #expect(missing.status == 2 && missing.stderr.contains("none.jsonl"), "\(missing.stderr)")
        let badSetting = try check("{positive: [a.jsonl], negative: [b.jsonl], epoch: 0}")
        #expect(badSetting.status == 2 && badSetting.stderr.contains("epoch"), "\(badSetting.stderr)")
        let empty = folder + "/empty.jsonl"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        let noDocuments = try check("{positive: [\(empty)], negative: [\(CLI.root)/corpora/shakespeare/h*.txt]}", command: "build")
        #expect(noDocuments.status != 0 && noDocuments.stderr.contains("no hq documents"), "\(noDocuments.stderr)")
        #expect(!FileSystem.exists(folder + "/models/q.bin"))
    }
}
