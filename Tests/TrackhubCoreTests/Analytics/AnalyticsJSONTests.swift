import Foundation
import Testing
@testable import TrackhubCore

@Suite("Analytics JSON: the read API's bytes")
struct AnalyticsJSONTests {
    static let from = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01T00:00:00Z

    @Test("a summary: period in UTC, counts as integers, money as exact decimals per currency, rates per method")
    func summary() throws {
        let key = RollupKey(tenant: "shop", hour: Self.from)
        let totals = AnalyticsTotals(rows: [
            RollupRow(key: key, metric: .clicks, count: 3), RollupRow(key: key, metric: .sale("approved"), currency: "BRL", count: 2,
                                                                      amount: Decimal(string: "207.41")!),
            RollupRow(key: key, metric: .match("click_id"), count: 1), RollupRow(key: key, metric: .sent("Purchase"), count: 1),
        ])
        let text = AnalyticsJSON.summary(tenant: "shop", from: Self.from, to: Self.from + 86_400, totals: totals)
        #expect(text.hasPrefix(#"{"tenant":"shop","from":"2026-12-01T00:00:00Z","to":"2026-12-02T00:00:00Z","clicks":3,"#))
        #expect(text.contains(#""revenue":{"gross":{"BRL":207.41},"net":{"BRL":207.41}}"#))
        #expect(text.contains(#""purchases_sent":1"#) && text.contains(#""match_rate":{"click_id":0.5}"#))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["leads"] as? Int == 0 && (parsed["sales"] as? [String: Int]) == ["approved": 2])
    }

    @Test("series and breakdowns: one object per bucket or value, in order")
    func series() throws {
        let key = RollupKey(tenant: "shop", hour: Self.from)
        let groups = AnalyticsGroup.fold([(Self.from + 3600, nil, RollupRow(key: key, metric: .clicks, count: 2)),
                                          (Self.from, nil, RollupRow(key: key, metric: .clicks, count: 1)),
                                          (Self.from, nil, RollupRow(key: key, metric: .clicks, count: 4))])
        #expect(groups.map(\.totals.clicks) == [5, 2])
        let text = AnalyticsJSON.series(tenant: "shop", from: Self.from, to: Self.from + 86_400, bucket: .hour, groups: groups)
        let points = try #require((try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["points"] as? [[String: Any]])
        #expect(points.map { $0["at"] as? String } == ["2026-12-01T00:00:00Z", "2026-12-01T01:00:00Z"])
        let byLink = AnalyticsGroup.fold([(nil, "ad-b", RollupRow(key: key, metric: .clicks, count: 1)),
                                          (nil, "ad-a", RollupRow(key: key, metric: .clicks, count: 7))])
        let breakdown = AnalyticsJSON.breakdown(tenant: "shop", from: Self.from, to: Self.from + 86_400, by: .link, groups: byLink)
        #expect(breakdown.contains(#""by":"link","rows":[{"value":"ad-a","clicks":7,"#))
    }
}
