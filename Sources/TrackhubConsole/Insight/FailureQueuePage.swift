import Foundation
import Hummingbird
import Logging
import TrackhubCore

/// Fila de falhas: `GET /failures` groups the dead letters by reason (in words, with what to
/// do), `?reason=` lists one group; `POST /failures/replay` replays a reason or one dead letter
/// through `dispatchd dlq replay`'s code. The first POST only shows what would happen (with
/// the events older than 7 days that Meta refuses); the replay runs when the form comes back
/// with that preview's confirmation value. Viewers see the queue but cannot replay.
struct FailureQueuePage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_failures", path: "/failures", order: 50)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/failures") { request, context in
            try await list(reason: request.uri.queryParameters["reason"].map(String.init), context)
        }
        router.post("/failures/replay") { _, context in try await replay(context) }
    }

    func list(reason requested: String?, _ context: ConsoleRequestContext, notice: [String: Any]? = nil) async throws -> Response {
        let user = try context.requireUser()
        let scope = ConsoleInsight.scope(user)
        let language = context.language
        let reason = requested.flatMap { $0.isEmpty ? nil : $0 }
        let groups = try await deps.insight.groups(scope: scope)
        let entries = try await deps.insight.entries(reason: reason, scope: scope, limit: 100)
        let mayReplay = user.may(.configure)
        var model: [String: Any] = [
            "empty": groups.isEmpty,
            "may_replay": mayReplay,
            "groups": groups.map { g -> [String: Any] in
                [
                    "reason": g.reason, "label": Self.label(g.reason, deps.renderer.strings, language),
                    "count": ConsoleFormat.integer(g.count, language),
                    "explanation": ConsoleInsight.text(g.explanation, language),
                    "newest": g.newest.map { ConsoleFormat.dateTime($0, language) } ?? "—",
                    "expired": g.expired > 0 ? ConsoleFormat.integer(g.expired, language) : false,
                    "path": "/failures?reason=" + ConsoleInsight.query(g.reason),
                    "selected": g.reason == reason, "may_replay": mayReplay,
                ]
            },
            "reason": reason ?? false,
            "reason_label": reason.map { Self.label($0, deps.renderer.strings, language) } ?? false,
            "entries": entries.map { e -> [String: Any] in
                [
                    "id": e.id, "reason": e.reason, "label": Self.label(e.reason, deps.renderer.strings, language),
                    "detail": e.detail.isEmpty ? false : e.detail, "event_id": e.eventID ?? "—", "pixel": e.pixel ?? "—",
                    "when": e.createdAt.map { ConsoleFormat.dateTime($0, language) } ?? "—",
                    "verdict": e.replay.rawValue, "verdict_label": deps.renderer.strings.text("failures_verdict_" + e.replay.rawValue, language),
                    "replayable": e.replay == .replayable && mayReplay,
                    // Dead letters do not keep the event name: the search finds the event by its id.
                    "event_path": e.eventID.map { "/ledger?q=" + ConsoleInsight.query($0) } ?? false,
                ]
            },
            "has_entries": !entries.isEmpty,
        ]
        if let notice { model["notice"] = notice }
        return deps.renderer.page("failures", titleKey: "failures_title", context: context, path: "/failures", model: model)
    }

    func replay(_ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser(.configure)
        let language = context.language
        let form = context.form
        let selection: DeadLetterAdmin.Selection
        if let id = Int(form.trimmed("id")) {
            selection = .id(id)
        } else if !form.trimmed("reason").isEmpty {
            selection = .reason(form.trimmed("reason"))
        } else {
            throw HTTPError(.badRequest)
        }
        let confirmation = form["confirm"].flatMap { $0.isEmpty ? nil : $0 }
        let result = try await deps.insight.replay(selection, confirmation: confirmation, scope: ConsoleInsight.scope(user))
        switch result {
        case .needsConfirmation(let preview):
            return deps.renderer.page("failures-confirm", titleKey: "failures_confirm_title", context: context, path: "/failures", model: [
                "summary": ConsoleInsight.text(preview.summary, language),
                "nothing": preview.replayable.isEmpty,
                "stale": confirmation != nil,
                "confirm": preview.confirmation,
                "id": form.trimmed("id"), "reason": form.trimmed("reason"),
                "expired": preview.expired.map { ["id": $0.id, "event_id": $0.eventID ?? "—"] },
                "has_expired": !preview.expired.isEmpty,
            ])
        case .replayed(let report):
            let replayed = report.replayedEvents + report.replayedEnvelopes + report.replayedForwards
            try await deps.store.audit(actor: user, tenant: nil, action: "dlq.replay",
                                       summary: "replayed \(replayed), refused expired \(report.refusedExpired.count)")
            deps.logger.notice("console dead letters replayed", metadata: [
                LogKey.count: "\(replayed)", LogKey.detail: "refused_expired=\(report.refusedExpired.count)"])
            let notice: [String: Any] = [
                "text": ConsoleInsight.text(DeadLetterReplayResult.describe(report), language),
                "refused": !report.refusedExpired.isEmpty,
            ]
            return try await list(reason: form.trimmed("reason"), context, notice: notice)
        }
    }

    /// A reason code (`retries_exhausted`) in the seller's words; an unknown code as it is.
    static func label(_ reason: String, _ strings: ConsoleStrings, _ language: ConsoleLanguage) -> String {
        let key = "failures_reason_" + reason
        let text = strings.text(key, language)
        return text == key ? reason : text
    }
}
