public import Foundation

extension PostgresInsightStore: TroubleshootingEvidenceReader {
    /// The newest sales the assistant reads.
    static let evidenceSales = 50

    public func evidence(scope: InsightScope) async throws -> TroubleshootingEvidence {
        let scopeParam = Self.scopeParameter(scope)
        let layout = self.layout
        let deadLetters = try await groups(scope: scope)
        var evidence = try await withPostgresAndRedis { pg, redis in
            var e = TroubleshootingEvidence(collectedAt: Date())
            // Pauses and parked counts exactly as `dispatchd status` reads them.
            let report = try StatusReport.collect(layout: layout, postgres: pg, redis: redis, detail: false)
            let live = Dictionary(report.pixels.map { ($0.pixel, $0) }, uniquingKeysWith: { a, _ in a })
            let pixels = try pg.query("""
                SELECT id, tenant_id, mode, access_token_ciphertext IS NOT NULL AS has_token FROM pixels
                WHERE \(Self.tenantInScope("tenant_id", 1)) ORDER BY id
                """, [scopeParam])
            for i in pixels.indices {
                let id = try pixels.string(i, "id") ?? ""
                var p = TroubleshootingEvidence.Pixel(id: id, tenant: try pixels.string(i, "tenant_id") ?? "",
                                                      mode: try pixels.string(i, "mode") ?? "", hasToken: try pixels.bool(i, "has_token") ?? false,
                                                      pause: live[id]?.pause, parked: live[id]?.parked ?? 0)
                // Served by migration 8's partial index over the failure outcomes.
                p.lastError = try Self.attempts(pg, where: """
                    a.pixel_id = $1 AND a.created_at > now() - interval '7 days'
                    AND a.outcome IN ('retry_scheduled', 'unconfirmed', 'dead_lettered', 'parked', 'batch_rejected')
                    """, [.string(id)], limit: 1, payload: false, newestFirst: .createdAt).first
                let sent = try pg.query("""
                    SELECT max(created_at) AS at FROM dispatch_attempts
                    WHERE pixel_id = $1 AND outcome = 'sent' AND created_at > now() - interval '7 days'
                    """, [.string(id)])
                p.lastSentAt = try sent.date(0, "at")
                e.pixels.append(p)
            }
            // Per account, one statement each (accounts are few): the newest webhook of the week
            // (an index probe), the last day's deliveries and ignored ones (a day, not a week: a
            // busy account gets thousands), and the last ignored reason. One statement over every
            // account was estimated (small tables are rarely analysed) far above `jit_above_cost`
            // and spent ~0.7 s compiling itself.
            let accounts = try pg.query("""
                SELECT gateway, account, tenant_id FROM gateway_accounts
                WHERE \(Self.tenantInScope("tenant_id", 1)) ORDER BY gateway, account
                """, [scopeParam])
            e.accounts = try accounts.indices.map { i in
                let (gateway, account) = (try accounts.string(i, "gateway") ?? "", try accounts.string(i, "account") ?? "")
                let w = try pg.query("""
                    SELECT (SELECT max(received_at) FROM webhook_inbox
                            WHERE gateway = $1 AND account = $2 AND received_at > now() - interval '7 days') AS last_at,
                           count(*) AS received,
                           count(*) FILTER (WHERE outcome LIKE 'ignored%' OR outcome LIKE 'dead_lettered%') AS ignored,
                           (SELECT outcome FROM webhook_inbox
                            WHERE gateway = $1 AND account = $2 AND received_at > now() - interval '24 hours'
                              AND (outcome LIKE 'ignored%' OR outcome LIKE 'dead_lettered%')
                            ORDER BY received_at DESC LIMIT 1) AS last_ignored
                    FROM webhook_inbox WHERE gateway = $1 AND account = $2 AND received_at > now() - interval '24 hours'
                    """, [.string(gateway), .string(account)])
                return TroubleshootingEvidence.GatewayAccount(
                    gateway: gateway, account: account, tenant: try accounts.string(i, "tenant_id") ?? "",
                    lastReceivedAt: try w.date(0, "last_at"), received: try w.int(0, "received") ?? 0, ignored: try w.int(0, "ignored") ?? 0,
                    lastIgnoredReason: try w.string(0, "last_ignored").flatMap { IgnoredWebhook.parseOutcome($0)?.reason })
            }
            let sales = try Self.sales(pg, where: "c.occurred_at > now() - interval '7 days' AND \(Self.tenantInScope("c.tenant_id", 1))",
                                       [scopeParam], limit: Self.evidenceSales)
            let attempts = sales.isEmpty ? [] : LedgerAttempt.settled(try Self.attempts(
                pg, where: "a.conversion_id = ANY($1::text[]::bigint[])", [.textArray(sales.map { String($0.id) })], limit: 5_000, payload: false))
            let events = LedgerEventSummary.summarize(attempts)
            e.sales = sales.map { s in
                // A sale's own event: the one whose id is derived from it (not a refund's).
                let mine = events.filter { $0.conversionID == s.id }
                return TroubleshootingEvidence.Sale(sale: s, event: mine.first { $0.key.eventName == "Purchase" } ?? mine.first)
            }
            let clicks = try pg.query("""
                SELECT count(*) AS n, max(occurred_at) AS last_at FROM (
                    SELECT occurred_at FROM touchpoints
                    WHERE kind = 'click' AND occurred_at > now() - interval '24 hours' AND \(Self.tenantInScope("tenant_id", 1))
                    LIMIT \(TroubleshootingEvidence.clickCountCap)) c
                """, [scopeParam])
            e.clicksLastDay = try clicks.int(0, "n") ?? 0
            e.lastClickAt = try clicks.date(0, "last_at")
            if e.lastClickAt == nil {
                let last = try pg.query("""
                    SELECT max(occurred_at) AS last_at FROM touchpoints
                    WHERE kind = 'click' AND occurred_at > now() - interval '30 days' AND \(Self.tenantInScope("tenant_id", 1))
                    """, [scopeParam])
                e.lastClickAt = try last.date(0, "last_at")
            }
            return e
        }
        evidence.deadLetters = deadLetters
        return evidence
    }
}
