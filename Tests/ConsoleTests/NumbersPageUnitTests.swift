import Foundation
import Testing
@testable import TrackhubConsole
import TrackhubCore

@Suite("Números: SVG charts, exact money, campaign returns, the page model")
struct NumbersPageUnitTests {
    @Test("bars scale to the largest value; every label is escaped (UTMs come from anyone's URL)")
    func bars() {
        let svg = SVGChart.bars([SVGChart.Bar(label: "<script>alert(1)</script>", value: 50, text: "R$ 50,00"),
                                 SVGChart.Bar(label: "b\"&'", value: 100, text: "100")], title: "Faturamento")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>"))
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;") && svg.contains("b&quot;&amp;&#39;"))
        #expect(!svg.contains("style="), "the CSP allows no inline style")
        let room = SVGChart.width - SVGChart.labelWidth - 110
        #expect(svg.contains("width=\"\(SVGChart.fmt(room / 2))\"") && svg.contains("width=\"\(SVGChart.fmt(room))\""))
        #expect(SVGChart.bars([], title: "x").hasSuffix("</svg>"))
    }

    @Test("a line puts 0 at the bottom and 100 % at the top, values clamped; labels escaped")
    func line() {
        let svg = SVGChart.line([SVGChart.Point(label: "01/12", value: 0), SVGChart.Point(label: "<02/12>", value: 1.5)], title: "Casamento")
        #expect(svg.contains("points=\"40.0,150.0 630.0,10.0\"") && svg.contains("&lt;02/12&gt;"))
    }

    @Test("money is exact per currency, rounded half-even for display only; rates and ratios per language")
    func formats() {
        #expect(ConsoleFormat.money(Decimal(string: "1234.5")!, currency: "BRL", .portuguese) == "R$ 1.234,50")
        #expect(ConsoleFormat.money(Decimal(string: "1234.565")!, currency: "USD", .english) == "USD 1,234.56")
        #expect(ConsoleFormat.money(Decimal(string: "-0.1")!, currency: "BRL", .portuguese) == "-R$ 0,10")
        #expect(ConsoleFormat.money(Decimal(string: "10000000.31")!, currency: "BRL", .portuguese) == "R$ 10.000.000,31")
        #expect(ConsoleFormat.percent(0.825, .portuguese) == "82,5%" && ConsoleFormat.ratio(3.2, .english) == "3.20")
    }

    @Test("ROAS, ROI, CPA and profit in the spend's currency; none without spend; revenue in another currency is not counted")
    func returns() {
        var t = AnalyticsTotals()
        t.add(RollupRow(key: RollupKey(tenant: "t", hour: Date()), metric: .sale("approved"), currency: "BRL", count: 4, amount: 640))
        t.add(RollupRow(key: RollupKey(tenant: "t", hour: Date()), metric: .sale("refunded"), currency: "BRL", count: 1, amount: 160))
        t.add(RollupRow(key: RollupKey(tenant: "t", hour: Date()), metric: .sale("approved"), currency: "USD", count: 1, amount: 99))
        let r = CampaignReturn.of(t, spend: ["BRL": 150])
        #expect(r.count == 1 && r[0].revenue == 480 && r[0].profit == 330 && r[0].roas == 3.2 && r[0].roi == 2.2 && r[0].cpa == Decimal(150) / 5)
        #expect(CampaignReturn.of(t, spend: [:]).isEmpty)
        #expect(CampaignReturn(currency: "BRL", revenue: 10, spend: 0, sales: 0).roas == nil)
    }

