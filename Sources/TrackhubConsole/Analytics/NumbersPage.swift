import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TrackhubCore

/// Números: `GET /numbers` — today against yesterday, revenue and ROAS by campaign, ad set and ad
/// (named as Meta names them when the insights import has them) and by link, the funnel
/// (clicks → page views → checkouts → sales) and match quality over time, for one tenant,
/// from the hourly rollups (docs/ANALYTICS.md). Charts are SVG drawn here (``SVGChart``) and
/// served as images (`GET /numbers/chart/{revenue,funnel,match}.svg`): the page's templates stay
/// fully escaped, and an SVG shown through `<img>` runs nothing. Days are cut at midnight in
/// São Paulo.
struct NumbersPage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_numbers", path: "/numbers", order: 5)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    static let timeZoneName = "America/Sao_Paulo"
    static let periods = [7, 30, 90]

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/numbers") { request, context in try await show(request, context) }
        router.get("/numbers/chart/:name") { request, context in try await chart(request, context) }
    }

    /// The chart images and the model key each one is drawn under.
    static let charts = ["revenue.svg": "revenue_chart", "funnel.svg": "funnel_chart", "match.svg": "match_chart"]

    /// The tenant (picked, else the first visible) and period of a request, or nil without tenants.
    private func selection(_ request: Request, _ context: ConsoleRequestContext) async throws
        -> (tenant: String, days: Int, choice: ConsoleTenantChoice)? {
        guard let choice = try await ConsoleTenantChoice.make(request.uri.queryParameters["tenant"].map(String.init), context,
                                                              store: deps.store) else { return nil }
        let days = request.uri.queryParameters["days"].flatMap { Int($0) }.flatMap { Self.periods.contains($0) ? $0 : nil } ?? 7
        return (choice.id, days, choice)
    }

    /// The page's facts for a tenant and period, and today's midnight.
    private func facts(tenant: String, days: Int) async throws -> (Facts, Date) {
        let todayStart = Self.startOfDay(Date())
        let tomorrow = todayStart + 86_400
        let from = tomorrow - Double(days) * 86_400
        let facts = try await deps.store.pool.withConnection { c -> Facts in
            let store = AnalyticsStore(), spend = AdSpendStore()
            func breakdown(_ dimension: RollupDimension) throws -> NumbersBreakdown {
                let groups = try store.groups(tenant: tenant, from: from, to: tomorrow, by: dimension, connection: c)
                guard let level = AdSpendStore.level(of: dimension) else { return NumbersBreakdown(groups: groups) }
                return NumbersBreakdown(groups: groups, spend: try spend.spend(tenant: tenant, level: level, from: from, to: tomorrow, connection: c),
                                        names: try spend.names(tenant: tenant, level: level, from: from, to: tomorrow, connection: c))
            }
            return Facts(
                days: try store.groups(tenant: tenant, from: from, to: tomorrow, bucket: .day, timeZone: Self.timeZoneName, connection: c),
                period: try store.groups(tenant: tenant, from: from, to: tomorrow, connection: c).first?.totals ?? AnalyticsTotals(),
                campaigns: try breakdown(.utmCampaign),
                adsets: try breakdown(.utmMedium),
                ads: try breakdown(.utmContent),
                links: try store.groups(tenant: tenant, from: from, to: tomorrow, by: .link, connection: c))
        }
        return (facts, todayStart)
    }

    func chart(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let key = Self.charts[context.parameters.get("name") ?? ""] else { throw HTTPError(.notFound) }
        guard let selected = try await selection(request, context) else { throw HTTPError(.notFound) }
        let (facts, today) = try await facts(tenant: selected.tenant, days: selected.days)
        let svg = NumbersModel(facts: facts, today: today, language: context.language, strings: deps.renderer.strings).model[key] as? String ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: svg)))
    }

    /// Everything the page shows, read in one pool call.
    struct Facts: Sendable {
        var days: [AnalyticsGroup]
        var period: AnalyticsTotals
        /// By `utm_campaign`, `utm_medium` (ad sets in the `{{adset.name}}|{{adset.id}}` template)
        /// and `utm_content`, each with Meta's spend and names of its level.
        var campaigns: NumbersBreakdown
        var adsets = NumbersBreakdown()
        var ads = NumbersBreakdown()
        /// By tracking link.
        var links: [AnalyticsGroup] = []
    }

    func show(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let selected = try await selection(request, context) else {
            return deps.renderer.page("numbers", titleKey: "numbers_title", context: context, path: "/numbers", model: ["no_tenant": true])
        }
        let (facts, today) = try await facts(tenant: selected.tenant, days: selected.days)
        var model = NumbersModel(facts: facts, today: today, language: context.language, strings: deps.renderer.strings).model
        for key in Self.charts.values { model.removeValue(forKey: key) }
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "tenant", value: selected.tenant), URLQueryItem(name: "days", value: String(selected.days))]
        model["chart_query"] = query.percentEncodedQuery ?? ""
        model["days"] = Self.periods.map { ["value": String($0), "selected": $0 == selected.days, "label": "\($0)"] as [String: Any] }
        model.merge(selected.choice.model) { _, picker in picker }
        return deps.renderer.page("numbers", titleKey: "numbers_title", context: context, path: "/numbers", model: model)
    }

    /// Midnight in São Paulo of the day `date` falls in.
    static func startOfDay(_ date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZoneName)!
        return calendar.startOfDay(for: date)
    }
}
