/// What one health check of a pool bot found: the input of ``TelegramBotHealthDecision``.
public enum TelegramBotCheck: Sendable, Equatable {
    /// `getMe` answered with this bot (its `username` may differ from the pool's: a token pasted
    /// for another bot).
    case answered(TelegramBotUser, webhookProblem: String? = nil)
    /// `getMe` failed.
    case failed(TelegramError)
    /// The pool names a bot with no `gateway: telegram` account holding its token: it cannot be
    /// checked.
    case noToken
}