    @Test("the page model: today vs yesterday in São Paulo days, campaigns by revenue with ROAS, the funnel, no unescaped label")
    func model() {
        let today = NumbersPage.startOfDay(Date(timeIntervalSince1970: 1_796_500_000))
        func totals(_ rows: [(RollupMetric, Int, Decimal)]) -> AnalyticsTotals {
            AnalyticsTotals(rows: rows.map { RollupRow(key: RollupKey(tenant: "t", hour: today), metric: $0.0, currency: "BRL", count: $0.1, amount: $0.2) })
        }
        let facts = NumbersPage.Facts(
            days: [AnalyticsGroup(bucket: today - 86_400, totals: totals([(.clicks, 10, 0), (.sale("approved"), 1, 97)])),
                   AnalyticsGroup(bucket: today, totals: totals([(.clicks, 4, 0), (.sale("approved"), 2, Decimal(string: "194.5")!),
                                                                 (.match("click_id"), 1, 0)]))],
            period: totals([(.clicks, 14, 0), (.page("pageview"), 9, 0), (.page("initiate_checkout"), 5, 0), (.sale("approved"), 3, Decimal(string: "291.5")!)]),
            campaigns: NumbersBreakdown(groups: [AnalyticsGroup(value: "120", totals: totals([(.clicks, 9, 0), (.sale("approved"), 2, 200)])),
                                                 AnalyticsGroup(value: "<b>x</b>", totals: totals([(.clicks, 5, 0), (.sale("approved"), 1, Decimal(string: "91.5")!)]))],
            spend: ["120": ["BRL": 50]], names: ["120": "Black Friday"]),
            adsets: NumbersBreakdown(groups: [AnalyticsGroup(value: "paid", totals: totals([(.clicks, 9, 0)])),
                                              AnalyticsGroup(value: "LAL 1%|5501", totals: totals([(.clicks, 9, 0), (.sale("approved"), 2, 200)]))],
                                     spend: ["5501": ["BRL": 100]], names: ["5501": "Lookalike 1%"]),
            ads: NumbersBreakdown(groups: [AnalyticsGroup(value: "Vídeo|9001", totals: totals([(.clicks, 9, 0), (.sale("approved"), 2, 200)])),
                                           AnalyticsGroup(value: "", totals: totals([(.clicks, 5, 0)]))],
                                  spend: ["9001": ["BRL": 40]], names: ["9001": "Vídeo 1 (novo corte)"]),
            links: [AnalyticsGroup(value: "promo", totals: totals([(.clicks, 10, 0), (.sale("approved"), 2, 200)])),
                    AnalyticsGroup(value: "", totals: totals([(.sale("approved"), 1, 97)])),
                    AnalyticsGroup(value: "bio", totals: totals([(.clicks, 40, 0)]))])
        let strings = ConsoleStrings(tables: [.portuguese: [:], .english: [:]])
        let m = NumbersModel(facts: facts, today: today, language: .portuguese, strings: strings).model
        let tiles = m["tiles"] as? [[String: Any]] ?? []
        #expect(tiles.map { $0["today"] as? String } == ["4", "2", "R$ 194,50", "0", "50,0%"])
        #expect(tiles.map { $0["yesterday"] as? String } == ["10", "1", "R$ 97,00", "0", "0,0%"])
        let campaigns = m["campaigns"] as? [[String: Any]] ?? []
        #expect(campaigns.map { $0["name"] as? String } == ["Black Friday", "<b>x</b>"], "Meta's name when imported, else the UTM")
        #expect(campaigns.first?["detail"] as? String == "120" && campaigns.last?["detail"] as? Bool == false, "the UTM under Meta's name")
        #expect(campaigns.first?["roas"] as? String == "4,00" && campaigns.last?["roas"] as? String == "—")
        #expect(campaigns.first?["profit"] as? String == "R$ 150,00" && campaigns.first?["cpa"] as? String == "R$ 25,00")
        #expect(campaigns.last?["cpa"] as? String == "—", "no CPA without spend")
        let breakdowns = m["breakdowns"] as? [[String: Any]] ?? []
        #expect(breakdowns.map { $0["testid"] as? String } == ["numbers-adsets", "numbers-ads"])
        let adsets = breakdowns.first?["rows"] as? [[String: Any]] ?? []
        #expect(adsets.map { $0["name"] as? String } == ["Lookalike 1%"], "utm_medium=paid names no ad set Meta knows")
        #expect(adsets.first?["roas"] as? String == "2,00" && adsets.first?["detail"] as? String == "LAL 1%|5501")
        let ads = breakdowns.last?["rows"] as? [[String: Any]] ?? []
        #expect(ads.map { $0["name"] as? String } == ["Vídeo 1 (novo corte)"], "a line without utm_content is not an ad")
        #expect(ads.first?["detail"] as? String == "Vídeo|9001" && ads.first?["roas"] as? String == "5,00")
        #expect(breakdowns.last?["capped"] as? Bool == false)
        let links = m["links"] as? [[String: Any]] ?? []
        #expect(links.map { $0["name"] as? String } == ["/go/bio", "/go/promo"], "by clicks; a sale without a link is not a link")
        #expect(links.last?["rate"] as? String == "20,0%" && links.first?["rate"] as? String == "0,0%")
        #expect((m["revenue_chart"] as? String)?.contains(">Black Friday<") == true, "the chart names the campaign as the table does")
        let charts = [m["revenue_chart"], m["funnel_chart"], m["match_chart"]].compactMap { $0 as? String }
        #expect(charts.count == 3 && charts.allSatisfy { !$0.contains("<b>") })
        #expect((m["funnel_chart"] as? String)?.contains(">14<") == true && (m["funnel_chart"] as? String)?.contains(">5<") == true)
    }
}
