public import Foundation

extension PostgresInsightStore: IgnoredWebhookReader {
    public func ignoredWebhooks(scope: InsightScope, hours: Int, limit: Int) async throws -> [IgnoredWebhook] {
        let scopeParam = Self.scopeParameter(scope)
        return try await postgres.withConnection { pg in
            let r = try pg.query("""
                SELECT envelope_id, gateway, account, tenant_id, received_at, outcome FROM webhook_inbox
                WHERE processed_at > now() - make_interval(hours => $1::int)
                  AND (outcome LIKE 'ignored%' OR outcome LIKE 'dead_lettered%') AND \(Self.tenantInScope("tenant_id", 2))
                ORDER BY processed_at DESC, id DESC LIMIT \(max(1, limit))
                """, [.int(hours), scopeParam])
            return try r.indices.compactMap { i in
                guard let (kind, reason) = IgnoredWebhook.parseOutcome(try r.string(i, "outcome") ?? "") else { return nil }
                return IgnoredWebhook(envelopeID: try r.string(i, "envelope_id") ?? "", gateway: try r.string(i, "gateway") ?? "",
                                      account: try r.string(i, "account") ?? "", tenant: try r.string(i, "tenant_id"),
                                      receivedAt: try r.date(i, "received_at") ?? Date(timeIntervalSince1970: 0),
                                      kind: kind, reason: reason)
            }
        }
    }
}
