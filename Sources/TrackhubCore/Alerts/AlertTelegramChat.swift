public import Foundation

/// Where one scope's alerts go on Telegram: a tenant's chat (its alerts only) or the
/// operator's (scope ``operatorScope``: every alert), and the bot that sends them. Stored in
/// `alert_telegram_chats` with the token sealed (``SealContext/alertBotToken(scope:)``); opened
/// only in memory. Descriptions never show the token.
public struct AlertTelegramChat: Sendable, Equatable, CustomStringConvertible {
    /// The scope of the operator's chat.
    public static let operatorScope = "*"

    public var scope: String
    public var chatID: String
    public var token: TelegramBotToken

    public init(scope: String, chatID: String, token: TelegramBotToken) {
        self.scope = scope
        self.chatID = chatID
        self.token = token
    }

    public var description: String { "AlertTelegramChat(\(scope), chat \(chatID), \(token))" }

    /// Stores (or replaces) the chat of `scope`, sealing the token.
    public static func save(_ chat: AlertTelegramChat, keys: KeyRing, connection: PostgresConnection) throws {
        let sealed = try keys.seal(string: chat.token.secret, for: .alertBotToken(scope: chat.scope))
        _ = try connection.query("""
            INSERT INTO alert_telegram_chats (scope, chat_id, bot_token_ciphertext) VALUES ($1, $2, $3)
            ON CONFLICT (scope) DO UPDATE SET chat_id = EXCLUDED.chat_id, bot_token_ciphertext = EXCLUDED.bot_token_ciphertext, updated_at = now()
            """, [.string(chat.scope), .string(chat.chatID), .string(sealed.text)])
    }

    /// The chat id of `scope`, without opening its token (what a page shows); nil when none is set.
    public static func chatID(scope: String, connection: PostgresConnection) throws -> String? {
        let rows = try connection.query("SELECT chat_id FROM alert_telegram_chats WHERE scope = $1", [.string(scope)])
        return rows.isEmpty ? nil : try rows.string(0, "chat_id")
    }

    /// Removes the chat of `scope`; true when there was one.
    @discardableResult
    public static func remove(scope: String, connection: PostgresConnection) throws -> Bool {
        try !connection.query("DELETE FROM alert_telegram_chats WHERE scope = $1 RETURNING scope", [.string(scope)]).isEmpty
    }

    /// Every chat by scope, tokens opened. A token that cannot be opened (a removed key) is
    /// left out and reported in `unreadable`.
    public static func load(keys: KeyRing, connection: PostgresConnection) throws -> (chats: [String: AlertTelegramChat], unreadable: [String]) {
        let rows = try connection.query("SELECT scope, chat_id, bot_token_ciphertext FROM alert_telegram_chats ORDER BY scope")
        var chats: [String: AlertTelegramChat] = [:]
        var unreadable: [String] = []
        for i in rows.indices {
            let scope = try rows.string(i, "scope") ?? "", chatID = try rows.string(i, "chat_id") ?? ""
            guard let text = try rows.string(i, "bot_token_ciphertext"),
                  let token = try? keys.open(Sealed(text: text), for: .alertBotToken(scope: scope)) else {
                unreadable.append(scope)
                continue
            }
            chats[scope] = AlertTelegramChat(scope: scope, chatID: chatID,
                                             token: TelegramBotToken(String(decoding: token, as: UTF8.self)))
        }
        return (chats, unreadable)
    }
}
