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

    func text(_ key: String, _ arguments: String...) -> String { strings.text(key, language, arguments: arguments) }

    /// Money of every currency, largest first: `R$ 1.234,56 + USD 10.00`; `—` when none.
    func money(_ values: [String: Decimal]) -> String {
        let shown = values.filter { $0.value != 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        return shown.isEmpty ? "—" : shown.map { ConsoleFormat.money($0.value, currency: $0.key, language) }.joined(separator: " + ")
    }

    /// The length of a money bar: the largest currency's amount.
    static func magnitude(_ values: [String: Decimal]) -> Double {
        values.values.map { NSDecimalNumber(decimal: $0).doubleValue }.max() ?? 0
    }

    /// How many ad sets, ads or links the page lists (the API's breakdown has them all).
    static let rowLimit = 20

    /// The lines with something to show (clicks, a sale, or spend), the most net revenue first.
    static func ranked(_ groups: [AnalyticsGroup], spend: [String: [String: Decimal]]) -> [AnalyticsGroup] {
        groups
            .filter { $0.totals.sales.values.reduce(0, +) > 0 || $0.totals.clicks > 0 || !AdSpendStore.spend(forUTM: $0.value, in: spend).isEmpty }
            .sorted { (magnitude($0.totals.netRevenue), $0.totals.clicks) > (magnitude($1.totals.netRevenue), $1.totals.clicks) }
    }

    /// One campaign's (or ad's) line: Meta's name when the insights import has it, with the UTM
    /// value under it (what the seller typed in the ad, so a wrong one can be found); the money
    /// and its returns in the spend's currency.
    func returnRow(_ g: AnalyticsGroup, _ level: NumbersBreakdown, none: String) -> [String: Any] {
        let utm = g.value ?? ""
        let metaName = AdSpendStore.name(forUTM: utm, in: level.names)
        let returns = CampaignReturn.of(g.totals, spend: AdSpendStore.spend(forUTM: utm, in: level.spend))
        func each(_ value: (CampaignReturn) -> Decimal?) -> String {
            let shown = returns.compactMap { r in value(r).map { ConsoleFormat.money($0, currency: r.currency, language) } }
            return shown.isEmpty ? "—" : shown.joined(separator: " + ")
        }
        return [
            "name": metaName ?? (utm.isEmpty ? text(none) : utm), "detail": metaName != nil && metaName != utm ? utm : false,
            "clicks": ConsoleFormat.integer(g.totals.clicks, language),
            "sales": ConsoleFormat.integer(g.totals.approved, language), "revenue": money(g.totals.netRevenue),
            "spend": each { $0.spend },
            "roas": returns.compactMap { $0.roas.map { ConsoleFormat.ratio($0, language) } }.first ?? "—",
            "cpa": each { $0.cpa },
            "profit": each { $0.profit },
        ]
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

        let campaigns = Self.ranked(facts.campaigns.groups, spend: facts.campaigns.spend)
        let campaignRows = campaigns.map { returnRow($0, facts.campaigns, none: "numbers_no_campaign") }
        let revenueChart = SVGChart.bars(zip(campaigns, campaignRows).prefix(8).map { g, row in
            SVGChart.Bar(label: row["name"] as? String ?? "", value: Self.magnitude(g.totals.netRevenue), text: money(g.totals.netRevenue))
        }, title: text("numbers_revenue_by_campaign"))
        // Ad sets only where utm_medium names one Meta knows (it often says "paid" or "cpc");
        // ads where utm_content is set; the largest first, capped.
        let adsets = Self.ranked(facts.adsets.groups, spend: facts.adsets.spend).filter {
            AdSpendStore.name(forUTM: $0.value, in: facts.adsets.names) != nil || !AdSpendStore.spend(forUTM: $0.value, in: facts.adsets.spend).isEmpty
        }
        let ads = Self.ranked(facts.ads.groups, spend: facts.ads.spend).filter { !($0.value ?? "").isEmpty }
        let breakdowns: [[String: Any]] = [
            ("numbers-adsets", "numbers_by_adset", "numbers_adset", "numbers_adset_note", adsets, facts.adsets),
            ("numbers-ads", "numbers_by_ad", "numbers_ad", "numbers_ad_note", ads, facts.ads),
        ].filter { !$0.4.isEmpty }.map { testid, title, column, note, groups, level in
            ["testid": testid, "title": text(title), "column": text(column), "note": text(note),
             "rows": groups.prefix(Self.rowLimit).map { returnRow($0, level, none: "numbers_no_campaign") },
             "capped": groups.count > Self.rowLimit ? text("numbers_capped", String(Self.rowLimit)) : false]
        }
        let links = facts.links.filter { !($0.value ?? "").isEmpty }
            .sorted { ($0.totals.clicks, Self.magnitude($0.totals.netRevenue)) > ($1.totals.clicks, Self.magnitude($1.totals.netRevenue)) }
        let linkRows: [[String: Any]] = links.prefix(Self.rowLimit).map { g in
            ["name": "/go/" + (g.value ?? ""), "clicks": ConsoleFormat.integer(g.totals.clicks, language),
             "sales": ConsoleFormat.integer(g.totals.approved, language), "revenue": money(g.totals.netRevenue),
             "rate": g.totals.clicks > 0 ? ConsoleFormat.percent(Double(g.totals.approved) / Double(g.totals.clicks), language) : "—"]
        }

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
            "campaign_table": ["column": text("numbers_campaign"), "rows": campaignRows] as [String: Any],
            "breakdowns": breakdowns,
            "has_links": !linkRows.isEmpty, "links": linkRows,
            "links_capped": links.count > Self.rowLimit ? text("numbers_capped", String(Self.rowLimit)) : false,
            "funnel_chart": funnelChart, "has_matches": !matchPoints.isEmpty, "match_chart": matchChart,
            "period_revenue": money(p.netRevenue), "period_sales": ConsoleFormat.integer(p.approved, language),
            "period_sales_word": text(p.approved == 1 ? "numbers_sale_lower" : "numbers_sales_lower"),
            "period_match_rate": rate(p),
        ]
    }
}
