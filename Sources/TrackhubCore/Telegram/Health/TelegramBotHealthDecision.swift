public import Foundation

/// The pure rule "is this bot live, dead or unknown" after one more check, so every case is a
/// unit test and the service only does I/O.
///
/// - 401 (token revoked, bot deleted) and 404 (no such bot for this token) from `getMe` are
///   Telegram's own answer that the bot is gone: dead at once.
/// - Anything else that fails (no answer, 5xx, 429 flood control, an unreadable answer) may be
///   Telegram's or the network's trouble, not the bot's: dead only after ``deadAfter`` failures
///   in a row. Until then the bot keeps the status it had.
/// - One successful `getMe` for the same username: live again.
/// - A token whose `getMe` names another bot, or no token: unknown (in rotation; the operator
///   is told through the log and `trackhub_telegram_bot_live` not being 1).
public struct TelegramBotHealthDecision: Sendable {
    /// Failures in a row (other than 401/404) that make a bot dead.
    public var deadAfter: Int

    public init(deadAfter: Int = 3) {
        self.deadAfter = max(1, deadAfter)
    }

    /// The bot's health after `check` at `now`, from what it was (`previous`, nil the first time).
    public func next(bot: String, tenant: String?, previous: TelegramBotHealth?, check: TelegramBotCheck,
                     now: Date) -> TelegramBotHealth {
        let before = previous?.status ?? .unknown
        func becoming(_ status: TelegramBotStatus, failures: Int, reason: String?, webhook: String? = nil) -> TelegramBotHealth {
            TelegramBotHealth(bot: bot, tenant: tenant, status: status, since: status == before ? (previous?.since ?? now) : now,
                              consecutiveFailures: failures, reason: reason, webhookProblem: webhook, checkedAt: now)
        }
        switch check {
        case .noToken:
            return becoming(.unknown, failures: 0, reason: "no_token")
        case .answered(let user, let webhookProblem):
            guard user.username.map({ $0.caseInsensitiveCompare(bot) == .orderedSame }) ?? false else {
                return becoming(.unknown, failures: 0, reason: "token_of_another_bot")
            }
            return becoming(.live, failures: 0, reason: nil, webhook: webhookProblem)
        case .failed(let error):
            let failures = (previous?.consecutiveFailures ?? 0) + 1
            if Self.isGone(error) || failures >= deadAfter {
                return becoming(.dead, failures: failures, reason: error.kind.description)
            }
            return becoming(before, failures: failures, reason: error.kind.description, webhook: previous?.webhookProblem)
        }
    }

    /// Telegram's own word that the bot (or its token) no longer exists.
    public static func isGone(_ error: TelegramError) -> Bool {
        error.kind == .unauthorized || error.kind == .notFound
    }
}
