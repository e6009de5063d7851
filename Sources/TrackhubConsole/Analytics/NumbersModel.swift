import Foundation
import TrackhubCore

/// The Números page's template model from its facts — pure, so what the seller reads (and the
/// SVG markup) is unit-tested without a server.
struct NumbersModel {
    let facts: NumbersPage.Facts
    /// Midnight (São Paulo) of today.
    let today: Date
    let language: ConsoleLanguage
    let strings: ConsoleStrings

    func text(_ key: String) -> String { strings.text(key, language) }

    /// Money of every currency, largest first: `R$ 1.234,56 + USD 10.00`; `—` when none.
    func money(_ values: [String: Decimal]) -> String {
        let shown = values.filter { $0.value != 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        return shown.isEmpty ? "—" : shown.map { ConsoleFormat.money($0.value, currency: $0.key, language) }.joined(separator: " + ")
    }

    /// The length of a money bar: the largest currency's amount.
    static func magnitude(_ values: [String: Decimal]) -> Double {
        values.values.map { NSDecimalNumber(decimal: $0).doubleValue }.max() ?? 0
    }

    var model: [String: Any] {
        let byDay = Dictionary(facts.days.compactMap { g in g.bucket.map { ($0, g.totals) } }, uniquingKeysWith: { a, _ in a })
        let todayTotals = byDay[today] ?? AnalyticsTotals()
        let yesterdayTotals = byDay[today - 86_400] ?? AnalyticsTotals()
        func rate(_ t: AnalyticsTotals) -> String { t.matchRate().map { ConsoleFormat.percent($0, language) } ?? "—" }
        let tiles: [[String: Any]] = [
            ["label": text("numbers_clicks"), "today": ConsoleFormat.integer(todayTotals.clicks, language),
             "yesterday": ConsoleFormat.integer(yesterdayTotals.clicks, language)],
            ["label": text("numbers_sales"), "today": ConsoleFormat.integer(todayTotals.approved, language),
             "yesterday": ConsoleFormat.integer(yesterdayTotals.approved, language)],
            ["label": text("numbers_revenue"), "today": money(todayTotals.grossRevenue), "yesterday": money(yesterdayTotals.grossRevenue)],
            ["label": text("numbers_sent"), "today": ConsoleFormat.integer(todayTotals.purchasesSent, language),
             "yesterday": ConsoleFormat.integer(yesterdayTotals.purchasesSent, language)],
            ["label": text("numbers_match_rate"), "today": rate(todayTotals), "yesterday": rate(yesterdayTotals)],
        ]

        let campaigns = facts.campaigns
            .filter { $0.totals.sales.values.reduce(0, +) > 0 || $0.totals.clicks > 0 || !AdSpendStore.spend(forUTM: $0.value, in: facts.spend).isEmpty }
            .sorted { (Self.magnitude($0.totals.netRevenue), $0.totals.clicks) > (Self.magnitude($1.totals.netRevenue), $1.totals.clicks) }
        let campaignRows: [[String: Any]] = campaigns.map { g in
            let name = (g.value ?? "").isEmpty ? text("numbers_no_campaign") : (g.value ?? "")
            let returns = CampaignReturn.of(g.totals, spend: AdSpendStore.spend(forUTM: g.value, in: facts.spend))
            return [
                "name": name, "clicks": ConsoleFormat.integer(g.totals.clicks, language),
                "sales": ConsoleFormat.integer(g.totals.approved, language), "revenue": money(g.totals.netRevenue),
                "spend": returns.isEmpty ? "—" : returns.map { ConsoleFormat.money($0.spend, currency: $0.currency, language) }.joined(separator: " + "),
                "roas": returns.compactMap { $0.roas.map { ConsoleFormat.ratio($0, language) } }.first ?? "—",
                "profit": returns.isEmpty ? "—" : returns.map { ConsoleFormat.money($0.profit, currency: $0.currency, language) }.joined(separator: " + "),
            ]
        }
        let revenueChart = SVGChart.bars(campaigns.prefix(8).map { g in
            SVGChart.Bar(label: (g.value ?? "").isEmpty ? text("numbers_no_campaign") : (g.value ?? ""),
                         value: Self.magnitude(g.totals.netRevenue), text: money(g.totals.netRevenue))
        }, title: text("numbers_revenue_by_campaign"))

        let p = facts.period
        let funnel: [(String, Int)] = [
            (text("numbers_funnel_clicks"), p.clicks), (text("numbers_funnel_pages"), p.pageEvents["pageview"] ?? 0),
            (text("numbers_funnel_checkouts"), p.checkouts), (text("numbers_funnel_sales"), p.approved),
        ]
        let funnelChart = SVGChart.bars(funnel.map { SVGChart.Bar(label: $0.0, value: Double($0.1), text: ConsoleFormat.integer($0.1, language)) },
                                        title: text("numbers_funnel"))

        let matchPoints = facts.days.compactMap { g -> SVGChart.Point? in
            guard let day = g.bucket, let rate = g.totals.matchRate() else { return nil }
            return SVGChart.Point(label: ConsoleFormat.dateTime(day, language).split(separator: " ").first.map(String.init) ?? "", value: rate)
        }
        let matchChart = SVGChart.line(matchPoints, title: text("numbers_match_quality"))

        return [
            "tiles": tiles,
            "has_campaigns": !campaignRows.isEmpty, "campaigns": campaignRows, "revenue_chart": revenueChart,
            "funnel_chart": funnelChart, "has_matches": !matchPoints.isEmpty, "match_chart": matchChart,
            "period_revenue": money(p.netRevenue), "period_sales": ConsoleFormat.integer(p.approved, language),
            "period_match_rate": rate(p),
        ]
    }
}
