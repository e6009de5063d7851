/// Every ingestd setting, with its flag, environment variable and default.
/// `docs/CONFIGURATION.md` lists the same table.
public enum IngestSettingSpecs {
    public static let host = SettingSpec("host", env: "TRACKHUB_INGEST_HOST", default: "127.0.0.1", help: "Address to listen on.")
    public static let port = SettingSpec("port", env: "TRACKHUB_INGEST_PORT", default: "8080", help: "TCP port to listen on (0 = any free port).")
    public static let redisURL = SettingSpec("redis-url", env: "TRACKHUB_REDIS_URL", default: "redis://127.0.0.1:6379/0", help: "Redis to append envelopes to.")
    public static let streamPrefix = SettingSpec("stream-prefix", env: "TRACKHUB_STREAM_PREFIX", default: "th", help: "Prefix of every Redis key.")
    public static let spoolDir = SettingSpec("spool-dir", env: "TRACKHUB_SPOOL_DIR", default: "/var/lib/trackhub/spool", help: "Local directory for the fallback spool and the last good config snapshot.")
    public static let masterKeyFile = SettingSpec("master-key-file", env: "TRACKHUB_MASTER_KEY_FILE", default: "/etc/trackhub/master.key", help: "Key ring that decrypts webhook secrets and seals personal data.")
    public static let trustedProxies = SettingSpec("trusted-proxies", env: "TRACKHUB_TRUSTED_PROXIES", default: "", help: "Comma-separated CIDRs whose X-Forwarded-For is trusted.")
    public static let maxBodyBytes = SettingSpec("max-body-bytes", env: "TRACKHUB_MAX_BODY_BYTES", default: "65536", help: "Largest /track body accepted (413 above).")
    public static let maxWebhookBytes = SettingSpec("max-webhook-bytes", env: "TRACKHUB_MAX_WEBHOOK_BYTES", default: "262144", help: "Largest webhook body accepted (413 above).")
    public static let snapshotPollMs = SettingSpec("snapshot-poll-ms", env: "TRACKHUB_SNAPSHOT_POLL_MS", default: "1000", help: "How often to check Redis for a new config snapshot.")
    public static let stripeToleranceSeconds = SettingSpec("stripe-tolerance-seconds", env: "TRACKHUB_STRIPE_TOLERANCE_SECONDS", default: "300", help: "Stripe signature timestamp tolerance, both directions.")
    public static let cookieDomain = SettingSpec("cookie-domain", env: "TRACKHUB_COOKIE_DOMAIN", default: "", help: "Domain attribute of the click-id cookie (empty = host only).")
    public static let cookieSecure = SettingSpec("cookie-secure", env: "TRACKHUB_COOKIE_SECURE", default: "false", help: "Mark the click-id cookie Secure (set true behind HTTPS).")
    public static let logLevel = SettingSpec("log-level", env: "TRACKHUB_LOG_LEVEL", default: "info", help: "trace, debug, info, notice, warning, error, critical.")

    public static let all: [SettingSpec] = [
        host, port, redisURL, streamPrefix, spoolDir, masterKeyFile, trustedProxies, maxBodyBytes,
        maxWebhookBytes, snapshotPollMs, stripeToleranceSeconds, cookieDomain, cookieSecure, logLevel,
    ]
}
