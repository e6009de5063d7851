import Foundation
import Testing
@testable import TrackhubCore

@Suite("Analytics: rollup metrics, totals and periods")
struct AnalyticsTotalsTests {
    static let hour = Date(timeIntervalSince1970: 1_796_000_400)
    static let key = RollupKey(tenant: "shop", hour: hour, link: "l1", utmCampaign: "120210")

    static func row(_ metric: RollupMetric, _ count: Int, _ amount: String = "0", currency: String = "") -> RollupRow {
        RollupRow(key: key, metric: metric, currency: currency, count: count, amount: Decimal(string: amount)!)
    }

    @Test("every metric reads back from the text the triggers store; unknown names are not guessed")
    func metricVocabulary() {
        let all: [RollupMetric] = [.clicks, .page("pageview"), .sale("approved"), .match("click_id"), .attempt("dead_lettered"),
                                   .sent("Purchase")]
        for metric in all { #expect(RollupMetric(stored: metric.stored) == metric) }
        #expect(RollupMetric(stored: "page:initiate_checkout") == .page(RollupMetric.checkoutKind))
        #expect(RollupMetric(stored: "revenue") == nil && RollupMetric(stored: "bogus:x") == nil)
    }

    @Test("funnel, sales, matches and sends add up; revenue is exact per currency and net subtracts refunds and chargebacks")
    func totals() {
        let rows = [
            Self.row(.clicks, 40), Self.row(.clicks, 2), Self.row(.page("pageview"), 30), Self.row(.page("lead"), 9),
            Self.row(.page("initiate_checkout"), 5),
            Self.row(.sale("approved"), 3, "207.41", currency: "BRL"), Self.row(.sale("approved"), 1, "49.99", currency: "USD"),
            Self.row(.sale("refunded"), 1, "10.31", currency: "BRL"), Self.row(.sale("chargeback"), 1, "0.10", currency: "BRL"),
            Self.row(.sale("pending"), 2, "394", currency: "BRL"),
            Self.row(.match("click_id"), 3), Self.row(.match("email"), 1),
            Self.row(.attempt("sent"), 5), Self.row(.attempt("retry_scheduled"), 2), Self.row(.sent("Purchase"), 4),
            Self.row(.sent("PageView"), 30),
        ]
        let t = AnalyticsTotals(rows: rows)
        #expect(t.clicks == 42 && t.pageEventTotal == 44 && t.leads == 9 && t.checkouts == 5)
        #expect(t.approved == 4 && t.pending == 2 && t.refunded == 1 && t.chargebacks == 1)
        #expect(t.grossRevenue == ["BRL": Decimal(string: "207.41")!, "USD": Decimal(string: "49.99")!])
        #expect(t.netRevenue == ["BRL": Decimal(string: "197")!, "USD": Decimal(string: "49.99")!])
        #expect(t.purchasesSent == 4 && t.sent["PageView"] == 30 && t.attempts == ["sent": 5, "retry_scheduled": 2])
        #expect(t.matched == 4)
        #expect(t.matchRate("click_id") == 3.0 / 8.0 && t.matchRate() == 4.0 / 8.0 && t.matchRate("phone") == 0)
        #expect(AnalyticsTotals().matchRate() == nil)
    }

    @Test("0.1 added ten times is exactly 1 (Decimal, never Double)")
    func exactMoney() {
        let t = AnalyticsTotals(rows: Array(repeating: Self.row(.sale("approved"), 1, "0.1", currency: "BRL"), count: 10))
        #expect(t.grossRevenue["BRL"] == 1)
        #expect(RollupRow(key: Self.key, metric: .clicks, count: 0).isZero && !Self.row(.clicks, 1).isZero)
    }

    @Test("periods: a day is its 00:00 UTC; ISO 8601 times keep their offset; anything else names the option")
    func periods() throws {
        #expect(try AnalyticsPeriod.parseInstant("2026-12-01", option: "--from") == Date(timeIntervalSince1970: 1_796_083_200))
        #expect(try AnalyticsPeriod.parseInstant("2026-12-01T03:00:00-03:00", option: "--from") == Date(timeIntervalSince1970: 1_796_104_800))
        #expect(AnalyticsPeriod.day("2026-02-30") == nil && AnalyticsPeriod.day("26-12-01") == nil)
        #expect(throws: AnalyticsPeriod.InvalidInstant.self) { try AnalyticsPeriod.parseInstant("ontem", option: "--to") }
    }
}
