public import Foundation

/// `dispatchd dlq list|replay`: reads dead letters from Postgres and puts them back to work.
///
/// Replaying an event resets its attempt count and schedules it now (same event_id, so Meta
/// still deduplicates it). Replaying an unparseable envelope re-appends its payload to the
/// stream it came from (after a parser fix). Events past Meta's 7-day window are refused
/// unless forced, because Meta would reject them anyway.
public struct DeadLetterAdmin: Sendable {
    public struct Row: Sendable {
        public let id: Int
        public let reason: String
        public let detail: String
        public let eventID: String?
        public let pixel: String?
        public let envelopeID: String?
        public let streamEntry: String?
        public let payload: String?
        public let createdAt: Date?
    }

    public enum Selection: Sendable, Equatable {
        case id(Int)
        /// Several ids (the console replays what a tenant's user may see).
        case ids([Int])
        case reason(String)
        case all
    }

    /// What replaying one dead letter does, decided from the row alone (``plan(_:force:now:)``).
    public enum ReplayStep: Sendable {
        /// An event: scheduled now with its attempts reset (same event_id).
        case event(OutboundEvent)
        /// An unparseable stream entry: its payload re-appended to the stream it came from.
        case streamEntry(stream: String, payload: String)
        /// An envelope that decoded but failed later: re-appended to its priority's stream.
        case envelope(stream: String, payload: String)
        /// A bot update not relayed to the bot's backend: queued for forwarding again.
        case telegramForward(TelegramForward)
        /// An event past Meta's 7-day window: refused unless forced.
        case refusedExpired
        /// Nothing in the row can be replayed.
        case unreplayable
    }

    public struct ReplayReport: Sendable, CustomStringConvertible {
        public var replayedEvents = 0
        public var replayedEnvelopes = 0
        public var replayedForwards = 0
        public var refusedExpired: [Int] = []
        public var unreplayable: [Int] = []
        public var description: String {
            var s = "replayed \(replayedEvents) event(s) and \(replayedEnvelopes) envelope(s)"
            if replayedForwards > 0 { s += "; \(replayedForwards) bot update(s) queued for forwarding again" }
            if !refusedExpired.isEmpty {
                s += "\nrefused \(refusedExpired.count) expired event(s) (older than Meta's 7-day window; Meta rejects them): ids \(refusedExpired.map(String.init).joined(separator: ",")) — use --force to send anyway"
            }
            if !unreplayable.isEmpty { s += "\n\(unreplayable.count) dead letter(s) hold nothing to replay: ids \(unreplayable.map(String.init).joined(separator: ","))" }
            return s
        }
    }

    public let layout: StreamLayout

    public init(layout: StreamLayout) { self.layout = layout }

    public func list(reason: String?, includeReplayed: Bool = false, limit: Int, connection: PostgresConnection) throws -> [Row] {
        var sql = "SELECT id, reason, detail, event_id, pixel_id, envelope_id, stream_id, payload, created_at FROM dead_letters WHERE true"
        var params: [PostgresValue?] = []
        if !includeReplayed { sql += " AND replayed_at IS NULL" }
        if let reason {
            params.append(.string(reason))
            sql += " AND reason = $\(params.count)"
        }
        params.append(.int(limit))
        sql += " ORDER BY id LIMIT $\(params.count)"
        return try rows(try connection.query(sql, params))
    }

    public func countsByReason(connection: PostgresConnection) throws -> [(String, Int)] {
        let r = try connection.query("SELECT reason, count(*) AS n FROM dead_letters WHERE replayed_at IS NULL GROUP BY reason ORDER BY reason")
        return try r.indices.map { (try r.string($0, "reason") ?? "?", try r.int($0, "n") ?? 0) }
    }

