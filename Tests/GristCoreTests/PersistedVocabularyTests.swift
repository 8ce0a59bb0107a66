import GristCore
import Testing

/// The codes the manifest and the work files store: a rename would make old manifests and stored parts
/// say something else, so the exact strings are pinned here.
@Suite struct PersistedVocabularyTests {
    @Test func skipReasonsKeepTheirCodes() {
        #expect(SkipReason.allCases.map(\.rawValue) == [
            "not_json", "missing_field", "invalid_utf8", "empty_file", "truncated", "corrupt", "record_too_large",
            "decompression_bomb", "malformed_record", "not_xml", "unsafe_xml", "too_deep",
        ])
    }

    @Test func errorKindsRoundTripThroughTheirCodes() {
        let kinds = SkipReason.allCases.map(GristError.Kind.skip) + [.io, .badFormat, .mismatch, .usage, .nothingKept]
        #expect(kinds.map(\.code).suffix(5) == ["io", "bad_format", "mismatch", "usage", "nothing_kept"])
        #expect(Set(kinds.map(\.code)).count == kinds.count)
        for kind in kinds { #expect(GristError.Kind(code: kind.code) == kind) }
        #expect(GristError.Kind(code: "no_such_code") == nil)
    }

    @Test func documentStagesKeepTheirNames() {
        let stages: [DocumentStage] = [.read, .rule("length"), .rule("length#2"), .dedup, .mix]
        #expect(stages.map(\.name) == ["read", "length", "length#2", "dedup", "mix"])
        for stage in stages { #expect(DocumentStage(name: stage.name) == stage) }
        #expect(BuildDropReason.allCases.map(\.rawValue) == ["exact_duplicate", "url_duplicate", "near_duplicate", "sampled_out"])
    }
}
