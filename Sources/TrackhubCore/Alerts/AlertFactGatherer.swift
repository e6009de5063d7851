public import Foundation

/// Reads ``AlertFacts`` from Postgres and Redis: one query or a few commands per rule, each in
/// its own `do` so a failing source leaves only its rules unobserved (``AlertFacts/observed``).
/// Blocking; the shell runs it on a Postgres pool thread.
public struct AlertFactGatherer: Sendable {
    public let layout: StreamLayout
    public let thresholds: AlertThresholds

    public init(layout: StreamLayout, thresholds: AlertThresholds) {
        self.layout = layout
        self.thresholds = thresholds
    }

    /// The facts at `now`, and the errors of the sources that could not be read (by rule).
    public func gather(postgres: PostgresConnection, redis: RedisConnection, now: Date) -> (facts: AlertFacts, errors: [AlertRule: String]) {
        var facts = AlertFacts()
        var errors: [AlertRule: String] = [:]
        func read(_ rules: [AlertRule], _ body: () throws -> Void) {
            do {
                try body()
                facts.observed.formUnion(rules)
            } catch {
                for rule in rules { errors[rule] = "\(error)" }
            }
        }
        var tenantOfPixel: [String: String] = [:]
        read([.pixelPaused, .eventsNearExpiry]) {
            let pixels = try postgres.query("SELECT id, tenant_id FROM pixels ORDER BY id")
            for i in pixels.indices { tenantOfPixel[try pixels.string(i, "id") ?? ""] = try pixels.string(i, "tenant_id") }
            let control = PixelControl(layout: layout), schedule = RetrySchedule(layout: layout)
            for pixel in tenantOfPixel.keys.sorted() {
                let parked = try schedule.parkedCount(pixel: pixel, connection: redis)
                if let pause = try control.pauseState(pixel: pixel, connection: redis), pause.remainingMs == nil {
                    facts.pausedPixels.append(.init(tenant: tenantOfPixel[pixel], pixel: pixel, reason: pause.reason, parked: parked))
                }
                if parked > 0, let aging = try agingParked(pixel: pixel, tenant: tenantOfPixel[pixel], schedule: schedule, redis: redis, now: now) {
                    facts.agingEvents.append(aging)
                }
            }
        }
        read([.deadLetters]) {
            let rows = try postgres.query("""
                SELECT reason, count(*) AS n FROM dead_letters WHERE created_at > $1 GROUP BY reason ORDER BY reason
                """, [.timestamp(now.addingTimeInterval(-3600))])
            facts.deadLetters = try rows.indices.map { .init(reason: try rows.string($0, "reason") ?? "?", count: try rows.int($0, "n") ?? 0) }
        }
        read([.consumerLag]) {
            facts.streams = try layout.allStreams.map { try backlog(stream: $0, redis: redis) }
        }
        read([.matchRateDrop]) {
            let rows = try postgres.query("""
                SELECT c.tenant_id,
                       count(*) FILTER (WHERE c.occurred_at > $1) AS recent,
                       count(*) FILTER (WHERE c.occurred_at > $1 AND EXISTS (SELECT 1 FROM matches m WHERE m.conversion_id = c.id)) AS recent_matched,
                       count(*) FILTER (WHERE c.occurred_at <= $1) AS base,
                       count(*) FILTER (WHERE c.occurred_at <= $1 AND EXISTS (SELECT 1 FROM matches m WHERE m.conversion_id = c.id)) AS base_matched
                FROM conversions c
                WHERE c.occurred_at > $2 AND c.occurred_at <= $3 AND c.status = 'approved'
                GROUP BY c.tenant_id ORDER BY c.tenant_id
                """, [.timestamp(now.addingTimeInterval(-86_400)), .timestamp(now.addingTimeInterval(-8 * 86_400)), .timestamp(now)])
            facts.matchRates = try rows.indices.map {
                .init(tenant: try rows.string($0, "tenant_id") ?? "", recentSales: try rows.int($0, "recent") ?? 0,
                      recentMatched: try rows.int($0, "recent_matched") ?? 0, baselineSales: try rows.int($0, "base") ?? 0,
                      baselineMatched: try rows.int($0, "base_matched") ?? 0)
            }
        }
        var tenantOfAccount: [String: String] = [:]
        read([.gatewaySilent]) {
            let rows = try postgres.query("""
                SELECT g.gateway, g.account, g.tenant_id, max(c.occurred_at) AS last_sale, count(c.id) AS n
                FROM gateway_accounts g
                LEFT JOIN conversions c ON c.gateway = g.gateway AND c.account = g.account AND c.occurred_at > $1 AND c.occurred_at <= $2
                GROUP BY g.gateway, g.account, g.tenant_id ORDER BY g.gateway, g.account
                """, [.timestamp(now.addingTimeInterval(-7 * 86_400)), .timestamp(now)])
            facts.gatewayAccounts = try rows.indices.map {
                let a = AlertFacts.GatewayActivity(
                    tenant: try rows.string($0, "tenant_id") ?? "", gateway: try rows.string($0, "gateway") ?? "",
                    account: try rows.string($0, "account") ?? "", lastSaleAt: try rows.date($0, "last_sale"), salesLast7Days: try rows.int($0, "n") ?? 0)
                tenantOfAccount["\(a.gateway)/\(a.account)"] = a.tenant
                return a
            }
        }
        let keys = AlertRedisKeys(layout: layout)
        read([.webhookAuthFailures]) {
            let minute = Int64(now.timeIntervalSince1970 / 60)
            var counts: [String: Int] = [:]
            for m in (minute - Int64(max(1, thresholds.webhookAuthWindowMinutes)) + 1)...minute {
                let e = try redis.command(["HGETALL", keys.webhookRejections(minute: m)]).elements
                var i = 0
                while i + 1 < e.count {
                    if let k = e[i].text, let n = e[i + 1].text.flatMap({ Int($0) }) { counts[k, default: 0] += n }
                    i += 2
                }
            }
            facts.webhookRejections = counts.keys.sorted().map { k in
                let parts = k.split(separator: "/", maxSplits: 1).map(String.init)
                return .init(tenant: tenantOfAccount[k], gateway: parts.first ?? k, account: parts.count > 1 ? parts[1] : "", count: counts[k] ?? 0)
            }
        }
        read([.ingestSpooling]) {
            var cursor = "0"
            var names: [String] = []
            repeat {
                let r = try redis.command(["SCAN", cursor, "MATCH", keys.ingestReportPattern, "COUNT", "100"]).elements
                cursor = r.first?.text ?? "0"
                names += (r.count > 1 ? r[1].elements : []).compactMap(\.text)
            } while cursor != "0"
            let prefixLength = keys.ingestReportPattern.count - 1
            for name in names.sorted() {
                let f = fields(try redis.command(["HGETALL", name]))
                guard let at = f["reported_at_ms"].flatMap({ Double($0) }) else { continue }
                facts.ingestInstances.append(.init(
                    instance: String(name.dropFirst(prefixLength)), spoolPending: f["spool_pending"].flatMap { Int($0) } ?? 0,
                    redisConnected: f["redis_connected"] != "0", reportedAt: Date(timeIntervalSince1970: at / 1000)))
            }
        }
        read([.telegramBotDown]) {
            facts.deadBots = (try TelegramPoolHealthStore(layout: layout).load(connection: redis)?.bots.values.filter { $0.status == .dead } ?? [])
                .sorted { $0.bot < $1.bot }
        }
        return (facts, errors)
    }

