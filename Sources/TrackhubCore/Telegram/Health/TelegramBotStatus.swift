/// Whether a pool bot takes clicks: what `/go/{slug}` rotation and the `telegram_bot_down`
/// alert read from ``TelegramBotHealth``.
public enum TelegramBotStatus: String, Sendable, Hashable, CaseIterable {
    /// `getMe` answered: the token works, the bot exists.
    case live
    /// Telegram said the token is revoked or the bot deleted (401/404), or it failed the
    /// configured number of checks in a row: out of rotation until a check succeeds again.
    case dead
    /// Not judged (no token configured, never checked, or failing fewer times than the
    /// threshold from the start): stays in rotation, since a guess must not cost clicks.
    case unknown
}
