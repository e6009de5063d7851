import Foundation
import TrackhubCore

extension ConsoleStore {
    /// What Início shows for `tenants`: today's and yesterday's approved sales (Brasília days),
    /// how many of today's reached Meta, pixels whose token Meta refused with their waiting
    /// events, today's dead letters, and the last ten sales with their fate.
    public func homeFacts(tenants: [String]) async throws -> HomeFacts {
        try await pool.withConnection { conn in
            var facts = HomeFacts()
            let scope = PostgresValue.textArray(tenants)
            let today = "date_trunc('day', now() AT TIME ZONE 'America/Sao_Paulo') AT TIME ZONE 'America/Sao_Paulo'"
            facts.pixels = try conn.query("SELECT count(*) AS n FROM pixels WHERE tenant_id = ANY($1)", [scope]).int(0, "n") ?? 0

            let sales = try conn.query(
                """
                SELECT count(*) FILTER (WHERE occurred_at >= \(today)) AS today,
                       coalesce(sum(value) FILTER (WHERE occurred_at >= \(today)), 0)::float8 AS revenue_today,
                       count(*) FILTER (WHERE occurred_at < \(today)) AS yesterday,
                       coalesce(sum(value) FILTER (WHERE occurred_at < \(today)), 0)::float8 AS revenue_yesterday
                FROM conversions
                WHERE status = 'approved' AND tenant_id = ANY($1) AND occurred_at >= \(today) - interval '1 day'
                """, [scope])
            facts.salesToday = try sales.int(0, "today") ?? 0
            facts.revenueToday = try sales.double(0, "revenue_today") ?? 0
            facts.salesYesterday = try sales.int(0, "yesterday") ?? 0
            facts.revenueYesterday = try sales.double(0, "revenue_yesterday") ?? 0

            facts.sentToday = try conn.query(
                """
                SELECT count(DISTINCT c.id) AS n FROM conversions c JOIN dispatch_attempts a ON a.conversion_id = c.id
                WHERE c.status = 'approved' AND c.tenant_id = ANY($1) AND c.occurred_at >= \(today) AND a.outcome = 'sent'
                """, [scope]).int(0, "n") ?? 0

            facts.deadLettersToday = try conn.query(
                """
                SELECT count(*) AS n FROM dead_letters d JOIN pixels p ON p.id = d.pixel_id
                WHERE p.tenant_id = ANY($1) AND d.created_at >= \(today) AND d.replayed_at IS NULL
                """, [scope]).int(0, "n") ?? 0

            let problems = try conn.query(
                """
                SELECT p.id, p.tenant_id, last.meta_code,
                       (SELECT count(*) FROM dispatch_attempts x WHERE x.pixel_id = p.id AND x.outcome = 'parked'
                          AND x.created_at > coalesce((SELECT max(s.created_at) FROM dispatch_attempts s
                                                       WHERE s.pixel_id = p.id AND s.outcome = 'sent'), '-infinity')) AS waiting
                FROM pixels p
                LEFT JOIN LATERAL (SELECT outcome, meta_code FROM dispatch_attempts a WHERE a.pixel_id = p.id
                                   ORDER BY a.created_at DESC, a.id DESC LIMIT 1) last ON true
                WHERE p.tenant_id = ANY($1) AND (last.outcome = 'parked' OR p.paused_reason IS NOT NULL)
                ORDER BY p.id
                """, [scope])
            facts.pixelProblems = try problems.indices.map { i in
                HomeFacts.PixelProblem(pixelID: try problems.string(i, "id") ?? "", tenantID: try problems.string(i, "tenant_id") ?? "",
                                       metaCode: try problems.int(i, "meta_code"), waitingEvents: try problems.int(i, "waiting") ?? 0)
            }

            let last = try conn.query(
                """
                SELECT c.gateway, c.transaction_id, c.value::float8 AS value, extract(epoch FROM c.occurred_at)::float8 AS at,
                       c.ignored_reason,
                       (SELECT a.outcome FROM dispatch_attempts a WHERE a.conversion_id = c.id
                        ORDER BY a.created_at DESC, a.id DESC LIMIT 1) AS outcome
                FROM conversions c
                WHERE c.status = 'approved' AND c.tenant_id = ANY($1)
                ORDER BY c.occurred_at DESC, c.id DESC LIMIT 10
                """, [scope])
            facts.lastSales = try last.indices.map { i in
                let outcome = try last.string(i, "outcome")
                let ignored = try last.string(i, "ignored_reason")
                let fate: HomeFacts.Sale.Fate = switch outcome {
                case "sent": .sent
                case "dry_run": .dryRun
                case "dead_lettered", "consent_blocked", "skipped_duplicate": .notSent
                default: ignored == nil ? .waiting : .notSent
                }
                return HomeFacts.Sale(gateway: try last.string(i, "gateway") ?? "", transactionID: try last.string(i, "transaction_id") ?? "",
                                      value: try last.double(i, "value"), occurredAt: try last.double(i, "at") ?? 0, fate: fate,
                                      reason: fate == .notSent ? (ignored ?? outcome) : nil)
            }
            return facts
        }
    }
}