    /// Waiting entries of a stream: not yet delivered to the group plus pending, and the append
    /// time of the oldest of them (from its id).
    func backlog(stream: String, redis: RedisConnection) throws -> AlertFacts.StreamBacklog {
        var lag = 0, pending = 0
        var lastDelivered: String?
        for g in try redis.command(["XINFO", "GROUPS", stream]).elements {
            let f = fields(g)
            guard f["name"] == layout.consumerGroup else { continue }
            lag = f["lag"].flatMap { Int($0) } ?? 0
            pending = f["pending"].flatMap { Int($0) } ?? 0
            lastDelivered = f["last-delivered-id"]
        }
        var oldest: Int64?
        if pending > 0, let first = try redis.command(["XPENDING", stream, layout.consumerGroup]).elements.dropFirst().first?.text {
            oldest = Self.milliseconds(ofStreamID: first)
        }
        if lag > 0, let last = lastDelivered,
           let next = try redis.command(["XRANGE", stream, "(" + last, "+", "COUNT", "1"]).elements.first?.elements.first?.text,
           let ms = Self.milliseconds(ofStreamID: next) {
            oldest = min(oldest ?? ms, ms)
        }
        return .init(stream: stream, entries: lag + pending, oldestAt: oldest.map { Date(timeIntervalSince1970: Double($0) / 1000) })
    }

    /// The oldest parked events of a pixel older than the near-expiry threshold: their count
    /// (among the first 500 parked) and the oldest event time.
    func agingParked(pixel: String, tenant: String?, schedule: RetrySchedule, redis: RedisConnection, now: Date) throws -> AlertFacts.AgingEvents? {
        let members = try redis.command(["ZRANGE", schedule.parked(pixel), "0", "499"]).elements.compactMap(\.text)
        guard !members.isEmpty else { return nil }
        let payloads = try redis.command(["HMGET", layout.retryPayloads] + members).elements
        let limit = now.timeIntervalSince1970 - Double(thresholds.nearExpiryHours * 3600)
        var count = 0
        var oldest: Int64?
        for p in payloads {
            guard case .string(let bytes) = p, let time = JSONValue.parse(bytes)?["eventTime"], case .number(let text) = time,
                  let eventTime = Int64(text) else { continue }
            if Double(eventTime) <= limit { count += 1 }
            oldest = min(oldest ?? eventTime, eventTime)
        }
        guard count > 0, let oldest else { return nil }
        return .init(tenant: tenant, pixel: pixel, count: count, oldestEventAt: Date(timeIntervalSince1970: Double(oldest)))
    }

    static func milliseconds(ofStreamID id: String) -> Int64? {
        id.split(separator: "-").first.flatMap { Int64($0) }
    }

    private func fields(_ reply: RedisReply) -> [String: String] {
        var out: [String: String] = [:]
        let e = reply.elements
        var i = 0
        while i + 1 < e.count {
            if let k = e[i].text { out[k] = e[i + 1].text ?? e[i + 1].int.map(String.init) }
            i += 2
        }
        return out
    }
}
