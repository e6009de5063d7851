import Foundation
import Hummingbird
import TrackhubCore

/// Webhooks ignorados: `GET /webhooks/ignored` lists the gateway deliveries of the last days
/// that were stored but not turned into a sale event, with the reason in words.
struct IgnoredWebhooksPage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_ignored", path: "/webhooks/ignored", order: 55)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    /// How far back the page looks.
    static let hours = 72

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/webhooks/ignored") { _, context in
            let user = try context.requireUser()
            let language = context.language
            let rows = try await deps.insight.ignoredWebhooks(scope: ConsoleInsight.scope(user), hours: Self.hours, limit: 200)
            return deps.renderer.page("webhooks-ignored", titleKey: "ignored_title", context: context, path: "/webhooks/ignored", model: [
                "empty": rows.isEmpty,
                "hours": String(Self.hours),
                "rows": rows.map { w -> [String: Any] in
                    [
                        "gateway": w.gateway, "account": w.account, "tenant": w.tenant ?? "—",
                        "when": ConsoleFormat.dateTime(w.receivedAt, language), "kind": w.kind.rawValue,
                        "kind_label": deps.renderer.strings.text("ignored_kind_" + w.kind.rawValue, language),
                        "reason": w.reason, "explanation": ConsoleInsight.text(w.explanation, language),
                    ]
                },
            ])
        }
    }
}
