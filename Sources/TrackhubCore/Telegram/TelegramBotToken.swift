import Foundation

/// A Telegram bot token (`<bot id>:<secret>`), kept apart from plain strings so it cannot be
/// printed by accident.
///
/// Why a type: the Bot API puts the token in the URL path (`/bot<token>/getMe`), so every place
/// that formats a URL, an error or a log line could leak it. `description` shows only the bot id
/// (public: it is the bot's user id), never the secret part.
public struct TelegramBotToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The whole token, to build a request URL. Never log it.
    public let secret: String

    public init(_ secret: String) {
        self.secret = secret
    }

    /// The bot's numeric id (the part before `:`), or nil when the token has no such part.
    public var botID: String? {
        guard let colon = secret.firstIndex(of: ":") else { return nil }
        let id = secret[..<colon]
        return !id.isEmpty && id.allSatisfy({ $0.isASCII && $0.isNumber }) ? String(id) : nil
    }

    /// Whether it has the shape Telegram issues: digits, `:`, then 30+ of `A-Z a-z 0-9 _ -`.
    public var isWellFormed: Bool {
        guard botID != nil, let colon = secret.firstIndex(of: ":") else { return false }
        let rest = secret[secret.index(after: colon)...]
        return rest.count >= 30 && rest.allSatisfy(TelegramBotToken.isTokenCharacter)
    }

    static func isTokenCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-")
    }

    public var description: String { "telegram-bot:\(botID ?? "?")" }
    public var debugDescription: String { description }

    /// `text` with every occurrence of the token replaced by ``description`` (for text that may
    /// have been built from a URL).
    public func redacting(_ text: String) -> String {
        guard !secret.isEmpty else { return text }
        return text.replacingOccurrences(of: secret, with: description)
    }
}
