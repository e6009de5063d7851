import Foundation
import HTTPTypes
import Hummingbird
import TrackhubCore

/// Vendas: `GET /sales?tenant=&day=YYYY-MM-DD` — one day's reconciliation for a tenant (what
/// `dispatchd report reconcile` and `/api/v1/reconcile` say): per gateway, the sales received and
/// those that reached Meta, and every sale not sent with its reason in words and the page that
/// acts on it (reenviar, trocar token, ativar o pixel), each linked to its Registro entry.
///
/// Days are cut at midnight in São Paulo, like Números (the CLI and the API use UTC days); the
/// default is today. A day is the day a sale record was received (``AnalyticsStore/reconcileSales(tenant:from:to:connection:)``).
struct SalesPage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_sales", path: "/sales", order: 6)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/sales") { request, context in try await show(request, context) }
    }

    /// Midnight (São Paulo) of `YYYY-MM-DD`, or nil when it is not a date.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ConsoleFormat.saoPaulo
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              calendar.component(.day, from: date) == parts[2] else { return nil }
        return date
    }

    /// `YYYY-MM-DD` of a São Paulo midnight (the date input's value).
    static func dayValue(_ day: Date) -> String {
        ConsoleFormat.date(day, .english)
    }

    func show(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let choice = try await ConsoleTenantChoice.make(request.uri.queryParameters["tenant"].map(String.init), context,
                                                              store: deps.store) else {
            return deps.renderer.page("sales", titleKey: "sales_title", context: context, path: "/sales", model: ["no_tenant": true])
        }
        let tenant = choice.id
        let today = NumbersPage.startOfDay(Date())
        let raw = request.uri.queryParameters["day"].map(String.init) ?? ""
        let parsed = raw.isEmpty ? today : Self.day(raw).flatMap { $0 <= today ? $0 : nil }
        let day = parsed ?? today
        let bad = parsed == nil
        let next = NumbersPage.startOfDay(day + 36 * 3600)   // the next midnight, across DST changes
        let sales = try await deps.store.pool.withConnection { c in
            try AnalyticsStore().reconcileSales(tenant: tenant, from: day, to: next, connection: c)
        }
        let language = context.language
        var model = SalesModel(reconciliation: Reconciliation(tenant: tenant, day: day, sales: sales), language: language,
                               strings: deps.renderer.strings).model
        model.merge(choice.model) { _, picker in picker }
        model["day_value"] = Self.dayValue(day)
        model["max_day"] = Self.dayValue(today)
        model["day_label"] = ConsoleFormat.date(day, language)
        model["bad_day"] = bad
        func link(_ d: Date) -> String {
            "/sales?tenant=" + ConsoleInsight.query(tenant) + "&day=" + Self.dayValue(d)
        }
        model["previous_path"] = link(NumbersPage.startOfDay(day - 12 * 3600))
        if day < today {
            model["has_next"] = true
            model["next_path"] = link(next)
        }
        return deps.renderer.page("sales", titleKey: "sales_title", context: context, path: "/sales", model: model)
    }
}
