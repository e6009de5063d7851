/// Stable, namespaced log metadata keys: the one vocabulary every log line draws from (no key is
/// spelled as a string literal at a call site). Operators and docs/OPERATIONS.md grep for these
/// (`click_id=…`, `fbtrace_id=…`), so they never change spelling; a dot groups a subsystem's keys
/// (`redis.error`, `spool.pending`).
public enum LogKey {
    public static let clickID = "click_id"
    public static let eventID = "event_id"
    public static let envelopeID = "envelope_id"
    public static let orderID = "order_id"
    public static let pixel = "pixel"
    public static let slug = "slug"
    public static let tenant = "tenant"
    public static let gateway = "gateway"
    public static let account = "account"
    public static let stream = "stream"
    /// A stream entry's id (`1733450000000-0`).
    public static let entryID = "entry_id"
    public static let durability = "durability"
    public static let attempt = "attempt"
    public static let outcome = "outcome"
    public static let reason = "reason"
    public static let error = "error"
    public static let consumer = "consumer"

    // Sales and events
    public static let eventName = "event_name"
    public static let eventType = "event_type"
    public static let conversionID = "conversion_id"
    public static let status = "status"
    public static let matchMethod = "match_method"
    public static let matchScore = "match_score"
    public static let pendingClickID = "pending_click_id"
    public static let heldMs = "held_ms"
    /// A Telegram bot update's `update_id` (never the user's id, which is personal data).
    public static let telegramUpdateID = "telegram.update_id"
    /// The host of a bot's forward URL (never the URL: its path may be the seller's secret).
    public static let forwardHost = "forward.host"
    /// How long until the next attempt.
    public static let retryInMs = "retry_in_ms"
    public static let detail = "detail"
    public static let trackEvent = "track.event"
    /// Who sent a funnel event: `browser` (`/track`) or `server` (`/s2s`).
    public static let reporter = "reporter"

    // A request to Meta and its outcome
    public static let fbtraceID = "fbtrace_id"
    public static let httpStatus = "http_status"
    public static let requestID = "request_id"
    public static let latencyMs = "latency_ms"
    public static let failureClass = "failure_class"
    public static let metaCode = "meta_code"
    public static let metaSubcode = "meta_subcode"
    public static let metaMessage = "meta_message"
    public static let batch = "batch"
    public static let events = "events"
    public static let funnelEvents = "funnel_events"
    public static let saleEvents = "sale_events"
    public static let alert = "alert"
    public static let rescheduled = "rescheduled"

    // Streams, spool, configuration and storage
    public static let count = "count"
    public static let group = "group"
    public static let removed = "removed"
    public static let streamPrefix = "stream_prefix"
    public static let redisError = "redis.error"
    public static let redisEndpoint = "redis.endpoint"
    public static let spoolPending = "spool.pending"
    public static let snapshotVersion = "snapshot.version"
    public static let links = "links"
    public static let config = "config"
    /// A schema migration's version(s) and name.
    public static let version = "version"
    public static let versions = "versions"
    public static let name = "name"

    // The process
    public static let port = "port"
    public static let notifySocket = "notify_socket"
    public static let watchdogIntervalMs = "watchdog_interval_ms"
    public static let notification = "notification"

    // Alerts (docs/ALERTS.md)
    /// The rule (`pixel_paused`), its subject (a pixel, a stream, `gateway/account`) and the
    /// notification's state (`fired`, `repeated`, `resolved`).
    public static let alertRule = "alert.rule"
    public static let alertSubject = "alert.subject"
    public static let alertState = "alert.state"
    /// The channel a delivery went to (`webhook`, `telegram`).
    public static let alertChannel = "alert.channel"
    /// The alert lease holder's token (consumer name and a random suffix).
    public static let leaseHolder = "lease.holder"
    /// An ad account whose spend is imported (`act_123`), the days read and the rows written.
    public static let adAccount = "ad_account"
    // Retention (`dispatchd retention run`).
    public static let runID = "retention.run_id"
    public static let dryRun = "dry_run"
    public static let warnings = "warnings"
    public static let item = "item"
    public static let scope = "scope"
    public static let table = "table"
    public static let days = "days"
    public static let rows = "rows"
    /// A pool bot's username, its judged status (`live`, `dead`, `unknown`), why (a Telegram
    /// error kind, never a token), failed checks in a row, and the bots out of `/go` rotation.
    public static let telegramBot = "telegram.bot"
    public static let telegramBotStatus = "telegram.bot_status"
    public static let telegramFailures = "telegram.failures"
    public static let telegramBotsDead = "telegram.bots_dead"
    public static let telegramWebhookProblem = "telegram.webhook_problem"
}
