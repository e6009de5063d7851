import Foundation
import HTTPTypes
import Logging
import Hummingbird
import NIOCore
import TrackhubCore

/// Ajuda: a troubleshooting conversation. The user picks a problem or describes it
/// (`POST /help`); the assistant gathers real evidence (status, the ledger, the last webhooks,
/// matches, pauses — ``TroubleshootingEvidenceReader``), runs the rules (``Troubleshooter``)
/// and answers in the page's language with the evidence and the fixes. A fix that changes the
/// configuration (switch a pixel to live, replace its token) is applied right in the chat and
/// can be undone there (``HelpPage/registerFixes(on:)``); a replay goes through the failure
/// queue's confirmation; the others link to the page that does them. The conversation is kept
/// (scrubbed, ``HelpDeskStore``) and shown again when the user comes back. When the assistant
/// cannot help, "falar com o suporte" (`POST /help/support`) opens a case for the operator — the
/// conversation, the diagnosis and the redacted support bundle — and tells the operator's
/// Telegram chat (``SupportCaseNotice``); the user can download the same bundle
/// (`GET /help/cases/{id}/bundle`). Owners handle the cases (``SupportCasesPage``).
struct HelpPage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_help", path: "/help", order: 90)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/help") { _, context in
            let user = try context.requireUser()
            return page(context, model: try await history(user))
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

    /// The page with `user`'s earlier conversation above `extra` (what happens now).
    func page(_ context: ConsoleRequestContext, user: ConsoleUser, model extra: [String: Any],
              status: HTTPResponse.Status = .ok) async throws -> Response {
        var model = try await history(user)
        for (k, v) in extra { model[k] = v }
        return page(context, model: model, status: status)
    }

    /// The end of `user`'s earlier conversation, for the page to show above what happens now;
    /// for an owner, how many support cases are open.
    func history(_ user: ConsoleUser) async throws -> [String: Any] {
        let lines = try await deps.helpDesk.conversation(user: user.id, limit: Self.historyShown)
        var model: [String: Any] = [
            "has_history": !lines.isEmpty,
            "history": lines.map { m -> [String: Any] in
                ["class": m.author == .user ? "msg-user" : "msg-bot", "body": m.body]
            },
        ]
        if user.may(.handleSupport) {
            let open = try await deps.helpDesk.openCount()
            model["cases_open"] = open > 0 ? String(open) : false
            model["is_operator"] = true
        }
        return model
    }

    /// Lines of the earlier conversation shown on return.
    static let historyShown = 6

    func ask(_ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let language = context.language
        let message = String(context.form.trimmed("message").prefix(500))
        let picked = TroubleshootingTopic(rawValue: context.form.trimmed("topic"))
        let said = picked.map { ConsoleInsight.text($0.title, language) } ?? message
        var model = try await history(user)
        try await deps.helpDesk.record(user: user.id, author: .user, body: said)
        guard let topic = picked ?? TroubleshootingTopic.guess(from: message) else {
            try await deps.helpDesk.record(user: user.id, author: .assistant, level: InsightLevel.warning.rawValue,
                                           body: text("help_not_understood", context))
            model.merge(["answered": true, "said": said, "not_understood": true]) { _, new in new }
            return page(context, model: model)
        }
        let evidence = try await deps.insight.evidence(scope: ConsoleInsight.scope(user))
        let d = Troubleshooter.diagnose(topic, evidence)
        try await deps.helpDesk.record(user: user.id, author: .assistant, level: d.level.rawValue, body: ConsoleInsight.text(d.summary, language))
        model.merge([
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
        ]) { _, new in new }
        return page(context, model: model)
    }

    /// Opens a case: the conversation, every topic's diagnosis and the redacted bundle, kept for
    /// the operator; then tells the operator's Telegram chat, and says to the user what happened.
    func support(_ context: ConsoleRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let scope = ConsoleInsight.scope(user)
        let evidence = try await deps.insight.evidence(scope: scope)
        let diagnoses = TroubleshootingTopic.allCases.map { Troubleshooter.diagnose($0, evidence) }
        let bundle = try await deps.insight.supportBundle(scope: scope, application: [("console_user_role", user.role.rawValue)],
                                                          diagnoses: diagnoses)
        var model = try await history(user)
        let opened = try await deps.helpDesk.open(user: user, bundle: bundle.json())
        try await deps.helpDesk.record(user: user.id, author: .user, body: text("help_support_button", context))
        let outcome = await notifyOperator(opened, diagnosis: SupportCaseNotice.diagnosis(diagnoses))
        try await deps.helpDesk.setNotice(case: opened.id, outcome)
        try await deps.store.audit(actor: user, tenant: nil, action: "support.case", summary: "support case \(opened.id) opened (\(outcome.stored))")
        deps.logger.notice("support case opened", metadata: [LogKey.detail: "case=\(opened.id) notified=\(outcome.stored)"])
        let said = text("help_case_opened", context, String(opened.id))
        try await deps.helpDesk.record(user: user.id, author: .assistant, level: InsightLevel.ok.rawValue, body: said)
        if user.may(.handleSupport) { model["cases_open"] = String(try await deps.helpDesk.openCount()) }
        model["case_opened"] = ["text": said, "notice": ConsoleInsight.text(outcome.toRequester, context.language),
                                "bundle_path": "/help/cases/\(opened.id)/bundle"]
        return page(context, model: model)
    }

    /// Sends the case to the operator's Telegram chat, if one is set.
    func notifyOperator(_ opened: SupportCase, diagnosis: String) async -> SupportCaseNotice.Outcome {
        let chat: AlertTelegramChat?
        do {
            chat = try await deps.store.pool.withConnection { [keys = deps.keys] in
                try AlertTelegramChat.load(keys: keys, connection: $0).chats[AlertTelegramChat.operatorScope]
            }
        } catch {
            return .failed("operator chat unreadable")
        }
        guard let chat else { return .noOperatorChat }
        let message = TelegramOutgoingMessage(chatID: chat.chatID, text: SupportCaseNotice.message(
            case: opened, diagnosis: diagnosis, consoleURL: deps.configuration.publicURL))
        do {
            try await deps.telegram.sendMessage(token: chat.token, message)
            return .telegram
        } catch {
            deps.logger.warning("support case notice failed", metadata: [LogKey.detail: "case=\(opened.id) \(error.kind)"])
            return SupportCaseNotice.outcome(error)
        }
    }
}
