import Foundation
import GristClean
import GristCore
import Testing

/// The `pii` cleaner against datatrove 0.10.1's `PIIFormatter` on every document of the agreement
/// set: the same documents change, into the same text (Fixtures/datatrove-pii.tsv).
@Suite struct PIIAgreementTests {
    @Test func changesTheSameDocumentsAsDatatrove() throws {
        let table = try String(contentsOfFile: FilterFixtureDocuments.fixtures + "/datatrove-pii.tsv", encoding: .utf8)
        var expected: [Int: String] = [:]
        for row in table.split(separator: "\n") where !row.hasPrefix("#") && !row.hasPrefix("index") {
            let fields = row.split(separator: "\t").map(String.init)
            expected[Int(fields[0]) ?? -1] = fields[2]
        }
        #expect(expected.count > 50)
        let rule = PIICleaner(options: .init())
        var disagreements: [String] = []
        for (index, piece) in try FilterFixtureDocuments.all().enumerated() {
            var document = Document(id: piece.id, text: piece.text, ordinal: 0, line: 1, byteOffset: 0)
            _ = rule.apply(to: &document)
            let ours = document.text == piece.text ? nil : String(SHA256.hex(of: document.text).prefix(16))
            if ours != expected[index] { disagreements.append("\(piece.id): datatrove \(expected[index] ?? "unchanged"), grist \(ours ?? "unchanged")") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count): \(disagreements.prefix(5).joined(separator: "; "))")
    }
}
