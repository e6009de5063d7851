import Foundation
import Testing
@testable import TrackhubCore

@Suite("Ad spend: joining spend to sales by the UTM convention")
struct AdSpendJoinTests {
    @Test("the id is the whole value, or the digits after the last | (name|id, the UTMify convention)")
    func objectID() {
        #expect(AdSpendStore.objectID(fromUTM: "120210") == "120210")
        #expect(AdSpendStore.objectID(fromUTM: "CAMPANHA_5|761832537749495") == "761832537749495")
        #expect(AdSpendStore.objectID(fromUTM: "Black | Friday|120210 ") == "120210")
        #expect(AdSpendStore.objectID(fromUTM: "promo|verão") == "promo|verão")
        #expect(AdSpendStore.objectID(fromUTM: "promo|") == "promo|")
        let spend = ["761832537749495": ["BRL": Decimal(string: "100.10")!]]
        #expect(AdSpendStore.spend(forUTM: "CAMPANHA_5|761832537749495", in: spend) == ["BRL": Decimal(string: "100.10")!])
        #expect(AdSpendStore.spend(forUTM: nil, in: spend).isEmpty && AdSpendStore.spend(forUTM: "", in: spend).isEmpty)
    }

    @Test("the breakdown by campaign carries spend and returns per currency, exactly; other currencies are not converted")
    func breakdownJSON() {
        var totals = AnalyticsTotals()
        totals.sales = ["approved": 2]
        totals.salesValue = ["approved": ["BRL": Decimal(string: "300.30")!]]
        let group = AnalyticsGroup(value: "Promo|120210", totals: totals)
        let text = AnalyticsJSON.breakdown(tenant: "t", from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 86_400),
                                           by: .utmCampaign, groups: [group],
                                           spend: ["120210": ["BRL": Decimal(string: "100.10")!, "USD": Decimal(string: "5")!]])
        #expect(text.contains(#""spend":{"BRL":100.1,"USD":5}"#), "\(text)")
        #expect(text.contains(#"{"currency":"BRL","revenue":300.3,"spend":100.1,"profit":200.2,"roas":3,"roi":2,"cpa":50.05}"#), "\(text)")
        #expect(text.contains(#"{"currency":"USD","revenue":0,"spend":5,"profit":-5,"roas":0,"roi":-1,"cpa":2.5}"#), "\(text)")
        let plain = AnalyticsJSON.breakdown(tenant: "t", from: Date(), to: Date(), by: .gateway, groups: [group])
        #expect(!plain.contains("\"spend\"") && !plain.contains("returns"))
    }
}
