/// Every dispatchd setting, with its flag, environment variable and default.
/// `docs/CONFIGURATION.md` lists the same table.
public enum DispatchSettingSpecs {
    public static let databaseURL = SettingSpec("database-url", env: "TRACKHUB_DATABASE_URL", default: "postgres://trackhub@127.0.0.1:5432/trackhub", help: "Postgres connection URL.")
    public static let redisURL = SettingSpec("redis-url", env: "TRACKHUB_REDIS_URL", default: "redis://127.0.0.1:6379/0", help: "Redis with the ingest streams.")
    public static let streamPrefix = SettingSpec("stream-prefix", env: "TRACKHUB_STREAM_PREFIX", default: "th", help: "Prefix of every Redis key (same as ingestd).")
    public static let masterKeyFile = SettingSpec("master-key-file", env: "TRACKHUB_MASTER_KEY_FILE", default: "/etc/trackhub/master.key", help: "Key ring for tokens, secrets and sealed personal data.")
    public static let consumer = SettingSpec("consumer", env: "TRACKHUB_CONSUMER", default: nil, help: "This instance's consumer name (stable across restarts; systemd uses the instance name).")
    public static let readCount = SettingSpec("read-count", env: "TRACKHUB_READ_COUNT", default: "500", help: "Entries read per XREADGROUP.")
    public static let claimIdleMs = SettingSpec("claim-idle-ms", env: "TRACKHUB_CLAIM_IDLE_MS", default: "60000", help: "Claim another consumer's entries idle longer than this.")
    public static let claimIntervalMs = SettingSpec("claim-interval-ms", env: "TRACKHUB_CLAIM_INTERVAL_MS", default: "15000", help: "How often to look for abandoned entries.")
    public static let graphBaseURL = SettingSpec("graph-base-url", env: "TRACKHUB_GRAPH_BASE_URL", default: "https://graph.facebook.com", help: "Graph API base URL (tests point it at a fake server).")
    public static let graphVersion = SettingSpec("graph-version", env: "TRACKHUB_GRAPH_VERSION", default: "v25.0", help: "Graph API version.")
    public static let sendTimeoutMs = SettingSpec("send-timeout-ms", env: "TRACKHUB_SEND_TIMEOUT_MS", default: "1500", help: "Total timeout of one CAPI request (Meta recommends 1.5 s).")
    public static let connectTimeoutMs = SettingSpec("connect-timeout-ms", env: "TRACKHUB_CONNECT_TIMEOUT_MS", default: "1000", help: "TCP/TLS connect timeout.")
    public static let senders = SettingSpec("senders", env: "TRACKHUB_SENDERS", default: "4", help: "Concurrent CAPI connections (threads).")
    public static let retryBaseMs = SettingSpec("retry-base-ms", env: "TRACKHUB_RETRY_BASE_MS", default: "1000", help: "First retry delay bound (full jitter).")
    public static let retryCapMs = SettingSpec("retry-cap-ms", env: "TRACKHUB_RETRY_CAP_MS", default: "900000", help: "Largest retry delay bound.")
    public static let retryMaxAttempts = SettingSpec("retry-max-attempts", env: "TRACKHUB_RETRY_MAX_ATTEMPTS", default: "12", help: "Attempts before a transient failure is dead-lettered.")
    public static let throttlePauseMs = SettingSpec("throttle-pause-ms", env: "TRACKHUB_THROTTLE_PAUSE_MS", default: "60000", help: "How long a throttled pixel pauses (all instances).")
    public static let configRefreshMs = SettingSpec("config-refresh-ms", env: "TRACKHUB_CONFIG_REFRESH_MS", default: "5000", help: "How often workers reload tenants and pixels.")
    public static let adminHost = SettingSpec("admin-host", env: "TRACKHUB_ADMIN_HOST", default: "127.0.0.1", help: "Address of /metrics and /healthz.")
    public static let adminPort = SettingSpec("admin-port", env: "TRACKHUB_ADMIN_PORT", default: "9090", help: "Port of /metrics and /healthz (0 = any free port; several instances need distinct ports or 0).")
    public static let postgresConnections = SettingSpec("postgres-connections", env: "TRACKHUB_POSTGRES_CONNECTIONS", default: "4", help: "Postgres connections per instance.")
    public static let streamRetentionMs = SettingSpec("stream-retention-ms", env: "TRACKHUB_STREAM_RETENTION_MS", default: "86400000", help: "Acknowledged stream entries younger than this are kept (inspection, replay); older ones are trimmed.")
    public static let attributionWindowHours = SettingSpec("attribution-window-hours", env: "TRACKHUB_ATTRIBUTION_WINDOW_HOURS", default: "168", help: "How far back a sale looks for the touchpoint that produced it.")
    public static let mercadoPagoBaseURL = SettingSpec("mercadopago-base-url", env: "TRACKHUB_MERCADOPAGO_BASE_URL", default: "https://api.mercadopago.com", help: "Where Mercado Pago payments are fetched.")
    public static let matchScoreThreshold = SettingSpec("match-score-threshold", env: "TRACKHUB_MATCH_SCORE_THRESHOLD", default: "0.7", help: "Lowest score an IP / user agent / time match needs (0-1; docs/MATCHING.md).")
    public static let lateClickHoldMs = SettingSpec("late-click-hold-ms", env: "TRACKHUB_LATE_CLICK_HOLD_MS", default: "600000", help: "Longest a sale waits for a click it carries that is not stored yet (0 = send at once).")
    public static let lateClickRecheckMs = SettingSpec("late-click-recheck-ms", env: "TRACKHUB_LATE_CLICK_RECHECK_MS", default: "5000", help: "How often a held sale looks for its click again.")
    public static let logLevel = SettingSpec("log-level", env: "TRACKHUB_LOG_LEVEL", default: "info", help: "trace, debug, info, notice, warning, error, critical.")

    public static let all: [SettingSpec] = [
        databaseURL, redisURL, streamPrefix, masterKeyFile, consumer, readCount, claimIdleMs, claimIntervalMs,
        graphBaseURL, graphVersion, sendTimeoutMs, connectTimeoutMs, senders, retryBaseMs, retryCapMs,
        retryMaxAttempts, throttlePauseMs, configRefreshMs, adminHost, adminPort, postgresConnections, streamRetentionMs, attributionWindowHours, mercadoPagoBaseURL,
        matchScoreThreshold, lateClickHoldMs, lateClickRecheckMs, logLevel,
    ]
}
