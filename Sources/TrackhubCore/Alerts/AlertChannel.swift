/// Where notifications go (the generic webhook, Telegram chats). For each notification
/// ``AlertService`` asks every channel for its ``routes(for:)`` — destination names stored in
/// the outbox (`webhook`, `telegram:shop`) — and later delivers each through the channel that
/// ``handles(_:)`` it.
public protocol AlertChannel: Sendable {
    /// Refreshes what the channel knows before a round (Telegram reloads its chats).
    func prepare() async throws
    /// The outbox routes of `notification` through this channel; empty: none.
    func routes(for notification: AlertNotification) -> [String]
    /// Whether `route` is one of this channel's.
    func handles(_ route: String) -> Bool
    /// Sends one notification to one route.
    func deliver(_ notification: AlertNotification, route: String) async -> AlertDeliveryResult
}

extension AlertChannel {
    public func prepare() async throws {}
}

/// How one delivery went.
public enum AlertDeliveryResult: Sendable, Equatable {
    case sent
    /// Try again later: after `after` when the receiver said how long (Telegram's
    /// `retry_after`), else after the outbox's backoff.
    case retry(reason: String, after: Duration?)
    /// The receiver refused it for good (a 4xx other than 429, a route no longer configured).
    case refused(reason: String)
}
