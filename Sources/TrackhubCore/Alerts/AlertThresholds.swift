/// When each alert fires and how often it repeats. The defaults are the documented ones
/// (`docs/ALERTS.md`, `docs/CONFIGURATION.md`); dispatchd reads them from its settings
/// (``DispatchSettings``' `alert-*` entries).
public struct AlertThresholds: Sendable, Equatable {
    /// Dead letters in the last hour that raise the alert.
    public var deadLettersPerHour = 1
    /// Age of a stream's oldest unprocessed entry that raises the backlog alert.
    public var consumerLagMinutes = 5
    /// Drop of the 24 h match rate against the 7-day baseline, in percent of the baseline.
    public var matchRateDropPercent = 30
    /// Fewest sales in the last 24 h (and in the baseline) for the match rate to be judged.
    public var matchRateMinSales = 20
    /// Business hours without a sale that make a usually-selling gateway account "silent".
    public var gatewaySilentBusinessHours = 4
    /// Sales a day, averaged over the last 7 days, for an account to count as usually selling.
    public var gatewayUsualSalesPerDay = 3
    /// Business hours: from this hour (inclusive) to ``businessHourEnd`` (exclusive), every day,
    /// at ``businessUTCOffsetHours`` (Brasília: -3, no daylight saving since 2019).
    public var businessHourStart = 8
    public var businessHourEnd = 22
    public var businessUTCOffsetHours = -3
    /// Webhooks refused (401) for one account within ``webhookAuthWindowMinutes`` that raise the alert.
    public var webhookAuthFailures = 5
    public var webhookAuthWindowMinutes = 10
    /// An ingestd report older than this counts as "not reporting" (it cannot reach Redis, or it died).
    public var ingestReportStaleSeconds = 60
    /// Waiting events whose event time is older than this are close to Meta's 7-day limit.
    public var nearExpiryHours = 120
    /// First repeat of an alert that lasts; each repeat doubles it, up to ``repeatCapMinutes``.
    public var repeatMinutes = 60
    public var repeatCapMinutes = 720
    /// How long a condition must stay clear before "resolvido" is sent (no flapping pairs).
    public var resolveAfterSeconds = 120

    public init() {}

    /// The repeat interval after `notifications` messages of one alert: ``repeatMinutes``
    /// doubled for each message after the first, never above ``repeatCapMinutes``.
    public func repeatInterval(afterNotifications notifications: Int) -> Duration {
        let base = max(1, repeatMinutes)
        let cap = max(base, repeatCapMinutes)
        var minutes = base
        var n = 1
        while n < notifications && minutes < cap {
            minutes = min(cap, minutes * 2)
            n += 1
        }
        return .seconds(minutes * 60)
    }
}
