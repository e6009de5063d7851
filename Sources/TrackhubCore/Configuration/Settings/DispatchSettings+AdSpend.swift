extension DispatchSettings {
    /// The ad spend import's settings (issue 17, docs/ANALYTICS.md): how often each ad account's
    /// insights are read, how many recent days each import reads again, and the lease that keeps
    /// the import on one instance.
    public static let adSpendIntervalMs = Setting(
        "adspend-interval-ms", env: "TRACKHUB_ADSPEND_INTERVAL_MS", default: "3600000", value: .milliseconds(60_000...86_400_000),
        help: "How often each ad account's spend is imported from Meta's insights API.")
    public static let adSpendDays = Setting(
        "adspend-days", env: "TRACKHUB_ADSPEND_DAYS", default: "3", value: .integer(1...90),
        help: "Days each import reads again, today included (Meta revises recent days).")
    public static let adSpendLeaseMs = Setting(
        "adspend-lease-ms", env: "TRACKHUB_ADSPEND_LEASE_MS", default: "120000", value: .milliseconds(3000...600_000),
        help: "The import lease's time to live: how long until another instance takes over from one that died.")

    /// What `dispatchd run` reads for the import (`dispatchd adspend sync` reads ``adSpendDays``).
    public static let adSpend: [Setting] = [adSpendIntervalMs, adSpendDays, adSpendLeaseMs]
}
