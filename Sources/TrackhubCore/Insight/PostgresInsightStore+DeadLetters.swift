public import Foundation

extension PostgresInsightStore: DeadLetterQueue {
    /// The most dead letters one replay (or one group count) reads: `dispatchd dlq replay`'s own bound.
    static let maxDeadLetters = 100_000

    public func groups(scope: InsightScope) async throws -> [DeadLetterGroup] {
        let entries = try await entries(reason: nil, scope: scope, limit: 1_000)
        let scopeParam = Self.scopeParameter(scope)
        let counts = try await postgres.withConnection { pg in
            let r = try pg.query("""
                SELECT d.reason, count(*) AS n, min(d.created_at) AS oldest, max(d.created_at) AS newest FROM dead_letters d
                WHERE d.replayed_at IS NULL AND \(Self.deadLetterInScope(1)) GROUP BY d.reason
                """, [scopeParam])
            return try r.indices.map { i in
                DeadLetterGroup(reason: try r.string(i, "reason") ?? "", count: try r.int(i, "n") ?? 0,
                                oldest: try r.date(i, "oldest"), newest: try r.date(i, "newest"), expired: 0)
            }
        }
        // Exact counts from SQL; the expired share from the entries read (the newest 1,000).
        let read = Dictionary(uniqueKeysWithValues: DeadLetterGroup.group(entries).map { ($0.reason, $0.expired) })
        return counts.map { g in
            var g = g
            g.expired = read[g.reason] ?? 0
            return g
        }
        .sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }

    public func entries(reason: String?, scope: InsightScope, limit: Int) async throws -> [DeadLetterEntry] {
        let scopeParam = Self.scopeParameter(scope)
        let admin = self.admin
        return try await postgres.withConnection { pg in
            try Self.deadLetterRows(Self.selectDeadLetters(pg, reason: reason, ids: nil, scope: scopeParam, limit: limit))
                .map { DeadLetterEntry($0, admin: admin, now: Date()) }
        }
    }

    public func replay(_ selection: DeadLetterAdmin.Selection, confirmation: String?, scope: InsightScope) async throws -> DeadLetterReplayResult {
        let scopeParam = Self.scopeParameter(scope)
        let admin = self.admin
        return try await withPostgresAndRedis { pg, redis in
            let rows: PostgresRows
            switch selection {
            case .id(let id): rows = try Self.selectDeadLetters(pg, reason: nil, ids: [id], scope: scopeParam, limit: 1)
            case .ids(let ids): rows = try Self.selectDeadLetters(pg, reason: nil, ids: ids, scope: scopeParam, limit: Self.maxDeadLetters)
            case .reason(let reason): rows = try Self.selectDeadLetters(pg, reason: reason, ids: nil, scope: scopeParam, limit: Self.maxDeadLetters)
            case .all: rows = try Self.selectDeadLetters(pg, reason: nil, ids: nil, scope: scopeParam, limit: Self.maxDeadLetters)
            }
            let now = Date()
            let preview = DeadLetterReplayPreview(entries: try Self.deadLetterRows(rows).map { DeadLetterEntry($0, admin: admin, now: now) })
            guard preview.isConfirmed(by: confirmation) else { return .needsConfirmation(preview) }
            let report = try admin.replay(.ids(preview.entries.map(\.id)), force: false, now: now, postgres: pg, redis: redis)
            return .replayed(report)
        }
    }

    /// Dead letters not replayed, within the scope, newest first.
    static func selectDeadLetters(_ pg: PostgresConnection, reason: String?, ids: [Int]?, scope: PostgresValue?, limit: Int) throws -> PostgresRows {
        try pg.query("""
            SELECT d.id, d.reason, d.detail, d.event_id, d.pixel_id, d.envelope_id, d.stream_id, d.payload, d.created_at
            FROM dead_letters d
            WHERE d.replayed_at IS NULL AND ($1::text IS NULL OR d.reason = $1::text)
              AND ($2::text[] IS NULL OR d.id = ANY($2::text[]::bigint[])) AND \(deadLetterInScope(3))
            ORDER BY d.id DESC LIMIT \(max(1, limit))
            """, [reason.map(PostgresValue.string), ids.map { .textArray($0.map(String.init)) }, scope])
    }
}