    /// Replays the selection. Blocking (Postgres + Redis).
    public func replay(_ selection: Selection, force: Bool, now: Date = Date(), postgres: PostgresConnection,
                       redis: RedisConnection) throws -> ReplayReport {
        var report = ReplayReport()
        let selected: [Row]
        switch selection {
        case .id(let id):
            selected = try rows(try postgres.query(
                "SELECT id, reason, detail, event_id, pixel_id, envelope_id, stream_id, payload, created_at FROM dead_letters WHERE id = $1 AND replayed_at IS NULL", [.int(id)]))
        case .reason(let reason):
            selected = try list(reason: reason, limit: 100_000, connection: postgres)
        case .ids(let ids):
            selected = ids.isEmpty ? [] : try rows(try postgres.query(
                "SELECT id, reason, detail, event_id, pixel_id, envelope_id, stream_id, payload, created_at FROM dead_letters WHERE id = ANY($1::bigint[]) AND replayed_at IS NULL ORDER BY id",
                [.textArray(ids.map(String.init))]))
        case .all:
            selected = try list(reason: nil, limit: 100_000, connection: postgres)
        }
        let schedule = RetrySchedule(layout: layout)
        var done: [Int] = []
        for row in selected {
            switch plan(row, force: force, now: now) {
            case .event(var event):
                event.attempts = 0
                try schedule.schedule([(event, Int64(now.timeIntervalSince1970 * 1000))], connection: redis)
                report.replayedEvents += 1
                done.append(row.id)
            case .telegramForward(var job):
                job.attempts = 0
                try TelegramForwardSchedule(layout: layout).enqueue([job], force: true, connection: redis)
                report.replayedForwards += 1
                done.append(row.id)
            case .streamEntry(let stream, let payload), .envelope(let stream, let payload):
                let reply = try redis.command([Array("XADD".utf8), Array(stream.utf8), Array("*".utf8), Array("e".utf8), Array(payload.utf8)])
                if let m = reply.errorMessage { throw RedisError(.server, m) }
                report.replayedEnvelopes += 1
                done.append(row.id)
            case .refusedExpired:
                report.refusedExpired.append(row.id)
            case .unreplayable:
                report.unreplayable.append(row.id)
            }
        }
        if !done.isEmpty {
            try postgres.query("UPDATE dead_letters SET replayed_at = now() WHERE id = ANY($1::bigint[])",
                               [.textArray(done.map(String.init))])
        }
        return report
    }

    /// What replaying `row` would do — the one decision behind both `dispatchd dlq replay` and
    /// the console's preview, so both refuse the same expired events.
    public func plan(_ row: Row, force: Bool, now: Date = Date()) -> ReplayStep {
        if let payload = row.payload, let event = try? JSONDecoder().decode(OutboundEvent.self, from: Data(payload.utf8)) {
            if MetaLimits.meta.isExpired(eventTime: event.eventTime, now: now) && !force { return .refusedExpired }
            return .event(event)
        }
        if row.reason == DeadLetterReason.telegramForward.rawValue, let payload = row.payload,
           let job = TelegramForward.decode(payload) {
            return .telegramForward(job)
        }
        if let entry = row.streamEntry, let slash = entry.lastIndex(of: "/"), let payload = row.payload {
            let stream = String(entry[..<slash])
            guard layout.allStreams.contains(stream) else { return .unreplayable }
            return .streamEntry(stream: stream, payload: payload)
        }
        if let payload = row.payload, let envelope = try? Envelope.decode(Array(payload.utf8)) {
            let priority: StreamPriority
            switch envelope.kind {
            case .webhook: priority = .high
            case .click: priority = .normal
            case .track: priority = PixelEventCatalog.priority(of: envelope.track?.event ?? "") ?? .normal
            }
            return .envelope(stream: layout.stream(priority), payload: payload)
        }
        return .unreplayable
    }

    private func rows(_ r: PostgresRows) throws -> [Row] {
        try r.indices.map { i in
            Row(id: try r.int(i, "id") ?? 0, reason: try r.string(i, "reason") ?? "", detail: try r.string(i, "detail") ?? "",
                eventID: try r.string(i, "event_id"), pixel: try r.string(i, "pixel_id"), envelopeID: try r.string(i, "envelope_id"),
                streamEntry: try r.string(i, "stream_id"), payload: try r.string(i, "payload"), createdAt: try r.date(i, "created_at"))
        }
    }
}
