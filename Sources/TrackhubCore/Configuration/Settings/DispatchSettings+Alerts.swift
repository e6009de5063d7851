extension DispatchSettings {
    /// The alerts' settings (issue 17, docs/ALERTS.md): how often the rules run, the lease that
    /// keeps them on one instance, where messages go, and each rule's threshold
    /// (``AlertThresholds`` holds the same defaults).
    public static let alertIntervalMs = Setting(
        "alert-interval-ms", env: "TRACKHUB_ALERT_INTERVAL_MS", default: "30000", value: .milliseconds(500...3_600_000),
        help: "How often the instance holding the alert lease evaluates the rules.")
    public static let alertLeaseMs = Setting(
        "alert-lease-ms", env: "TRACKHUB_ALERT_LEASE_MS", default: "30000", value: .milliseconds(1500...600_000),
        help: "The alert lease's time to live: how long until another instance takes over from one that died.")
    public static let alertWebhookURL = Setting(
        "alert-webhook-url", env: "TRACKHUB_ALERT_WEBHOOK_URL", default: nil, note: "*(empty: none)*", value: .optionalText,
        help: "Alerts are also POSTed here as JSON: https (http only to loopback with allow-loopback-http).")
    public static let alertDeadLettersPerHour = Setting(
        "alert-dead-letters-per-hour", env: "TRACKHUB_ALERT_DEAD_LETTERS_PER_HOUR", default: "1", value: .integer(1...1_000_000),
        help: "Dead letters of one reason in the last hour that raise an alert.")
    public static let alertConsumerLagMinutes = Setting(
        "alert-consumer-lag-minutes", env: "TRACKHUB_ALERT_CONSUMER_LAG_MINUTES", default: "5", value: .integer(1...1440),
        help: "Age of a stream's oldest unprocessed entry that raises an alert.")
    public static let alertMatchRateDropPercent = Setting(
        "alert-match-rate-drop-percent", env: "TRACKHUB_ALERT_MATCH_RATE_DROP_PERCENT", default: "30", value: .integer(1...100),
        help: "Drop of a tenant's 24 h match rate against its 7-day baseline (percent of the baseline) that raises an alert.")
    public static let alertMatchRateMinSales = Setting(
        "alert-match-rate-min-sales", env: "TRACKHUB_ALERT_MATCH_RATE_MIN_SALES", default: "20", value: .integer(1...1_000_000),
        help: "Fewest approved sales in the last 24 h (and in the baseline) for the match rate to be judged.")
    public static let alertGatewaySilentHours = Setting(
        "alert-gateway-silent-hours", env: "TRACKHUB_ALERT_GATEWAY_SILENT_HOURS", default: "4", value: .integer(1...168),
        help: "Business hours without a sale that make a usually-selling gateway account silent.")
    public static let alertGatewayUsualSalesPerDay = Setting(
        "alert-gateway-usual-sales-per-day", env: "TRACKHUB_ALERT_GATEWAY_USUAL_SALES_PER_DAY", default: "3", value: .integer(1...1_000_000),
        help: "Sales a day (7-day average) for a gateway account to count as usually selling.")
    public static let alertBusinessHourStart = Setting(
        "alert-business-hour-start", env: "TRACKHUB_ALERT_BUSINESS_HOUR_START", default: "8", value: .integer(0...23),
        help: "First business hour of the day (local time at the offset below).")
    public static let alertBusinessHourEnd = Setting(
        "alert-business-hour-end", env: "TRACKHUB_ALERT_BUSINESS_HOUR_END", default: "22", value: .integer(1...24),
        help: "Hour business ends (exclusive).")
    public static let alertBusinessUTCOffset = Setting(
        "alert-business-utc-offset", env: "TRACKHUB_ALERT_BUSINESS_UTC_OFFSET", default: "-3", value: .integer(-12...14),
        help: "UTC offset of the business hours, in hours (Brasília: -3).")
    public static let alertWebhookAuthFailures = Setting(
        "alert-webhook-auth-failures", env: "TRACKHUB_ALERT_WEBHOOK_AUTH_FAILURES", default: "5", value: .integer(1...1_000_000),
        help: "Webhooks refused (401) for one gateway account within the window that raise an alert.")
    public static let alertWebhookAuthWindowMinutes = Setting(
        "alert-webhook-auth-window-minutes", env: "TRACKHUB_ALERT_WEBHOOK_AUTH_WINDOW_MINUTES", default: "10", value: .integer(1...60),
        help: "The window the refused webhooks are counted in.")
    public static let alertIngestStaleSeconds = Setting(
        "alert-ingest-stale-seconds", env: "TRACKHUB_ALERT_INGEST_STALE_SECONDS", default: "60", value: .integer(5...3600),
        help: "An ingestd report older than this raises the spooling alert (it cannot reach Redis, or it stopped).")
    public static let alertNearExpiryHours = Setting(
        "alert-near-expiry-hours", env: "TRACKHUB_ALERT_NEAR_EXPIRY_HOURS", default: "120", value: .integer(1...167),
        help: "Parked events older than this are close to Meta's 7-day limit.")
    public static let alertRepeatMinutes = Setting(
        "alert-repeat-minutes", env: "TRACKHUB_ALERT_REPEAT_MINUTES", default: "60", value: .integer(1...10_080),
        help: "First repeat of an alert that lasts; each repeat doubles the wait.")
    public static let alertRepeatCapMinutes = Setting(
        "alert-repeat-cap-minutes", env: "TRACKHUB_ALERT_REPEAT_CAP_MINUTES", default: "720", value: .integer(1...10_080),
        help: "Longest wait between repeats.")
    public static let alertResolveAfterSeconds = Setting(
        "alert-resolve-after-seconds", env: "TRACKHUB_ALERT_RESOLVE_AFTER_SECONDS", default: "120", value: .integer(0...86_400),
        help: "How long a condition stays clear before its resolved message.")

    public static let alertTelegramBaseURL = Setting(
        "alert-telegram-base-url", env: "TRACKHUB_ALERT_TELEGRAM_BASE_URL", default: "https://api.telegram.org", value: .httpURL,
        help: "Telegram Bot API base URL for alerts: https (tests point it at a loopback fake, see allow-loopback-http).")
    public static let alertDailySummaryHour = Setting(
        "alert-daily-summary-hour", env: "TRACKHUB_ALERT_DAILY_SUMMARY_HOUR", default: "8", value: .integer(0...23),
        help: "Local hour (at the business UTC offset) after which yesterday's summary goes to each tenant's Telegram chat.")

    /// What `dispatchd run` reads for the alerts.
    public static let alerts: [Setting] = [
        alertIntervalMs, alertLeaseMs, alertWebhookURL, alertDeadLettersPerHour, alertConsumerLagMinutes, alertMatchRateDropPercent,
        alertMatchRateMinSales, alertGatewaySilentHours, alertGatewayUsualSalesPerDay, alertBusinessHourStart, alertBusinessHourEnd,
        alertBusinessUTCOffset, alertWebhookAuthFailures, alertWebhookAuthWindowMinutes, alertIngestStaleSeconds, alertNearExpiryHours,
        alertRepeatMinutes, alertRepeatCapMinutes, alertResolveAfterSeconds, alertTelegramBaseURL, alertDailySummaryHour,
    ]
}
