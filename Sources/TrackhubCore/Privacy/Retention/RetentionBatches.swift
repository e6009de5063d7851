import Foundation

/// One ``RetentionPlan/RowExpiry`` executed in bounded batches: each batch selects at most
/// `batchSize` rows and changes them in its own short transaction, so no lock is held for long
/// and a stopped run loses nothing (the next one continues). Rows are walked in `id` order
/// between the smallest and largest id in range, so a run reads each row once however many
/// batches it takes; dedupe keys (no id) are deleted by physical position instead.
struct RetentionBatches {
    var expiry: RetentionPlan.RowExpiry
    var scope: RetentionScopeFilter
    var batchSize: Int
    var runID: Int
    var dryRun: Bool

    /// Rows removed (or, dry, that would be), per item.
    func run(connection pg: PostgresConnection) throws -> [RetentionItem: Int] {
        let table = RetentionRunner.quoted(expiry.table)
        let (scopeSQL, scopeValue) = scope.condition(table: expiry.item.table, parameter: 1)
        var conditions = [scopeSQL, "\(timeColumn) < $2"]
        var params: [PostgresValue?] = [scopeValue, .timestamp(expiry.before)]
        if let notBefore = expiry.notBefore {
            conditions.append("\(timeColumn) >= $3")
            params.append(.timestamp(notBefore))
        }
        if let extra { conditions.append(extra) }
        let whereSQL = conditions.joined(separator: " AND ")

        if dryRun { return try count(table: table, where: whereSQL, params: params, connection: pg) }
        if expiry.item == .dedupeKeys {
            var removed = 0
            while true {
                let n = try pg.query("""
                    WITH gone AS (DELETE FROM \(table) WHERE ctid = ANY(ARRAY(SELECT ctid FROM \(table) WHERE \(whereSQL) LIMIT \(batchSize)))
                                  RETURNING 1)
                    SELECT count(*) AS n FROM gone
                    """, params).int(0, "n") ?? 0
                removed += n
                if n < batchSize { return [.dedupeKeys: removed] }
            }
        }
        let bounds = try pg.query("SELECT min(id) AS lo, max(id) AS hi FROM \(table) WHERE \(whereSQL)", params)
        guard let lo = try bounds.int(0, "lo"), let hi = try bounds.int(0, "hi") else { return [:] }
        var totals: [RetentionItem: Int] = [:]
        var last = lo - 1
        let next = params.count + 1
        while true {
            let rows = try pg.query("""
                SELECT id FROM \(table) WHERE id > $\(next) AND id <= $\(next + 1) AND \(whereSQL) ORDER BY id LIMIT \(batchSize)
                """, params + [.int(last), .int(hi)])
            let ids = try rows.indices.compactMap { try rows.int($0, "id") }
            guard let maxID = ids.last else { break }
            for (item, n) in try apply(ids: ids, table: table, connection: pg) { totals[item, default: 0] += n }
            last = maxID
            if ids.count < batchSize { break }
        }
        return totals
    }

    /// Changes one batch of rows, in one transaction.
    private func apply(ids: [Int], table: String, connection pg: PostgresConnection) throws -> [RetentionItem: Int] {
        let idList: PostgresValue = .textArray(ids.map(String.init))
        return try pg.transaction { tx in
            switch expiry.item {
            case .ledgerPersonal:
                return [.ledgerPersonal: try LedgerRedaction.removeUserData(ids: ids, audit: .retention, auditID: runID, connection: tx)]
            case .touchpoints, .touchpointsAnonymised:
                // A touchpoint a sale is matched to keeps its row (the attribution, and the
                // rollups' backfill, need it) and loses its personal columns instead.
                let deleted = try tx.query("""
                    DELETE FROM touchpoints t WHERE t.id = ANY($1::bigint[])
                    AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.touchpoint_id = t.id)
                    """, [idList]).affectedRows
                let anonymised = try tx.query("""
                    UPDATE touchpoints SET \(PersonalDataEraser.touchpointAnonymisation)
                    WHERE id = ANY($1::bigint[]) AND \(Self.touchpointHasPersonalData)
                    """, [idList]).affectedRows
                return [.touchpoints: deleted, .touchpointsAnonymised: anonymised]
            case .webhookBodies, .deadLetters, .ledgerRows:
                return [expiry.item: try tx.query("DELETE FROM \(table) WHERE id = ANY($1::bigint[])", [idList]).affectedRows]
            case .dedupeKeys:
                return [:]
            }
        }
    }

    /// A dry run's counts: the same rows, counted.
    private func count(table: String, where whereSQL: String, params: [PostgresValue?],
                       connection pg: PostgresConnection) throws -> [RetentionItem: Int] {
        if expiry.item == .touchpoints {
            let rows = try pg.query("""
                SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM matches m WHERE m.touchpoint_id = t.id)) AS deleted,
                       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM matches m WHERE m.touchpoint_id = t.id)
                                        AND \(Self.touchpointHasPersonalData)) AS anonymised
                FROM touchpoints t WHERE \(whereSQL)
                """, params)
            return [.touchpoints: try rows.int(0, "deleted") ?? 0, .touchpointsAnonymised: try rows.int(0, "anonymised") ?? 0]
        }
        return [expiry.item: try pg.query("SELECT count(*) AS n FROM \(table) WHERE \(whereSQL)", params).int(0, "n") ?? 0]
    }

    /// The column that dates a row of the item's table.
    private var timeColumn: String {
        switch expiry.item {
        case .webhookBodies: "received_at"
        case .touchpoints, .touchpointsAnonymised: "occurred_at"
        case .dedupeKeys: "first_seen_at"
        case .ledgerPersonal, .ledgerRows, .deadLetters: "created_at"
        }
    }

    /// Rows the item leaves alone whatever their age.
    private var extra: String? {
        switch expiry.item {
        // An inbox row not yet processed is input not yet recorded anywhere else: never lost.
        case .webhookBodies: "processed_at IS NOT NULL"
        // Already emptied (by an erasure or an earlier run): nothing to do.
        case .ledgerPersonal: "payload ? 'user_data' AND payload -> 'user_data' <> '{}'::jsonb"
        default: nil
        }
    }

    /// Whether a touchpoint still holds a column ``PersonalDataEraser/touchpointAnonymisation`` clears.
    static let touchpointHasPersonalData = """
        (ip IS NOT NULL OR user_agent IS NOT NULL OR em_hash IS NOT NULL OR ph_hash IS NOT NULL OR fbp IS NOT NULL \
        OR fbc IS NOT NULL OR page_url IS NOT NULL OR referrer IS NOT NULL OR session_id IS NOT NULL)
        """
}
