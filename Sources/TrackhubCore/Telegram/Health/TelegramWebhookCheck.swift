public import Foundation

/// What `getWebhookInfo` says that matters for a pool bot Trackhub receives updates for (its
/// account has `settings.webhook_url`): the webhook points elsewhere (someone called
/// `setWebhook` or `deleteWebhook`), or Telegram failed to deliver recently. Pure.
///
/// Not a reason to take the bot out of rotation — people still reach it — but the `/start`
/// events stop reaching Trackhub, so it is logged with the bot's health.
public enum TelegramWebhookCheck {
    /// A delivery error newer than this counts as current.
    public static let recentError: TimeInterval = 600

    /// A short, token-free description of the problem, or nil when the webhook looks right.
    public static func problem(_ info: TelegramWebhookInfo, expectedURL: String, now: Date) -> String? {
        if info.url.isEmpty { return "no webhook set" }
        if info.url != expectedURL { return "webhook points elsewhere" }
        if let date = info.lastErrorDate, now.timeIntervalSince1970 - TimeInterval(date) < recentError {
            return "recent delivery errors (\(info.pendingUpdateCount) pending)"
        }
        return nil
    }
}
