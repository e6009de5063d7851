/// The settings both daemons read, with the same variable and meaning in each.
public enum SharedSettings {
    public static let configFile = Setting(
        "config", env: "TRACKHUB_CONFIG", default: nil, note: "*(none)*", value: .text, flag: .everyCommand,
        help: "Settings file of KEY=value lines (same keys as the environment).")
    public static let redisURL = Setting(
        "redis-url", env: "TRACKHUB_REDIS_URL", default: "redis://127.0.0.1:6379/0", value: .redisURL, flag: .everyCommand,
        help: "Redis: the ingest streams, retry schedule, pauses and config snapshot.")
    public static let streamPrefix = Setting(
        "stream-prefix", env: "TRACKHUB_STREAM_PREFIX", default: "th", value: .keyPrefix, flag: .everyCommand,
        help: "Prefix of every Redis key; the same for ingestd and dispatchd.")
    public static let masterKeyFile = Setting(
        "master-key-file", env: "TRACKHUB_MASTER_KEY_FILE", default: "/etc/trackhub/master.key", value: .text, flag: .everyCommand,
        help: "Key ring that seals and opens tokens, webhook secrets and personal data.")
    public static let sealAcceptPurposeOnly = Setting(
        "seal-accept-purpose-only", env: "TRACKHUB_SEAL_ACCEPT_PURPOSE_ONLY", default: "true", value: .boolean, flag: .everyCommand,
        help: "Still open values sealed before they were bound to tenant and record (v1); false once `dispatchd secrets status` counts none.")
    public static let httpIdleTimeoutMs = Setting(
        "http-idle-timeout-ms", env: "TRACKHUB_HTTP_IDLE_TIMEOUT_MS", default: "30000", value: .milliseconds(1000...600_000),
        help: "Close an HTTP connection that sent no complete request head or part for this long (slow or silent clients).")
    public static let logLevel = Setting(
        "log-level", env: "TRACKHUB_LOG_LEVEL", default: "info", value: .logLevel, flag: .everyCommand,
        help: "Log level.")
}
