public import Foundation

extension AnalyticsStore {
    /// The facts of every sale record (conversion row) of a tenant first recorded in [from,
    /// to): its mapped event, inbox outcome, ledger outcomes, dead letters and match.
    ///
    /// A day is the day a record was first *received* (`conversions.created_at`), not the
    /// sale's own time: a reconciliation compares what the gateways delivered that day with
    /// what reached Meta, and an expired sale (approved more than 7 days earlier) belongs to the
    /// day it arrived.
    public func reconcileSales(tenant: String, from: Date, to: Date, connection: PostgresConnection) throws -> [ReconcileSale] {
        let rows = try connection.query("""
            SELECT c.gateway, c.transaction_id, c.status,
                   CASE c.status WHEN 'approved' THEN coalesce(g.settings ->> 'approved_event', $4)
                                 WHEN 'pending' THEN g.settings ->> 'pending_event'
                                 WHEN 'refunded' THEN g.settings ->> 'refund_event'
                                 WHEN 'chargeback' THEN g.settings ->> 'chargeback_event' END AS event_name,
                   w.outcome AS inbox_outcome,
                   ARRAY(SELECT d.outcome FROM dispatch_attempts d WHERE d.conversion_id = c.id ORDER BY d.id) AS ledger,
                   ARRAY(SELECT l.reason FROM dead_letters l
                         WHERE l.envelope_id = c.envelope_id
                            OR l.event_id IN (SELECT d.event_id FROM dispatch_attempts d WHERE d.conversion_id = c.id)
                         ORDER BY l.id) AS dead,
                   m.method
            FROM conversions c
            LEFT JOIN gateway_accounts g ON g.gateway = c.gateway AND g.account = c.account
            LEFT JOIN webhook_inbox w ON w.envelope_id = c.envelope_id
            LEFT JOIN matches m ON m.conversion_id = c.id
            WHERE c.tenant_id = $1 AND c.created_at >= $2 AND c.created_at < $3
            ORDER BY c.id
            """, [.string(tenant), .timestamp(from), .timestamp(to), .string(CAPIEventName.purchase.rawValue)])
        return try rows.indices.map { i in
            ReconcileSale(gateway: try rows.string(i, "gateway") ?? "", orderID: try rows.string(i, "transaction_id") ?? "",
                          status: try rows.string(i, "status") ?? "", eventName: try rows.string(i, "event_name"),
                          inboxOutcome: try rows.string(i, "inbox_outcome"),
                          ledgerOutcomes: (try rows.textArray(i, "ledger") ?? []).compactMap { $0 },
                          deadLetterReasons: (try rows.textArray(i, "dead") ?? []).compactMap { $0 },
                          matchMethod: try rows.string(i, "method"))
        }
    }

    /// The reconciliation of one UTC day.
    public func reconcile(tenant: String, day: Date, connection: PostgresConnection) throws -> Reconciliation {
        Reconciliation(tenant: tenant, day: day,
                       sales: try reconcileSales(tenant: tenant, from: day, to: day + 86_400, connection: connection))
    }
}
