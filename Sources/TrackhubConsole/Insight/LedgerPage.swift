import Foundation
import Hummingbird
import TrackhubCore

/// Registro: `GET /ledger?q=` searches the ledger by order id, click id, event id, or a buyer's
/// e-mail or phone (hashed on the server with each tenant's normaliser before the query; the
/// clear value is neither stored nor logged), and `GET /ledger/event?pixel=&name=&id=` shows one
/// event: every attempt with Meta's answer, what was sent, the sale or click, its dead letters.
struct LedgerPage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_ledger", path: "/ledger", order: 40)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/ledger") { request, context in try await search(request, context) }
        router.get("/ledger/event") { request, context in try await event(request, context) }
    }

    func search(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let scope = ConsoleInsight.scope(user)
        let language = context.language
        let input = request.uri.queryParameters["q"].map(String.init) ?? ""
        var model: [String: Any] = ["q": input, "searched": false]
        if !input.trimmingCharacters(in: .whitespaces).isEmpty {
            let query = LedgerSearchQuery.parse(input, normalizers: try await deps.insight.searchNormalizers(scope: scope))
            let result = try await deps.insight.search(query, scope: scope, limit: 50)
            model["searched"] = true
            model["kind"] = deps.renderer.strings.text("ledger_kind_" + query.kind.rawValue, language)
            model["empty"] = result.isEmpty
            model["truncated"] = result.truncated
            model["has_sales"] = !result.sales.isEmpty
            model["sales"] = result.sales.map { saleModel($0, language) }
            model["has_events"] = !result.events.isEmpty
            model["events"] = result.events.map { e -> [String: Any] in
                [
                    "name": e.key.eventName, "event_id": e.key.eventID, "pixel": e.key.pixel, "attempts": e.attempts,
                    "when": ConsoleFormat.dateTime(e.lastAt, language), "fate": ConsoleInsight.fateClass(e.fate),
                    "fate_label": ConsoleInsight.text(e.fate.label, language), "path": ConsoleInsight.eventPath(e.key),
                ]
            }
            model["has_touchpoints"] = !result.touchpoints.isEmpty
            model["touchpoints"] = result.touchpoints.map { touchpointModel($0, language) }
        }
        return deps.renderer.page("ledger", titleKey: "ledger_title", context: context, path: "/ledger", model: model)
    }

    func event(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let language = context.language
        let q = request.uri.queryParameters
        guard let pixel = q["pixel"].map(String.init), let name = q["name"].map(String.init), let id = q["id"].map(String.init),
              let detail = try await deps.insight.event(LedgerEventKey(pixel: pixel, eventName: name, eventID: id), scope: ConsoleInsight.scope(user))
        else {
            return deps.renderer.page("ledger-event", titleKey: "ledger_event_title", context: context, path: "/ledger",
                                      model: ["missing": true], status: .notFound)
        }
        let model: [String: Any] = [
            "missing": false,
            "name": detail.key.eventName, "event_id": detail.key.eventID, "pixel": detail.key.pixel,
            "fate": ConsoleInsight.fateClass(detail.fate), "fate_label": ConsoleInsight.text(detail.fate.label, language),
            "attempts": detail.attempts.map { a -> [String: Any] in
                [
                    "attempt": a.attempt, "when": ConsoleFormat.dateTime(a.at, language),
                    "outcome": deps.renderer.strings.text("outcome_" + a.outcome, language),
                    "http": a.httpStatus.map(String.init) ?? "—", "code": a.metaCodeText ?? "—",
                    "message": a.metaMessage ?? false, "fbtrace": a.fbtraceID ?? false,
                    "latency": a.latencyMs.map { "\($0) ms" } ?? "—",
                    "ok": a.outcome == LedgerOutcome.sent.rawValue,
                ]
            },
            // jsonb's own text (one line, wrapped by the page's CSS), escaped like every value.
            "payload": detail.sentPayload ?? false,
            "has_dropped": !detail.userDataDropped.isEmpty,
            "dropped": detail.userDataDropped.map { deps.renderer.strings.text("dropped_" + $0, language) },
            "sale": detail.sale.map { saleModel($0, language) } ?? false,
            "touchpoint": detail.touchpoint.map { touchpointModel($0, language) } ?? false,
            "origin_title": deps.renderer.strings.text(detail.sale == nil ? "ledger_origin" : "ledger_origin_of_sale", language),
            "has_dead_letters": !detail.deadLetters.isEmpty,
            "dead_letters": detail.deadLetters.map { d -> [String: Any] in
                ["id": d.id, "reason": d.reason, "explanation": ConsoleInsight.text(d.explanation, language), "detail": d.detail,
                 "replayable": d.replay == .replayable]
            },
        ]
        return deps.renderer.page("ledger-event", titleKey: "ledger_event_title", context: context, path: "/ledger", model: model)
    }

    func saleModel(_ s: LedgerSale, _ language: ConsoleLanguage) -> [String: Any] {
        [
            "gateway": s.gateway, "account": s.account, "order": s.transactionID,
            "status": deps.renderer.strings.text("sale_status_" + s.status, language),
            "value": InsightFormat.money(s.value, currency: s.currency, english: language == .english),
            "when": ConsoleFormat.dateTime(s.occurredAt, language),
            "matched": s.matchMethod.map { deps.renderer.strings.text("ledger_matched_by", language, $0, s.matchedClickID ?? "—") }
                ?? deps.renderer.strings.text("ledger_unmatched", language),
            "is_matched": s.isMatched,
            "carried": s.carriedValues.isEmpty ? false : s.carriedValues.joined(separator: ", "),
            "products": s.productIDs.isEmpty ? false : s.productIDs.joined(separator: ", "),
        ]
    }

    /// A click or page event: when, its click id, and where it came from — the tracking link,
    /// the ad's UTMs, the page — so a seller sees which ad brought a sale.
    func touchpointModel(_ t: LedgerTouchpoint, _ language: ConsoleLanguage) -> [String: Any] {
        let utm = t.orderedUTM.map { "\($0.key)=\($0.value)" }.joined(separator: " · ")
        return [
            "kind": t.kind, "click_id": t.clickID ?? "—", "tenant": t.tenant, "when": ConsoleFormat.dateTime(t.occurredAt, language),
            "declined": !t.consent, "link": t.linkSlug.map { "/go/" + $0 } ?? false, "utm": utm.isEmpty ? false : utm,
            "page_url": t.pageURL.flatMap { $0.isEmpty ? nil : $0 } ?? false,
        ]
    }

}
