public import Foundation

/// `dispatchd status`: what an operator needs at a glance — lag and pending per stream, retry
/// depth, DLQ depth by reason, paused pixels and the last error per pixel.
public struct StatusReport: Sendable, CustomStringConvertible {
    public struct StreamStatus: Sendable {
        public var stream: String
        public var length: Int
        public var lag: Int?
        public var pending: Int
        public var consumers: [(name: String, pending: Int, idleMs: Int)]
    }

    public struct PixelStatus: Sendable {
        public var pixel: String
        public var mode: String
        public var pause: String?
        public var parked: Int
        public var lastError: String?
        public var lastErrorAt: Date?
        public var sentLastHour: Int
    }

    public var streams: [StreamStatus] = []
    public var retryScheduled = 0
    public var retryInflight = 0
    public var deadLetters: [(String, Int)] = []
    public var pixels: [PixelStatus] = []
    /// Webhooks of the last 24 h stored but not acted on, by gateway and reason.
    public var ignoredWebhooks: [(gateway: String, reason: String, count: Int)] = []
    /// Conversions of the last 24 h by match method (`none` = unmatched): match quality at a glance.
    public var salesByMatch: [(method: String, count: Int)] = []
    /// Sale events held for a late click and not released yet (docs/MATCHING.md).
    public var heldForLateClick = 0
    /// The last `dispatchd retention run` (nil: none yet).
    public var lastRetentionRun: RetentionRunSummary?

    public init() {}

    /// Collects the report. `detail: false` leaves out what only an operator reading `dispatchd
    /// status` needs — the last error and the sent count of each pixel, ignored webhooks, sales
    /// by match method, sales held for a late click — which are counts over the ledger's last
    /// hour or day: every instance's metrics sampler collects every 15 s, and on a busy install
    /// those queries would read millions of ledger rows each time. What the gauges publish
    /// (streams, retries, dead letters, paused pixels) is always collected.
    public static func collect(layout: StreamLayout, postgres: PostgresConnection, redis: RedisConnection,
                               detail: Bool = true) throws -> StatusReport {
        var report = StatusReport()
        for stream in layout.allStreams {
            var s = StreamStatus(stream: stream, length: try redis.command(["XLEN", stream]).int ?? 0, lag: nil, pending: 0, consumers: [])
            let groups = try redis.command(["XINFO", "GROUPS", stream])
            for g in groups.elements {
                let f = fields(g)
                guard f["name"]?.text == layout.consumerGroup else { continue }
                s.pending = f["pending"]?.int ?? 0
                s.lag = f["lag"]?.int
            }
            let consumers = try redis.command(["XINFO", "CONSUMERS", stream, layout.consumerGroup])
            s.consumers = consumers.elements.map { c in
                let f = fields(c)
                return (f["name"]?.text ?? "?", f["pending"]?.int ?? 0, f["idle"]?.int ?? 0)
            }
            report.streams.append(s)
        }
        let depth = try RetrySchedule(layout: layout).depth(connection: redis)
        report.retryScheduled = depth.scheduled
        report.retryInflight = depth.inflight
        report.deadLetters = try DeadLetterAdmin(layout: layout).countsByReason(connection: postgres)
        report.pixels = try pixelStatuses(layout: layout, postgres: postgres, redis: redis, detail: detail)
        report.lastRetentionRun = try RetentionRunSummary.latest(connection: postgres)
        guard detail else { return report }
        let ignored = try postgres.query("""
            SELECT gateway, outcome, count(*) AS n FROM webhook_inbox
            WHERE outcome LIKE 'ignored%' AND processed_at > now() - interval '24 hours'
            GROUP BY gateway, outcome ORDER BY n DESC LIMIT 20
            """)
        report.ignoredWebhooks = try ignored.indices.map {
            (try ignored.string($0, "gateway") ?? "?", try ignored.string($0, "outcome") ?? "", try ignored.int($0, "n") ?? 0)
        }
        let sales = try postgres.query("""
            SELECT coalesce(m.method, 'none') AS method, count(*) AS n FROM conversions c
            LEFT JOIN matches m ON m.conversion_id = c.id
            WHERE c.created_at > now() - interval '24 hours' GROUP BY 1 ORDER BY n DESC
            """)
        report.salesByMatch = try sales.indices.map { (try sales.string($0, "method") ?? "?", try sales.int($0, "n") ?? 0) }
        let held = try postgres.query("""
            SELECT count(*) AS n FROM dispatch_attempts h
            WHERE h.outcome = 'held' AND h.created_at > now() - interval '24 hours'
              AND NOT EXISTS (SELECT 1 FROM dispatch_attempts a
                              WHERE a.event_id = h.event_id AND a.pixel_id = h.pixel_id AND a.event_name = h.event_name AND a.id > h.id)
            """)
        report.heldForLateClick = try held.int(0, "n") ?? 0
        return report
    }

