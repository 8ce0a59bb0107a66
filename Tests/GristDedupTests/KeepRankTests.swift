@testable import GristDedup
import Testing

/// The ranks `keep: highest_quality` and `keep: most_recent` put in the sketches' priority field.
@Suite struct KeepRankTests {
    @Test func higherScoresRankLower() {
        let scores = ["-2", "-0.5", "0", "1e-6", "0.018112", "0.5", "\"3\"", "5", "1000"]
        let ranks = scores.map(KeepRank.quality)
        #expect(ranks == ranks.sorted(by: >), "\(ranks)")
        #expect(Set(ranks).count == scores.count)
        for bad in [nil, "", "high", "nan", "inf"] as [String?] { #expect(KeepRank.quality(bad) == KeepRank.unranked) }
        #expect(ranks.allSatisfy { $0 < KeepRank.unranked })
    }

    @Test func datesParseAsISO8601OrSeconds() {
        #expect(KeepRank.secondsSince1970("1970-01-01") == 0)
        #expect(KeepRank.secondsSince1970("2024-05-01") == 1_714_521_600)
        #expect(KeepRank.secondsSince1970("2024-05-01T12:30:00Z") == 1_714_566_600)
        #expect(KeepRank.secondsSince1970("2024-05-01T12:30:00.250Z") == 1_714_566_600)
        #expect(KeepRank.secondsSince1970("2024-05-01T14:30:00+02:00") == 1_714_566_600)
        #expect(KeepRank.secondsSince1970("2024-05-01 07:30:00-0500") == 1_714_566_600)
        #expect(KeepRank.secondsSince1970("2000-02-29T00:00") == 951_782_400)
        #expect(KeepRank.secondsSince1970("1714566600") == 1_714_566_600)
        for bad in ["", "2024-13-01", "2024-05-01T25:00", "May 1 2024", "2024-05-01Tnoon", "2024/05/01"] {
            #expect(KeepRank.secondsSince1970(bad) == nil, "\(bad)")
        }
    }

    @Test func laterDatesRankLower() {
        let dates = ["1999-12-31", "2013-08-01T10:00:00Z", "2013-08-01T10:00:01Z", "2024-05-01", "\"2025-01-01\""]
        let ranks = dates.map(KeepRank.recency)
        #expect(ranks == ranks.sorted(by: >), "\(ranks)")
        #expect(KeepRank.recency("yesterday") == KeepRank.unranked && KeepRank.recency(nil) == KeepRank.unranked)
    }
}
