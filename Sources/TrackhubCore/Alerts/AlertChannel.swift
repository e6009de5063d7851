/// Where notifications go (the generic webhook, Telegram). ``AlertService`` queues each
/// notification for the channels that ``accepts(_:)`` it and delivers through ``deliver(_:)``.
public protocol AlertChannel: Sendable {
    /// The channel's stable name in the outbox (`webhook`, `telegram`).
    var name: String { get }
    /// Whether this notification goes to this channel (a tenant without a chat gets none).
    func accepts(_ notification: AlertNotification) -> Bool
    /// Sends one notification.
    func deliver(_ notification: AlertNotification) async -> AlertDeliveryResult
}

/// How one delivery went.
public enum AlertDeliveryResult: Sendable, Equatable {
    case sent
    /// Try again later: after `after` when the receiver said how long (Telegram's
    /// `retry_after`), else after the outbox's backoff.
    case retry(reason: String, after: Duration?)
    /// The receiver refused it for good (a 4xx other than 429): not retried.
    case refused(reason: String)
}
