public import Foundation

/// The alerts' Postgres tables (migration 13): the state the engine continues from, the
/// history the console lists, and the delivery outbox. Blocking libpq calls: run them inside
/// ``PostgresPool/withConnection(_:)``.
///
/// One round is recorded in one transaction — state, history and one pending delivery per
/// channel — *before* anything is sent, so a holder killed mid-send leaves its messages in the
/// outbox for the next holder instead of a state that fires them all again.
public enum AlertStore {
    /// The active alerts.
    public static func loadState(connection: PostgresConnection) throws -> AlertState {
        let rows = try connection.query("""
            SELECT alert_key, vals::text AS vals, first_seen_at, last_notified_at, notifications, clear_since FROM alert_state
            """)
        var alerts: [ActiveAlert] = []
        for i in rows.indices {
            guard let key = AlertKey(id: try rows.string(i, "alert_key") ?? "") else { continue }
            alerts.append(ActiveAlert(
                condition: AlertCondition(key, values: values(try rows.string(i, "vals"))),
                firstSeenAt: try rows.date(i, "first_seen_at") ?? Date(), lastNotifiedAt: try rows.date(i, "last_notified_at") ?? Date(),
                notifications: try rows.int(i, "notifications") ?? 1, clearSince: try rows.date(i, "clear_since")))
        }
        return AlertState(alerts)
    }

    /// Stores `round` (its state replaces `previous`) and queues each notification on the
    /// channels `route` names for it. Returns how many deliveries were queued.
    @discardableResult
    public static func record(_ round: AlertEngine.Round, previous: AlertState, route: (AlertNotification) -> [String],
                              connection: PostgresConnection) throws -> Int {
        try connection.transaction { c in
            for key in previous.active.keys where round.state.active[key] == nil {
                _ = try c.query("DELETE FROM alert_state WHERE alert_key = $1", [.string(key.id)])
            }
            for (key, alert) in round.state.active where previous.active[key] != alert {
                _ = try c.query("""
                    INSERT INTO alert_state (alert_key, rule, tenant_id, subject, vals, first_seen_at, last_notified_at, notifications, clear_since)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    ON CONFLICT (alert_key) DO UPDATE SET vals = EXCLUDED.vals, first_seen_at = EXCLUDED.first_seen_at,
                        last_notified_at = EXCLUDED.last_notified_at, notifications = EXCLUDED.notifications,
                        clear_since = EXCLUDED.clear_since, updated_at = now()
                    """, [.string(key.id), .string(key.rule.rawValue), key.tenant.map { .string($0) }, .string(key.subject),
                          .json(json(alert.condition.values)), .timestamp(alert.firstSeenAt), .timestamp(alert.lastNotifiedAt),
                          .int(alert.notifications), alert.clearSince.map { .timestamp($0) }])
            }
            var queued = 0
            for n in round.notifications {
                let inserted = try c.query("""
                    INSERT INTO alert_history (alert_key, rule, tenant_id, subject, kind, sequence, vals, first_seen_at, created_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
                    """, [.string(n.key.id), .string(n.key.rule.rawValue), n.key.tenant.map { .string($0) }, .string(n.key.subject),
                          .string(n.kind.rawValue), .int(n.sequence), .json(json(n.condition.values)), .timestamp(n.firstSeenAt),
                          .timestamp(n.at)])
                let id = try inserted.int(0, "id") ?? 0
                for channel in Set(route(n)).sorted() {
                    _ = try c.query("INSERT INTO alert_deliveries (history_id, channel, next_at) VALUES ($1, $2, $3)",
                                    [.int(id), .string(channel), .timestamp(n.at)])
                    queued += 1
                }
            }
            return queued
        }
    }

    /// A queued message for one channel.
    public struct PendingDelivery: Sendable, Equatable {
        public var historyID: Int
        public var channel: String
        public var attempts: Int
        public var notification: AlertNotification
    }

