import Foundation
import Hummingbird
import Logging
import TrackhubCore

/// Alertas: `GET /alerts?tenant=` — the tenant's alerts open now, the latest notifications
/// (fired, repeated, resolved) with how each delivery went, and where the alerts go on Telegram.
/// `POST /alerts/telegram` (admins) sets that chat the way `dispatchd alerts telegram` does, but
/// checked for real first: the bot sends a test message to the chat, and the chat is saved
/// (token sealed, change audited) only when Telegram delivered it; otherwise the page says why
/// in the seller's words (``AlertChatCheck``). `remove=1` stops the tenant's Telegram alerts.
struct AlertsPage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_alerts", path: "/alerts", order: 7)
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/alerts") { request, context in
            try await show(tenant: request.uri.queryParameters["tenant"].map(String.init), context)
        }
        router.post("/alerts/telegram") { _, context in try await saveChat(context) }
    }

    func show(tenant picked: String?, _ context: ConsoleRequestContext, notice: (text: String, ok: Bool)? = nil,
              typedChatID: String? = nil) async throws -> Response {
        let user = try context.requireUser()
        guard let t = try await ConsoleTenantChoice.make(picked, context, store: deps.store) else {
            return deps.renderer.page("alerts", titleKey: "alerts_title", context: context, path: "/alerts", model: ["no_tenant": true])
        }
        let (state, history, chat) = try await deps.store.pool.withConnection { c in
            (try AlertStore.loadState(connection: c), try AlertStore.history(tenant: t.id, limit: 30, connection: c),
             try AlertTelegramChat.chatID(scope: t.id, connection: c))
        }
        var model = AlertsModel(tenant: t.id, state: state, history: history, chatID: chat, language: context.language,
                                strings: deps.renderer.strings).model
        model.merge(t.model) { _, picker in picker }
        model["tenant_name"] = t.name
        model["may_configure"] = user.may(.configure, tenant: t.id)
        model["typed_chat_id"] = typedChatID ?? chat ?? ""
        if let notice {
            model["notice"] = notice.text
            model["notice_ok"] = notice.ok
        }
        return deps.renderer.page("alerts", titleKey: "alerts_title", context: context, path: "/alerts", model: model)
    }

    func saveChat(_ context: ConsoleRequestContext) async throws -> Response {
        let form = context.form
        guard let t = try await ConsoleTenantChoice.make(form.trimmed("tenant"), context, store: deps.store) else { throw HTTPError(.badRequest) }
        let user = try context.requireUser()
        guard user.may(.configure, tenant: t.id) else { throw ConsoleDenied.forbidden }
        let language = context.language
        if form.trimmed("remove") == "1" {
            let removed = try await deps.store.pool.withConnection { try AlertTelegramChat.remove(scope: t.id, connection: $0) }
            if removed { try await deps.store.audit(actor: user, tenant: t.id, action: "alerts.telegram", summary: "Telegram alerts removed") }
            return try await show(tenant: t.id, context, notice: (deps.renderer.strings.text("alerts_removed", language), true))
        }
        let chatID = form.trimmed("chat_id")
        let token = form.trimmed("token")
        if let problem = AlertChatCheck.formProblem(chatID: chatID, token: token) {
            return try await show(tenant: t.id, context, notice: (ConsoleInsight.text(problem, language), false), typedChatID: chatID)
        }
        let bot = TelegramBotToken(token)
        do {
            try await deps.telegram.sendMessage(token: bot, AlertChatCheck.testMessage(chatID: chatID, tenantName: t.name))
        } catch {
            deps.logger.notice("console alert chat refused by Telegram", metadata: [LogKey.tenant: "\(t.id)", LogKey.reason: "\(error.kind)"])
            return try await show(tenant: t.id, context, notice: (ConsoleInsight.text(AlertChatCheck.problem(error), language), false),
                                  typedChatID: chatID)
        }
        let keys = deps.keys
        try await deps.store.pool.withConnection { c in
            try AlertTelegramChat.save(AlertTelegramChat(scope: t.id, chatID: chatID, token: bot), keys: keys, connection: c)
        }
        try await deps.store.audit(actor: user, tenant: t.id, action: "alerts.telegram", summary: "Telegram alerts to chat \(chatID)")
        deps.logger.notice("console alert chat saved", metadata: [LogKey.tenant: "\(t.id)"])
        return try await show(tenant: t.id, context, notice: (deps.renderer.strings.text("alerts_saved", language, chatID), true))
    }
}