    /// Mode, pause and parked events of every pixel; with `detail`, also its last error and
    /// what it sent in the last hour (ledger queries).
    private static func pixelStatuses(layout: StreamLayout, postgres: PostgresConnection, redis: RedisConnection,
                                      detail: Bool) throws -> [PixelStatus] {
        var out: [PixelStatus] = []
        let pixels = try postgres.query("SELECT id, mode FROM pixels ORDER BY id")
        let control = PixelControl(layout: layout)
        let schedule = RetrySchedule(layout: layout)
        for i in pixels.indices {
            let id = try pixels.string(i, "id") ?? ""
            var p = PixelStatus(pixel: id, mode: try pixels.string(i, "mode") ?? "?", pause: nil, parked: 0, lastError: nil,
                                lastErrorAt: nil, sentLastHour: 0)
            if let pause = try control.pauseState(pixel: id, connection: redis) {
                p.pause = pause.remainingMs.map { "\(pause.reason) (\($0 / 1000) s left)" } ?? "\(pause.reason) (until a new token is applied)"
            }
            p.parked = try schedule.parkedCount(pixel: id, connection: redis)
            guard detail else { out.append(p); continue }
            let last = try postgres.query("""
                SELECT outcome, http_status, meta_code, meta_subcode, meta_message, created_at FROM dispatch_attempts
                WHERE pixel_id = $1 AND outcome NOT IN ('sent', 'dry_run', 'consent_blocked', 'skipped_duplicate', 'held', 'in_flight')
                  AND created_at > now() - interval '24 hours'
                ORDER BY created_at DESC, id DESC LIMIT 1
                """, [.string(id)])
            if !last.isEmpty {
                p.lastError = "\(try last.string(0, "outcome") ?? "") http=\(try last.int(0, "http_status").map(String.init) ?? "-") code=\(try last.int(0, "meta_code").map(String.init) ?? "-")/\(try last.int(0, "meta_subcode").map(String.init) ?? "-") \(try last.string(0, "meta_message") ?? "")"
                p.lastErrorAt = try last.date(0, "created_at")
            }
            let sent = try postgres.query("SELECT count(*) AS n FROM dispatch_attempts WHERE pixel_id = $1 AND outcome IN ('sent','dry_run') AND created_at > now() - interval '1 hour'", [.string(id)])
            p.sentLastHour = try sent.int(0, "n") ?? 0
            out.append(p)
        }
        return out
    }

    private static func fields(_ reply: RedisReply) -> [String: RedisReply] {
        var out: [String: RedisReply] = [:]
        let e = reply.elements
        var i = 0
        while i + 1 < e.count {
            if let k = e[i].text { out[k] = e[i + 1] }
            i += 2
        }
        return out
    }

    public var description: String {
        var s = "STREAMS (consumer group dispatchd)\n"
        s += pad("stream", 28) + pad("length", 10) + pad("lag", 10) + pad("pending", 10) + "consumers (pending, idle)\n"
        for st in streams {
            let consumers = st.consumers.map { "\($0.name)(\($0.pending), \($0.idleMs / 1000)s)" }.joined(separator: " ")
            s += pad(st.stream, 28) + pad(String(st.length), 10) + pad(st.lag.map(String.init) ?? "?", 10) + pad(String(st.pending), 10) + consumers + "\n"
        }
        s += "\nRETRIES  scheduled=\(retryScheduled) in_flight=\(retryInflight)\n"
        s += "\nDEAD LETTERS (not replayed)\n"
        if deadLetters.isEmpty { s += "  none\n" }
        for (reason, n) in deadLetters { s += "  " + pad(reason, 20) + String(n) + "\n" }
        s += "\nWEBHOOKS IGNORED (last 24 h, stored in webhook_inbox)\n"
        if ignoredWebhooks.isEmpty { s += "  none\n" }
        for w in ignoredWebhooks { s += "  " + pad(w.gateway, 14) + pad(String(w.count), 8) + w.reason + "\n" }
        s += "\nSALES (last 24 h, by match method)\n"
        if salesByMatch.isEmpty { s += "  none\n" }
        for m in salesByMatch { s += "  " + pad(m.method, 14) + String(m.count) + "\n" }
        s += "  waiting for a late click: \(heldForLateClick)\n"
        s += "\nRETENTION (dispatchd retention run, daily)\n"
        s += "  " + (lastRetentionRun?.line ?? "never ran: is trackhub-retention.timer enabled?") + "\n"
        s += "\nPIXELS\n"
        for p in pixels {
            s += "  \(p.pixel)  mode=\(p.mode)  sent_or_recorded_last_hour=\(p.sentLastHour)  parked=\(p.parked)\n"
            if let pause = p.pause { s += "    PAUSED: \(pause)\n" }
            if let e = p.lastError { s += "    last error: \(e)\(p.lastErrorAt.map { " at \($0)" } ?? "")\n" }
        }
        return s
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}
