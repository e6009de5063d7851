import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TrackhubCore

/// Ajuda: a troubleshooting conversation. The user picks a problem or describes it
/// (`POST /help`); the assistant gathers real evidence (status, the ledger, the last webhooks,
/// matches, pauses — ``TroubleshootingEvidenceReader``), runs the rules (``Troubleshooter``)
/// and answers in the page's language with the evidence and the fixes. A fix that changes the
/// configuration (switch a pixel to live, replace its token) is applied right in the chat and
/// can be undone there (``HelpPage/registerFixes(on:)``); a replay goes through the failure
/// queue's confirmation; the others link to the page that does them. When it cannot help, "falar com o suporte" (`POST /help/support`)
/// downloads the redacted support bundle for the operator.
struct HelpPage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_help", path: "/help", order: 90)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/help") { _, context in
            _ = try context.requireUser()
            return page(context, model: [:])
        }
        router.post("/help") { _, context in try await ask(context) }
        router.post("/help/support") { _, context in try await support(context) }
        registerFixes(on: router)
    }

    func page(_ context: ConsoleRequestContext, model extra: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let language = context.language
        var model: [String: Any] = [
            "topics": TroubleshootingTopic.allCases.map { ["id": $0.rawValue, "label": ConsoleInsight.text($0.title, language)] },
            "answered": false,
        ]
        for (k, v) in extra { model[k] = v }
        return deps.renderer.page("help", titleKey: "help_title", context: context, path: "/help", model: model, status: status)
    }

    func ask(_ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let language = context.language
        let message = String(context.form.trimmed("message").prefix(500))
        let picked = TroubleshootingTopic(rawValue: context.form.trimmed("topic"))
        let said = picked.map { ConsoleInsight.text($0.title, language) } ?? message
        guard let topic = picked ?? TroubleshootingTopic.guess(from: message) else {
            return page(context, model: ["answered": true, "said": said, "not_understood": true])
        }
        let evidence = try await deps.insight.evidence(scope: ConsoleInsight.scope(user))
        let d = Troubleshooter.diagnose(topic, evidence)
        return page(context, model: [
            "answered": true, "said": said.isEmpty ? ConsoleInsight.text(topic.title, language) : said,
            "not_understood": false,
            "level": d.level.rawValue,
            "summary": ConsoleInsight.text(d.summary, language),
            "findings": d.findings.map { f -> [String: Any] in
                ["level": f.level.rawValue, "text": ConsoleInsight.text(f.text, language),
                 "evidence": f.evidence.map { ConsoleInsight.text($0, language) }, "has_evidence": !f.evidence.isEmpty]
            },
            "has_fixes": !d.fixes.isEmpty,
            "fixes": try await fixModels(d.fixes, evidence: evidence, user: user, context),
            "needs_human": d.needsHuman,
        ])
    }

    func support(_ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let scope = ConsoleInsight.scope(user)
        let evidence = try await deps.insight.evidence(scope: scope)
        let diagnoses = TroubleshootingTopic.allCases.map { Troubleshooter.diagnose($0, evidence) }
        let bundle = try await deps.insight.supportBundle(scope: scope, application: [("console_user_role", user.role.rawValue)],
                                                          diagnoses: diagnoses)
        try await deps.store.audit(actor: user, tenant: nil, action: "support.bundle", summary: "support bundle downloaded")
        var headers = HTTPFields()
        headers[.contentType] = SupportBundle.contentType
        headers[.contentDisposition] = "attachment; filename=\"\(bundle.fileName)\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: bundle.json())))
    }
}
