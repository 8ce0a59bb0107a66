import Foundation
import GristCore
import GristFilter
import GristParquet
import GristPipeline
import Testing

@Suite struct EvalSetReaderTests {
    func temp(_ name: String, _ contents: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func jsonlFieldsAreJoinedAndTextIsOneItemPerLine() throws {
        let jsonl = try temp("qa.jsonl", """
            {"question": "What is the capital city of the French Republic", "answer": "Paris is the capital"}
            {"question": "Which planet is known as the red planet in our solar system", "meta": {"answer": "Mars"}}

            """)
        var index = EvalSetIndex(options: .init(ngram: 13, minNgram: 8))
        #expect(try EvalSetReader.add(.init(name: "qa", paths: [jsonl], format: .jsonl, fields: ["question", "answer"]), to: &index) == 2)
        #expect(index.items.map(\.id) == ["\(jsonl):1", "\(jsonl):2"])
        #expect(index.items.map(\.wordCount) == [13, 12])
        // The answer joins the question: an n-gram across both fields matches.
        var matcher = ContaminationMatcher(index: index)
        #expect(matcher.matches(in: Array("Q: what is the capital city of the French Republic?\nParis is the capital.".utf8)).count == 1)

        let text = try temp("lines.txt", "one two three four five six seven eight\n\n  \nshort line\r\n")
        var lines = EvalSetIndex(options: .init(ngram: 13, minNgram: 8))
        #expect(try EvalSetReader.add(.init(name: "t", paths: [text], format: .text), to: &lines) == 2)
        #expect(lines.items.map(\.id) == ["\(text):1", "\(text):4"])
        #expect(lines.tooShortItems.count == 1)
    }

    /// A Parquet eval set (the way Hugging Face ships MMLU and its kin): columns joined as JSON fields are,
    /// a null in a later column left out, ids by row.
    @Test func parquetColumnsAreJoinedAndRowsNumbered() throws {
        let path = try temp("qa.parquet", "")
        let writer = try ParquetWriter(path: path, columns: [
            ParquetColumnSpec(name: "question", kind: .string, nullable: false),
            ParquetColumnSpec(name: "answer", kind: .string, nullable: true),
        ])
        try writer.append([.byteArray(Array("What is the capital city of the French Republic".utf8)),
                           .byteArray(Array("Paris is the capital".utf8))])
        try writer.append([.byteArray(Array("Which planet is known as the red planet in our solar system".utf8)), nil])
        try writer.finish()
        var index = EvalSetIndex(options: .init(ngram: 13, minNgram: 8))
        #expect(try EvalSetReader.add(.init(name: "qa", paths: [path], format: .parquet, fields: ["question", "answer"]),
                                      to: &index) == 2)
        #expect(index.items.map(\.wordCount) == [13, 12])
        #expect(index.items.map(\.id) == ["\(path):1", "\(path):2"])
        var matcher = ContaminationMatcher(index: index)
        #expect(matcher.matches(in: Array("Q: what is the capital city of the French Republic?\nParis is the capital.".utf8))
            .count == 1)
        // The texts come back for the manifest, in file order.
        var texts: [String] = []
        try EvalSetReader.forEachItem(.init(name: "qa", paths: [path], format: .parquet, fields: ["question", "answer"])) {
            texts.append(String(decoding: $1, as: UTF8.self))
        }
        #expect(texts == ["What is the capital city of the French Republic\nParis is the capital",
                          "Which planet is known as the red planet in our solar system"])
    }

    @Test func aBadRecordNamesFileAndLine() throws {
        let jsonl = try temp("bad.jsonl", "{\"question\": \"fine\"}\n{\"other\": 1}\n")
        var index = EvalSetIndex()
        do {
            try EvalSetReader.add(.init(name: "qa", paths: [jsonl], format: .jsonl, fields: ["question"]), to: &index)
            Issue.record("no error")
        } catch let error as GristError {
            #expect(error.position?.path == jsonl)
            #expect(error.position?.line == 2)
        }
    }
}
