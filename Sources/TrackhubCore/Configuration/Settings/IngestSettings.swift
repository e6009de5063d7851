/// Every ingestd setting: the table its flags, variables, defaults, ranges and `--help` come
/// from. `docs/CONFIGURATION.md` lists the same table (a test holds them together).
public enum IngestSettings {
    public static let host = Setting(
        "host", env: "TRACKHUB_INGEST_HOST", default: "127.0.0.1", value: .text, flag: .everyCommand,
        help: "Address to listen on.")
    public static let port = Setting(
        "port", env: "TRACKHUB_INGEST_PORT", default: "8080", value: .integer(0...65535), flag: .everyCommand,
        help: "TCP port to listen on (0 = any free port; the bound port is logged).")
    public static let spoolDir = Setting(
        "spool-dir", env: "TRACKHUB_SPOOL_DIR", default: "/var/lib/trackhub/spool", value: .text, flag: .everyCommand,
        help: "Directory of the fallback spool and the last good config snapshot.")
    public static let trustedProxies = Setting(
        "trusted-proxies", env: "TRACKHUB_TRUSTED_PROXIES", default: "", note: "*(empty: none)*", value: .addressList,
        flag: .everyCommand, help: "Peers whose X-Forwarded-For is believed.")
    public static let maxBodyBytes = Setting(
        "max-body-bytes", env: "TRACKHUB_MAX_BODY_BYTES", default: "65536", value: .integer(1024...(16 << 20)),
        help: "Largest /track body accepted (413 above).")
    public static let maxWebhookBytes = Setting(
        "max-webhook-bytes", env: "TRACKHUB_MAX_WEBHOOK_BYTES", default: "262144", value: .integer(1024...(16 << 20)),
        help: "Largest webhook body accepted (413 above).")
    public static let snapshotPollMs = Setting(
        "snapshot-poll-ms", env: "TRACKHUB_SNAPSHOT_POLL_MS", default: "1000", value: .milliseconds(50...60_000),
        help: "How often to check Redis for a new config snapshot.")
    public static let stripeToleranceSeconds = Setting(
        "stripe-tolerance-seconds", env: "TRACKHUB_STRIPE_TOLERANCE_SECONDS", default: "300", value: .integer(1...86_400),
        help: "Stripe signature timestamp tolerance in seconds, both directions.")
    public static let cookieDomain = Setting(
        "cookie-domain", env: "TRACKHUB_COOKIE_DOMAIN", default: "", note: "*(empty: host only)*", value: .optionalText,
        help: "Domain attribute of the th_cid cookie.")
    public static let cookieSecure = Setting(
        "cookie-secure", env: "TRACKHUB_COOKIE_SECURE", default: "false", value: .boolean,
        help: "Mark the th_cid cookie Secure (set true behind HTTPS).")

    public static let clickExtraParams = Setting(
        "click-extra-params", env: "TRACKHUB_CLICK_EXTRA_PARAMS", default: "5", value: .integer(0...50),
        help: "utm_* names a click keeps beyond the documented six.")
    public static let clickParamsMaxBytes = Setting(
        "click-params-max-bytes", env: "TRACKHUB_CLICK_PARAMS_MAX_BYTES", default: "2048", value: .integer(256...16384),
        help: "Bytes of query parameters a click keeps (names and values; the rest is dropped).")
    public static let urlQueryAllow = Setting(
        "url-query-allow", env: "TRACKHUB_URL_QUERY_ALLOW", default: "", note: "*(empty: none)*", value: .optionalText,
        help: "Comma-separated query names kept in page_url, referrer and Referer besides utm_* and click ids.")

    public static let clientRatePerSecond = Setting(
        "client-rate-per-second", env: "TRACKHUB_CLIENT_RATE_PER_SECOND", default: "0", value: .integer(0...1_000_000),
        help: "Requests a second per client address on /go and /track (bursts of twice that; 429 above). 0 = off.")

    public static let redisTimeoutMs = Setting(
        "redis-timeout-ms", env: "TRACKHUB_INGEST_REDIS_TIMEOUT_MS", default: "50", value: .milliseconds(5...5_000),
        help: "How long the ingest writer waits for Redis to answer before it acknowledges from the spool.")
    public static let spoolMaxBytes = Setting(
        "spool-max-bytes", env: "TRACKHUB_SPOOL_MAX_BYTES", default: "1073741824", value: .integer(65_536...(1 << 40)),
        help: "Largest spool file; beyond it requests get 503 overloaded + Retry-After (not ready from 90%).")
    public static let redisMemoryWatermarkPercent = Setting(
        "redis-memory-watermark-percent", env: "TRACKHUB_REDIS_MEMORY_WATERMARK_PERCENT", default: "90", value: .integer(0...100),
        help: "Refuse new events (503 overloaded) above this share of Redis maxmemory. 0 = off.")

    public static let instance = Setting(
        "instance", env: "TRACKHUB_INGEST_INSTANCE", default: nil, note: "*host name*-*port*", value: .consumerName,
        help: "This ingestd's name in the report the alert rules read (spool, Redis, refused webhooks), every 5 s.")

    public static let table = SettingsTable(program: "ingestd", settings: [
        SharedSettings.configFile, host, port, SharedSettings.redisURL, SharedSettings.streamPrefix, spoolDir,
        SharedSettings.masterKeyFile, SharedSettings.sealAcceptPurposeOnly, trustedProxies, maxBodyBytes, maxWebhookBytes, snapshotPollMs, stripeToleranceSeconds,
        cookieDomain, cookieSecure, clickExtraParams, clickParamsMaxBytes, urlQueryAllow, clientRatePerSecond, redisTimeoutMs, spoolMaxBytes, redisMemoryWatermarkPercent,
        instance,
        SharedSettings.httpIdleTimeoutMs, SharedSettings.logLevel,
    ])
}
