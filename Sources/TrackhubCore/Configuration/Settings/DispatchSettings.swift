/// Every dispatchd setting: the table its flags, variables, defaults, ranges and `--help` come
/// from. `docs/CONFIGURATION.md` lists the same table (a test holds them together).
public enum DispatchSettings {
    public static let databaseURL = Setting(
        "database-url", env: "TRACKHUB_DATABASE_URL", default: "postgres://trackhub@127.0.0.1:5432/trackhub", value: .text,
        flag: .everyCommand, help: "Postgres: a postgres:// URL or libpq key=value conninfo.")
    public static let consumer = Setting(
        "consumer", env: "TRACKHUB_CONSUMER", default: nil, note: "the host name", value: .consumerName, flag: .only(["run"]),
        help: "This worker's consumer name, stable across restarts (systemd: the instance name).")
    public static let readCount = Setting(
        "read-count", env: "TRACKHUB_READ_COUNT", default: "500", value: .integer(1...10_000),
        help: "COUNT of each XREADGROUP (and of own-pending and XAUTOCLAIM reads).")
    public static let claimIdleMs = Setting(
        "claim-idle-ms", env: "TRACKHUB_CLAIM_IDLE_MS", default: "60000", value: .milliseconds(1000...3_600_000),
        help: "Entries pending this long on another consumer are claimed.")
    public static let maxDeliveries = Setting(
        "max-deliveries", env: "TRACKHUB_MAX_DELIVERIES", default: "10", value: .integer(2...1000),
        help: "A stream entry delivered more often than this without being acknowledged is dead-lettered (delivery_cap).")
    public static let claimIntervalMs = Setting(
        "claim-interval-ms", env: "TRACKHUB_CLAIM_INTERVAL_MS", default: "15000", value: .milliseconds(100...3_600_000),
        help: "How often to claim abandoned entries and trim the streams.")
    public static let graphBaseURL = Setting(
        "graph-base-url", env: "TRACKHUB_GRAPH_BASE_URL", default: "https://graph.facebook.com", value: .httpURL,
        flag: .only(["run", "console", "adspend"]), help: "Graph API base URL: https (tests point it at a loopback fake, see allow-loopback-http).")
    public static let graphVersion = Setting(
        "graph-version", env: "TRACKHUB_GRAPH_VERSION", default: "v25.0", value: .graphVersion,
        help: "Graph API version.")
    public static let sendTimeoutMs = Setting(
        "send-timeout-ms", env: "TRACKHUB_SEND_TIMEOUT_MS", default: "1500", value: .milliseconds(100...60_000),
        help: "Total timeout of one CAPI request.")
    public static let connectTimeoutMs = Setting(
        "connect-timeout-ms", env: "TRACKHUB_CONNECT_TIMEOUT_MS", default: "1000", value: .milliseconds(50...30_000),
        help: "TCP/TLS connect timeout.")
    public static let senders = Setting(
        "senders", env: "TRACKHUB_SENDERS", default: "4", value: .integer(1...64),
        help: "Concurrent CAPI connections.")
    public static let retryBaseMs = Setting(
        "retry-base-ms", env: "TRACKHUB_RETRY_BASE_MS", default: "1000", value: .milliseconds(10...3_600_000),
        help: "Ceiling of the first retry delay (full jitter).")
    public static let retryCapMs = Setting(
        "retry-cap-ms", env: "TRACKHUB_RETRY_CAP_MS", default: "900000", value: .milliseconds(100...86_400_000),
        help: "Largest retry delay ceiling.")
    public static let retryMaxAttempts = Setting(
        "retry-max-attempts", env: "TRACKHUB_RETRY_MAX_ATTEMPTS", default: "12", value: .integer(1...100),
        help: "Attempts (the first included) before a transient failure is dead-lettered.")
    public static let throttlePauseMs = Setting(
        "throttle-pause-ms", env: "TRACKHUB_THROTTLE_PAUSE_MS", default: "60000", value: .milliseconds(100...3_600_000),
        help: "First pause of a throttled pixel, for every instance; doubles with each throttle in a row.")
    public static let throttlePauseCapMs = Setting(
        "throttle-pause-cap-ms", env: "TRACKHUB_THROTTLE_PAUSE_CAP_MS", default: "900000", value: .milliseconds(100...86_400_000),
        help: "Longest throttle pause computed by doubling (Meta's own estimate, when sent, is used instead).")
    public static let configRefreshMs = Setting(
        "config-refresh-ms", env: "TRACKHUB_CONFIG_REFRESH_MS", default: "5000", value: .milliseconds(100...600_000),
        help: "How often a worker reloads tenants and pixels from Postgres.")
    public static let adminHost = Setting(
        "admin-host", env: "TRACKHUB_ADMIN_HOST", default: "127.0.0.1", value: .text,
        help: "Address of the admin /metrics and /healthz.")
    public static let adminPort = Setting(
        "admin-port", env: "TRACKHUB_ADMIN_PORT", default: "9090", value: .integer(0...65535), flag: .only(["run"]),
        help: "Admin port (0 = any free port; several instances on one host need distinct ports or 0).")
    public static let postgresConnections = Setting(
        "postgres-connections", env: "TRACKHUB_POSTGRES_CONNECTIONS", default: "4", value: .integer(1...64),
        help: "Postgres connections per worker.")
    public static let streamRetentionMs = Setting(
        "stream-retention-ms", env: "TRACKHUB_STREAM_RETENTION_MS", default: "86400000", value: .milliseconds(0...(30 * 86_400_000)),
        help: "Acknowledged stream entries younger than this are kept; older ones are trimmed.")
    public static let attributionWindowHours = Setting(
        "attribution-window-hours", env: "TRACKHUB_ATTRIBUTION_WINDOW_HOURS", default: "168", value: .integer(1...(24 * 28)),
        help: "How far back a sale looks for the touchpoint that produced it.")
    public static let matchScoreThreshold = Setting(
        "match-score-threshold", env: "TRACKHUB_MATCH_SCORE_THRESHOLD", default: "0.7", value: .number(0...1),
        help: "Lowest score an IP / user agent / time match needs (docs/MATCHING.md).")
    public static let lateClickHoldMs = Setting(
        "late-click-hold-ms", env: "TRACKHUB_LATE_CLICK_HOLD_MS", default: "600000", value: .milliseconds(0...86_400_000),
        help: "Longest a sale waits for a click id it carries that is not stored yet (0 = send at once).")
    public static let lateClickRecheckMs = Setting(
        "late-click-recheck-ms", env: "TRACKHUB_LATE_CLICK_RECHECK_MS", default: "5000", value: .milliseconds(100...600_000),
        help: "How often a held sale looks for its click again.")
    public static let mercadoPagoBaseURL = Setting(
        "mercadopago-base-url", env: "TRACKHUB_MERCADOPAGO_BASE_URL", default: "https://api.mercadopago.com", value: .httpURL,
        help: "Where Mercado Pago payments are fetched: https (see allow-loopback-http).")
    public static let allowLoopbackHTTP = Setting(
        "allow-loopback-http", env: "TRACKHUB_ALLOW_LOOPBACK_HTTP", default: "false", value: .boolean,
        help: "Accept http:// Graph and Mercado Pago base URLs towards a loopback host (local fakes in tests).")

