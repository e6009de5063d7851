import Foundation
import Synchronization

/// Alerts to Telegram chats (Bot API `sendMessage`, HTML parse mode, pt-BR): a tenant's alerts
/// to its chat, and every alert to the operator's chat when one is set (scope `*`). The chats
/// and their sealed bot tokens are reloaded from `alert_telegram_chats` before each round
/// (``prepare()``), so `dispatchd alerts telegram` takes effect without a restart.
///
/// 429 waits Telegram's `retry_after`; 5xx and transport failures are retried by the outbox;
/// a revoked token, a chat the bot cannot write to or any other 4xx is refused (logged, kept
/// in the history) rather than retried forever.
public final class TelegramAlertChannel: AlertChannel {
    public static let routePrefix = "telegram:"

    private let client: any TelegramBotAPI
    private let load: @Sendable () async throws -> [String: AlertTelegramChat]
    private let chats = Mutex<[String: AlertTelegramChat]>([:])

    /// `load` returns the chats by scope (``AlertTelegramChat/load(keys:connection:)``).
    public init(client: any TelegramBotAPI, load: @escaping @Sendable () async throws -> [String: AlertTelegramChat]) {
        self.client = client
        self.load = load
    }

    public func prepare() async throws {
        let loaded = try await load()
        chats.withLock { $0 = loaded }
    }

    public func routes(for notification: AlertNotification) -> [String] {
        let scopes = chats.withLock { c in
            [notification.key.tenant, AlertTelegramChat.operatorScope].compactMap { $0 }.filter { c[$0] != nil }
        }
        return scopes.map { Self.routePrefix + $0 }
    }

    public func handles(_ route: String) -> Bool { route.hasPrefix(Self.routePrefix) }

    public func deliver(_ notification: AlertNotification, route: String) async -> AlertDeliveryResult {
        let scope = String(route.dropFirst(Self.routePrefix.count))
        guard let chat = chats.withLock({ $0[scope] }) else { return .refused(reason: "no telegram chat for \(scope)") }
        let message = TelegramOutgoingMessage(chatID: chat.chatID, text: TelegramAlertMessage.text(notification), parseMode: "HTML",
                                              disableNotification: notification.kind == .resolved)
        do {
            try await client.sendMessage(token: chat.token, message)
            return .sent
        } catch {
            return Self.result(error)
        }
    }

    static func result(_ error: TelegramError) -> AlertDeliveryResult {
        if error.kind == .tooManyRequests {
            return .retry(reason: error.description, after: .seconds(max(1, error.retryAfter ?? 5)))
        }
        return error.isTransient ? .retry(reason: error.description, after: nil) : .refused(reason: error.description)
    }
}

extension TelegramAlertChannel {
    /// The tenants with a chat (the operator's scope excluded).
    public func tenantScopes() -> [String] {
        chats.withLock { $0.keys.filter { $0 != AlertTelegramChat.operatorScope }.sorted() }
    }

    /// Sends a tenant's daily summary to its chat.
    public func send(summary: DailySummary) async -> AlertDeliveryResult {
        guard let chat = chats.withLock({ $0[summary.tenant] }) else { return .refused(reason: "no telegram chat") }
        let text = TelegramAlertMessage.compose(title: "📊 Resumo de \(summary.day)", body: summary.text, footer: "loja \(summary.tenant)")
        do {
            try await client.sendMessage(token: chat.token, TelegramOutgoingMessage(chatID: chat.chatID, text: text, parseMode: "HTML",
                                                                                     disableNotification: true))
            return .sent
        } catch {
            return Self.result(error)
        }
    }
}
