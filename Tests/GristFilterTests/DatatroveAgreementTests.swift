import Foundation
import GristCore
@testable import GristFilter
import Testing

/// Our quality filters against datatrove 0.10.1's decisions (default settings) on real documents:
/// every 12th document cut from corpora/ (Fixtures/datatrove-decisions.tsv, made by
/// scripts/reference/make_filter_fixtures.py). `make bench-filters` checks all 24,086.
@Suite struct DatatroveAgreementTests {
    static func filter(_ kind: String) throws -> any DocumentRule {
        try FilterRegistry.make(DeferredConfig(kind: kind))
    }

    /// What we decide, in the fixture's words.
    static func decision(_ rule: any DocumentRule, _ text: [UInt8]) -> String {
        var document = Document(id: "d", text: text, ordinal: 0, line: 1, byteOffset: 0)
        switch rule.apply(to: &document) {
        case .keep:
            if document.text == text { return "keep" }
            return "keep:" + String(SHA256.hex(of: document.text).prefix(16))
        case .drop(let reason):
            return reason
        }
    }

    @Test(arguments: ["gopher_quality", "gopher_repetition", "c4", "fineweb_quality"])
    func agreesWithDatatrove(kind: String) throws {
        let table = try String(contentsOfFile: FilterFixtureDocuments.fixtures + "/datatrove-decisions.tsv", encoding: .utf8)
        let rows = table.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t").map(String.init) }
        let header = try #require(rows.first)
        let column = try #require(header.firstIndex(of: kind))
        let documents = try FilterFixtureDocuments.all()
        let rule = try Self.filter(kind)
        var disagreements: [String] = []
        for row in rows.dropFirst() {
            let index = try #require(Int(row[0]))
            let document = documents[index]
            #expect(document.id == row[1], "the documents are not cut as scripts/reference/corpus.py cuts them")
            let ours = Self.decision(rule, document.text)
            if ours != row[column] { disagreements.append("\(row[1]): datatrove \(row[column]), grist \(ours)") }
        }
        #expect(rows.count > 1000)
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(rows.count - 1): \(disagreements.prefix(8).joined(separator: "; "))")
    }
}
