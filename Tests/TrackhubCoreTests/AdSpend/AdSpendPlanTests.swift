import Foundation
import Testing
@testable import TrackhubCore

@Suite("Ad spend: what an import asks for and replaces")
struct AdSpendPlanTests {
    @Test("the last N days end today in the account's time zone, oldest first, across months and years")
    func days() {
        let plan = AdSpendPlan(account: "act_1", today: "2027-01-01", count: 3)
        #expect(plan.days == ["2026-12-30", "2026-12-31", "2027-01-01"] && plan.since == "2026-12-30" && plan.until == "2027-01-01")
        #expect(plan.levels == [.campaign, .adset, .ad])
        #expect(AdSpendPlan(account: "act_1", today: "2028-03-01", count: 2).days == ["2028-02-29", "2028-03-01"])
        // 02:00 UTC on 6 Dec is still 5 Dec in São Paulo.
        let now = Date(timeIntervalSince1970: 1_796_522_400)  // 2026-12-06T02:00:00Z
        #expect(AdSpendPlan.day(of: now, timeZone: TimeZone(identifier: "America/Sao_Paulo")!) == "2026-12-05")
        #expect(AdSpendPlan.day(of: now, timeZone: TimeZone(identifier: "UTC")!) == "2026-12-06")
        #expect(AdSpendPlan.date(of: "2026-02-30") == nil && AdSpendPlan(account: "act_1", today: "bad", count: 3).days.isEmpty)
    }

    @Test("the first page asks daily rows of one level for the range, the fields and a large page; the token is not in it")
    func url() {
        let plan = AdSpendPlan(account: "act_123", days: ["2026-12-04", "2026-12-05", "2026-12-06"])
        let url = plan.firstPageURL(graphBaseURL: "https://graph.facebook.com", version: "v25.0", level: .adset)
        #expect(url.hasPrefix("https://graph.facebook.com/v25.0/act_123/insights?level=adset&time_increment=1&time_range="))
        #expect(url.contains("time_range=%7B%22since%22%3A%222026-12-04%22%2C%22until%22%3A%222026-12-06%22%7D"))
        #expect(url.contains("fields=campaign_id%2Ccampaign_name%2Cadset_id%2Cadset_name%2Cad_id%2Cad_name%2Cspend%2Cimpressions%2Cclicks%2Caccount_currency"))
        #expect(url.hasSuffix("&limit=500") && !url.contains("access_token"))
    }

    @Test("paging.next is followed only on the Graph host the token was meant for")
    func follow() {
        let base = "https://graph.facebook.com"
        #expect(AdSpendPlan.mayFollow("https://graph.facebook.com/v25.0/act_1/insights?after=x", graphBaseURL: base))
        #expect(!AdSpendPlan.mayFollow("https://graph.facebook.com.evil.example/v25.0/act_1/insights", graphBaseURL: base))
        #expect(!AdSpendPlan.mayFollow("http://graph.facebook.com/v25.0/act_1/insights", graphBaseURL: base))
        #expect(!AdSpendPlan.mayFollow("https://graph.facebook.com/v25.0/x\r\nHost: a", graphBaseURL: base))
    }

    @Test("ad account ids: act_ and digits, or the bare number Ads Manager shows")
    func accountIDs() {
        #expect(AdSpendPlan.normalizedAccountID("act_1234567890") == "act_1234567890")
        #expect(AdSpendPlan.normalizedAccountID(" 1234567890 ") == "act_1234567890")
        for bad in ["", "act_", "act_12a", "12-34", "act_1/../x", "act_1?x=1"] { #expect(AdSpendPlan.normalizedAccountID(bad) == nil) }
    }

    @Test("a level replaces every asked day, even days Meta no longer reports; answers outside the plan are refused")
    func replacement() throws {
        let plan = AdSpendPlan(account: "act_1", days: ["2026-12-05", "2026-12-06"])
        let row = AdInsightsRow(day: "2026-12-06", level: .campaign, objectID: "c1", campaignID: "c1", currency: "BRL", spend: 10)
        let r = try plan.replacement(level: .campaign, rows: [row])
        #expect(r.days == ["2026-12-05", "2026-12-06"] && r.rows == [row] && r.level == .campaign && r.account == "act_1")
        #expect(try plan.replacement(level: .ad, rows: []).days.count == 2)
        #expect(throws: AdInsightsPage.ParseError.self) { try plan.replacement(level: .campaign, rows: [row, row]) }
        var outside = row
        outside.day = "2026-12-01"
        #expect(throws: AdInsightsPage.ParseError.self) { try plan.replacement(level: .campaign, rows: [outside]) }
        #expect(throws: AdInsightsPage.ParseError.self) { try plan.replacement(level: .ad, rows: [row]) }
    }
}
