import Foundation
import Hummingbird

/// `GET /`: Início. The status line first ("Tudo certo…" / "Atenção…" with the next action),
/// today against yesterday, and the last sales with their fate — for the tenants the user sees
/// (all of them, or the one picked with `?tenant=`); for owners, help requests waiting for a person.
struct HomePage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_home", path: "/", order: 0)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/") { request, context in try await show(request, context) }
    }

    func show(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let allTenants = try await deps.store.tenants()
        let visible = allTenants.filter { user.canSee(tenant: $0.id) }
        let picked = request.uri.queryParameters["tenant"].map(String.init)
        if let picked, !visible.contains(where: { $0.id == picked }) { throw ConsoleDenied.forbidden }
        let scope = picked.map { [$0] } ?? visible.map(\.id)
        let facts = try await deps.store.homeFacts(tenants: scope)
        let status = StatusLine.decide(facts)
        let language = context.language
        let strings = deps.renderer.strings

        var model: [String: Any] = [
            "status_level": status.level.rawValue,
            "status_text": HomePage.format(status.text, strings: strings, language: language),
            "status_action": status.action.map { ["label": strings.text($0.labelKey, language), "path": $0.path] } ?? false,
            "tiles": [
                tile("home_sales", facts.salesToday, facts.salesYesterday, language),
                ["label": strings.text("home_revenue", language), "today": ConsoleFormat.money(facts.revenueToday, language),
                 "yesterday": ConsoleFormat.money(facts.revenueYesterday, language)],
                ["label": strings.text("home_sent", language), "today": ConsoleFormat.integer(facts.sentToday, language),
                 "yesterday": "—"],
            ],
            "has_sales": !facts.lastSales.isEmpty,
            "sales": facts.lastSales.map { sale -> [String: Any] in
                [
                    "gateway": sale.gateway, "order": sale.transactionID,
                    "value": sale.value.map { ConsoleFormat.money($0, language) } ?? "—",
                    "when": ConsoleFormat.dateTime(Date(timeIntervalSince1970: sale.occurredAt), language),
                    "fate": sale.fate.rawValue, "fate_label": strings.text("fate_" + sale.fate.rawValue, language),
                    "reason": sale.reason ?? false,
                ]
            },
        ]
        // Owners handle help requests (Ajuda's human fallback): one waiting is said here first.
        let open = user.may(.handleSupport) ? try await deps.helpDesk.openCount() : 0
        if open > 0 {
            model["help_requests"] = strings.text("home_help_requests", language, arguments: [ConsoleFormat.integer(open, language)])
        }
        model["has_tenants"] = visible.count > 1
        if visible.count > 1 {
            model["tenants"] = visible.map { ["id": $0.id, "name": $0.name.isEmpty ? $0.id : $0.name, "selected": $0.id == picked] }
        }
        return deps.renderer.page("home", titleKey: "home_title", context: context, path: "/", model: model)
    }

    func tile(_ key: String, _ today: Int, _ yesterday: Int, _ language: ConsoleLanguage) -> [String: Any] {
        ["label": deps.renderer.strings.text(key, language), "today": ConsoleFormat.integer(today, language),
         "yesterday": ConsoleFormat.integer(yesterday, language)]
    }

    /// The status text in `language`, counts formatted per language.
    static func format(_ text: StatusLine.Text, strings: ConsoleStrings, language: ConsoleLanguage) -> String {
        strings.text(text.key, language, arguments: text.arguments.map { argument in
            switch argument {
            case .count(let n): ConsoleFormat.integer(n, language)
            case .text(let s): s
            }
        })
    }
}