    public static let consoleHost = Setting(
        "console-host", env: "TRACKHUB_CONSOLE_HOST", default: "127.0.0.1", value: .text, flag: .only(["console"]),
        help: "Address the console listens on (loopback: put it behind the reverse proxy).")
    public static let consolePort = Setting(
        "console-port", env: "TRACKHUB_CONSOLE_PORT", default: "8090", value: .integer(0...65535), flag: .only(["console"]),
        help: "Console port (0 = any free port; the port is logged).")
    public static let consolePublicURL = Setting(
        "console-public-url", env: "TRACKHUB_CONSOLE_PUBLIC_URL", default: nil, note: "*(empty: http://host:port)*",
        value: .optionalText, help: "The console's address as browsers reach it; https:// makes its cookies Secure.")
    public static let consoleIngestURL = Setting(
        "console-ingest-url", env: "TRACKHUB_CONSOLE_INGEST_URL", default: "http://127.0.0.1:8080", value: .httpURL,
        help: "ingestd's public address, for the webhook and tracking URLs the console shows.")
    public static let consoleResources = Setting(
        "console-resources", env: "TRACKHUB_CONSOLE_RESOURCES", default: nil, note: "*(empty: built in)*",
        value: .optionalText, help: "A folder with the console's templates, strings and static files (overrides the built-in ones).")
    public static let consoleSessionHours = Setting(
        "console-session-hours", env: "TRACKHUB_CONSOLE_SESSION_HOURS", default: "12", value: .integer(1...720),
        help: "How long a console login lasts.")
    public static let consoleAllowLoopback = Setting(
        "console-allow-loopback", env: "TRACKHUB_CONSOLE_ALLOW_LOOPBACK", default: "false", value: .boolean,
        help: "Tests only: let the setup assistant's links and landing-page check use loopback addresses (refused otherwise).")

    /// What every subcommand reads.
    public static let common: [Setting] = [
        SharedSettings.configFile, databaseURL, SharedSettings.redisURL, SharedSettings.streamPrefix, SharedSettings.masterKeyFile,
        SharedSettings.sealAcceptPurposeOnly, SharedSettings.logLevel,
    ]

    /// What `dispatchd run` reads besides ``common``.
    public static let worker: [Setting] = [
        consumer, readCount, claimIdleMs, maxDeliveries, claimIntervalMs, graphBaseURL, graphVersion, sendTimeoutMs, connectTimeoutMs, senders,
        retryBaseMs, retryCapMs, retryMaxAttempts, throttlePauseMs, throttlePauseCapMs, configRefreshMs, adminHost, adminPort, postgresConnections,
        streamRetentionMs, attributionWindowHours, matchScoreThreshold, lateClickHoldMs, lateClickRecheckMs, mercadoPagoBaseURL,
        allowLoopbackHTTP, SharedSettings.httpIdleTimeoutMs,
    ] + alerts + adSpend + telegram

    /// What `dispatchd console` reads besides ``common`` (and ``graphBaseURL``, ``graphVersion``, ``allowLoopbackHTTP``,
    /// ``alertTelegramBaseURL``).
    public static let console: [Setting] = [
        consoleHost, consolePort, consolePublicURL, consoleIngestURL, consoleResources, consoleSessionHours, consoleAllowLoopback,
    ]

    public static let table = SettingsTable(program: "dispatchd", settings: common + worker + console)

    /// The settings `command` reads, for its `--help`.
    public static func settings(for command: String?) -> [Setting] {
        switch command {
        case "run": common + worker
        case "console": common + console + [graphBaseURL, graphVersion, allowLoopbackHTTP, alertTelegramBaseURL]
        case "adspend": common + [graphBaseURL, graphVersion, allowLoopbackHTTP, adSpendDays]
        default: common
        }
    }
}
