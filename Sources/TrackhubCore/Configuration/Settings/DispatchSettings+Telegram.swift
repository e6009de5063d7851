extension DispatchSettings {
    /// The Telegram Bot API the pool health check (and any other bot call of `dispatchd run`)
    /// talks to; alerts keep their own ``alertTelegramBaseURL``.
    public static let telegramBaseURL = Setting(
        "telegram-base-url", env: "TRACKHUB_TELEGRAM_BASE_URL", default: "https://api.telegram.org", value: .httpURL,
        help: "Telegram Bot API base URL for the bots of links: https (tests point it at a loopback fake, see allow-loopback-http).")
    public static let telegramHealthIntervalMs = Setting(
        "telegram-health-interval-ms", env: "TRACKHUB_TELEGRAM_HEALTH_INTERVAL_MS", default: "15000", value: .milliseconds(1000...600_000),
        help: "How often every bot of a Telegram link is checked (getMe); a dead bot leaves /go rotation within about this plus ingestd's snapshot poll.")
    public static let telegramHealthFailures = Setting(
        "telegram-health-failures", env: "TRACKHUB_TELEGRAM_HEALTH_FAILURES", default: "3", value: .integer(1...100),
        help: "Failed checks in a row (no answer, 5xx, 429) that make a bot dead; 401/404 (token revoked, bot deleted) make it dead at once.")
    public static let telegramHealthLeaseMs = Setting(
        "telegram-health-lease-ms", env: "TRACKHUB_TELEGRAM_HEALTH_LEASE_MS", default: "30000", value: .milliseconds(1500...600_000),
        help: "The health check lease's time to live: how long until another instance takes over from one that died.")

    /// What `dispatchd run` reads for the bots of links.
    public static let telegram: [Setting] = [telegramBaseURL, telegramHealthIntervalMs, telegramHealthFailures, telegramHealthLeaseMs]
}