    /// Deliveries due at `now`, oldest first.
    public static func due(now: Date, limit: Int = 100, connection: PostgresConnection) throws -> [PendingDelivery] {
        let rows = try connection.query("""
            SELECT d.history_id, d.channel, d.attempts, h.alert_key, h.kind, h.sequence, h.vals::text AS vals, h.first_seen_at, h.created_at
            FROM alert_deliveries d JOIN alert_history h ON h.id = d.history_id
            WHERE d.state = 'pending' AND d.next_at <= $1 ORDER BY d.history_id, d.channel LIMIT $2
            """, [.timestamp(now), .int(limit)])
        var out: [PendingDelivery] = []
        for i in rows.indices {
            guard let key = AlertKey(id: try rows.string(i, "alert_key") ?? ""),
                  let kind = AlertNotification.Kind(rawValue: try rows.string(i, "kind") ?? "") else { continue }
            let at = try rows.date(i, "created_at") ?? now
            out.append(PendingDelivery(
                historyID: try rows.int(i, "history_id") ?? 0, channel: try rows.string(i, "channel") ?? "",
                attempts: try rows.int(i, "attempts") ?? 0,
                notification: AlertNotification(kind: kind, condition: AlertCondition(key, values: values(try rows.string(i, "vals"))),
                                                firstSeenAt: try rows.date(i, "first_seen_at") ?? at, at: at,
                                                sequence: try rows.int(i, "sequence") ?? 1)))
        }
        return out
    }

    /// Records a delivery's outcome: sent; or failed, retried at `retryAt` (nil: given up).
    public static func finish(_ delivery: PendingDelivery, sent: Bool, error: String? = nil, retryAt: Date? = nil,
                              connection: PostgresConnection) throws {
        if sent {
            _ = try connection.query("""
                UPDATE alert_deliveries SET state = 'sent', attempts = attempts + 1, sent_at = now(), last_error = NULL
                WHERE history_id = $1 AND channel = $2
                """, [.int(delivery.historyID), .string(delivery.channel)])
        } else {
            _ = try connection.query("""
                UPDATE alert_deliveries SET state = $3, attempts = attempts + 1, last_error = $4, next_at = coalesce($5, next_at)
                WHERE history_id = $1 AND channel = $2
                """, [.int(delivery.historyID), .string(delivery.channel), .string(retryAt == nil ? "failed" : "pending"),
                      error.map { .string(String($0.prefix(500))) }, retryAt.map { .timestamp($0) }])
        }
    }

    /// One line of the history, with how its deliveries went.
    public struct HistoryEntry: Sendable, Equatable {
        public var id: Int
        public var notification: AlertNotification
        /// `channel: state` for each delivery (`webhook: sent`).
        public var deliveries: [String: String]

        public init(id: Int, notification: AlertNotification, deliveries: [String: String]) {
            self.id = id
            self.notification = notification
            self.deliveries = deliveries
        }
    }

    /// The newest history entries, of one tenant (and the operator's, tenant nil) or of all.
    public static func history(tenant: String?, allTenants: Bool = false, limit: Int = 100,
                               connection: PostgresConnection) throws -> [HistoryEntry] {
        let rows = try connection.query("""
            SELECT h.id, h.alert_key, h.kind, h.sequence, h.vals::text AS vals, h.first_seen_at, h.created_at,
                   coalesce((SELECT string_agg(d.channel || '=' || d.state, ',' ORDER BY d.channel)
                             FROM alert_deliveries d WHERE d.history_id = h.id), '') AS deliveries
            FROM alert_history h
            WHERE $1 OR h.tenant_id IS NOT DISTINCT FROM $2::text
            ORDER BY h.id DESC LIMIT $3
            """, [.bool(allTenants), tenant.map { .string($0) }, .int(limit)])
        var out: [HistoryEntry] = []
        for i in rows.indices {
            guard let key = AlertKey(id: try rows.string(i, "alert_key") ?? ""),
                  let kind = AlertNotification.Kind(rawValue: try rows.string(i, "kind") ?? "") else { continue }
            let at = try rows.date(i, "created_at") ?? Date()
            var deliveries: [String: String] = [:]
            for pair in (try rows.string(i, "deliveries") ?? "").split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { deliveries[parts[0]] = parts[1] }
            }
            out.append(HistoryEntry(
                id: try rows.int(i, "id") ?? 0,
                notification: AlertNotification(kind: kind, condition: AlertCondition(key, values: values(try rows.string(i, "vals"))),
                                                firstSeenAt: try rows.date(i, "first_seen_at") ?? at, at: at, sequence: try rows.int(i, "sequence") ?? 1),
                deliveries: deliveries))
        }
        return out
    }

    static func json(_ values: [String: String]) -> String {
        var w = JSONWriter(profile: .stored)
        w.object(values)
        return w.text
    }

    static func values(_ text: String?) -> [String: String] {
        guard let text, let members = JSONValue.parse(text)?.objectMembers else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in members {
            if case .string(let s) = v { out[k] = s }
        }
        return out
    }
}
