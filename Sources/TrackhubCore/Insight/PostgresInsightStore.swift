public import Foundation

/// The console's readers over the real stores: the ledger, sales and clicks in Postgres, the
/// streams, retries and pauses in Redis (``LedgerReader``, ``DeadLetterQueue``,
/// ``IgnoredWebhookReader``, ``LiveStatusReader``, ``TroubleshootingEvidenceReader``,
/// ``SupportBundleSource``; one extension file per protocol).
///
/// Every query runs on the ``PostgresPool``'s thread, never on the cooperative pool; a Redis
/// connection is opened there for the calls that need both (as `dispatchd status` does).
/// Queries use the indexes the dispatch path already keeps, plus migration 8's.
public final class PostgresInsightStore: Sendable {
    public let postgres: PostgresPool
    public let redis: RedisEndpoint
    public let layout: StreamLayout
    /// The dead-letter admin `dispatchd dlq` uses (replay and its expiry refusal).
    let admin: DeadLetterAdmin

    public init(postgres: PostgresPool, redis: RedisEndpoint, layout: StreamLayout = StreamLayout()) {
        self.postgres = postgres
        self.redis = redis
        self.layout = layout
        self.admin = DeadLetterAdmin(layout: layout)
    }

    /// Runs `body` on the pool's thread with a Redis connection opened for it.
    func withPostgresAndRedis<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, RedisConnection) throws -> T) async throws -> T {
        try await postgres.withConnection(redis: redis, body)
    }

    /// The scope as a `text[]` parameter (nil: every tenant).
    static func scopeParameter(_ scope: InsightScope) -> PostgresValue? {
        scope.tenantIDs.map { .textArray($0) }
    }

    /// SQL: the row's `pixel_id` column (`column`) belongs to a tenant in the scope bound at `$n`.
    static func pixelInScope(_ column: String, _ n: Int) -> String {
        "($\(n)::text[] IS NULL OR \(column) IN (SELECT id FROM pixels WHERE tenant_id = ANY($\(n)::text[])))"
    }

    /// SQL: the row's tenant column is in the scope bound at `$n`.
    static func tenantInScope(_ column: String, _ n: Int) -> String {
        "($\(n)::text[] IS NULL OR \(column) = ANY($\(n)::text[]))"
    }

    /// SQL: a dead letter (alias `d`) belongs to the scope at `$n`: through its pixel, or — a
    /// dead letter without a pixel (no pixel configured, unparseable) — through the webhook or
    /// touchpoint its envelope became.
    static func deadLetterInScope(_ n: Int) -> String {
        """
        ($\(n)::text[] IS NULL
         OR d.pixel_id IN (SELECT id FROM pixels WHERE tenant_id = ANY($\(n)::text[]))
         OR EXISTS (SELECT 1 FROM webhook_inbox w WHERE w.envelope_id = d.envelope_id AND w.tenant_id = ANY($\(n)::text[]))
         OR EXISTS (SELECT 1 FROM touchpoints t WHERE t.envelope_id = d.envelope_id AND t.tenant_id = ANY($\(n)::text[])))
        """
    }
}
