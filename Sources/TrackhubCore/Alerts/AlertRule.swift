/// The alerts Trackhub raises (issue 17). The raw value is the stable name used in the alert
/// state, the history, the webhook JSON and `docs/ALERTS.md`.
public enum AlertRule: String, Sendable, CaseIterable, Hashable, Comparable {
    /// A pixel paused for its token or a missing permission: nothing reaches Meta until a new
    /// token is applied, and its events are parked. Fires at once.
    case pixelPaused = "pixel_paused"
    /// Events dead-lettered in the last hour.
    case deadLetters = "dead_letters"
    /// A stream's oldest unprocessed entry is older than the threshold.
    case consumerLag = "consumer_lag"
    /// A tenant's match rate of the last 24 h fell against its 7-day baseline.
    case matchRateDrop = "match_rate_drop"
    /// A gateway account that usually sells has sold nothing for some business hours.
    case gatewaySilent = "gateway_silent"
    /// A burst of webhooks refused for their signature (401) on one gateway account.
    case webhookAuthFailures = "webhook_auth_failures"
    /// An ingestd instance is writing to its local spool (Redis unreachable), or stopped reporting.
    case ingestSpooling = "ingest_spooling"
    /// Parked or scheduled events getting close to Meta's 7-day limit.
    case eventsNearExpiry = "events_near_expiry"
    /// A bot of a Telegram link is dead (token revoked, bot deleted, or failing every check):
    /// out of `/go` rotation until it answers again (issue 19 item 5).
    case telegramBotDown = "telegram_bot_down"

    public static func < (lhs: AlertRule, rhs: AlertRule) -> Bool { lhs.rawValue < rhs.rawValue }
}
