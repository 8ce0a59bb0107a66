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
