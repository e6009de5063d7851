public import Foundation

/// What "falar com o suporte" hands over: the configuration without secrets, recent errors and
/// dead letters, ignored webhooks, versions, the live status and the assistant's diagnoses —
/// as one JSON file to download. Built from values already read; every text in it goes
/// through ``SupportRedaction`` when written, and no payload (hashed user data) is included.
public struct SupportBundle: Sendable {
    /// One configuration row (a tenant, pixel, link or gateway account) as column → value,
    /// secret columns never read.
    public typealias ConfigRow = [(String, String)]

    public var generatedAt: Date
    /// "trackhub", "postgres", "redis", "schema" → version.
    public var versions: [(String, String)]
    public var configuration: [(section: String, rows: [ConfigRow])]
    public var status: LiveStatus?
    public var recentErrors: [LedgerAttempt]
    public var deadLetters: [DeadLetterEntry]
    public var ignoredWebhooks: [IgnoredWebhook]
    public var diagnoses: [Diagnosis]

    public init(generatedAt: Date, versions: [(String, String)] = [], configuration: [(section: String, rows: [ConfigRow])] = [],
                status: LiveStatus? = nil, recentErrors: [LedgerAttempt] = [], deadLetters: [DeadLetterEntry] = [],
                ignoredWebhooks: [IgnoredWebhook] = [], diagnoses: [Diagnosis] = []) {
        self.generatedAt = generatedAt; self.versions = versions; self.configuration = configuration; self.status = status
        self.recentErrors = recentErrors; self.deadLetters = deadLetters; self.ignoredWebhooks = ignoredWebhooks
        self.diagnoses = diagnoses
    }

    /// "trackhub-suporte-20261205-1432.json" (Brasília time).
    public var fileName: String {
        let stamp = InsightFormat.dateTime(generatedAt, english: true).filter { $0.isNumber || $0 == " " }.replacing(" ", with: "-")
        return "trackhub-suporte-\(stamp).json"
    }

    public static let contentType = "application/json; charset=utf-8"

    /// The bundle as JSON text (object members in a fixed order, every string scrubbed).
    public func json() -> String {
        var w = JSONWriter(profile: .stored, capacity: 16 * 1024)
        func text(_ key: String, _ value: String?) {
            w.key(key)
            if let value { w.string(SupportRedaction.scrub(value)) } else { w.null() }
        }
        func date(_ key: String, _ value: Date?) { text(key, value.map { ISO8601DateFormatter().string(from: $0) }) }
        func int(_ key: String, _ value: Int?) {
            w.key(key)
            if let value { w.int(value) } else { w.null() }
        }
        w.beginObject()
        text("kind", "trackhub-support-bundle")
        date("generated_at", generatedAt)
        w.key("versions"); w.beginObject()
        for (k, v) in versions { text(k, v) }
        w.endObject()
        w.key("configuration"); w.beginObject()
        for (section, rows) in configuration {
            w.key(section); w.beginArray()
            for row in rows {
                w.beginObject()
                for (k, v) in row { text(k, v) }
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        w.key("status")
        if let s = status {
            w.beginObject()
            date("collected_at", s.collectedAt); int("lag", s.lag); int("pending", s.pending); int("sends_per_minute", s.sendsPerMinute)
            int("retries_scheduled", s.retriesScheduled); int("retries_in_flight", s.retriesInFlight); int("dead_letters", s.deadLetters)
            w.key("paused_pixels"); w.beginArray()
            for p in s.pausedPixels { w.beginObject(); text("pixel", p.pixel); text("pause", p.pause); int("parked", p.parked); w.endObject() }
            w.endArray()
            w.endObject()
        } else {
            w.null()
        }
        w.key("recent_errors"); w.beginArray()
        for a in recentErrors {
            w.beginObject()
            date("at", a.at); text("pixel", a.key.pixel); text("event_name", a.key.eventName); text("event_id", a.key.eventID)
            int("attempt", a.attempt); text("outcome", a.outcome); int("http_status", a.httpStatus); text("meta_code", a.metaCodeText)
            text("meta_message", a.metaMessage); text("fbtrace_id", a.fbtraceID)
            w.endObject()
        }
        w.endArray()
        w.key("dead_letters"); w.beginArray()
        for d in deadLetters {
            w.beginObject()
            int("id", d.id); date("created_at", d.createdAt); text("reason", d.reason); text("detail", d.detail)
            text("pixel", d.pixel); text("event_id", d.eventID); text("replay", d.replay.rawValue)
            w.endObject()
        }
        w.endArray()
        w.key("ignored_webhooks"); w.beginArray()
        for i in ignoredWebhooks {
            w.beginObject()
            date("received_at", i.receivedAt); text("gateway", i.gateway); text("account", i.account); text("tenant", i.tenant)
            text("kind", i.kind.rawValue); text("reason", i.reason)
            w.endObject()
        }
        w.endArray()
        w.key("diagnoses"); w.beginArray()
        for d in diagnoses {
            w.beginObject()
            text("topic", d.topic.rawValue); text("level", d.level.rawValue); text("summary", d.summary.en)
            w.key("findings"); w.beginArray()
            for f in d.findings {
                w.beginObject()
                text("level", f.level.rawValue); text("text", f.text.en)
                w.key("evidence"); w.beginArray()
                for line in f.evidence { w.string(SupportRedaction.scrub(line.en)) }
                w.endArray()
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }
}
