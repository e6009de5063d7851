/// The Redis keys of the alerts: the lease, and what ingestd reports for them (its spool and
/// the webhooks it refused), derived from the installation's prefix like ``StreamLayout``'s.
public struct AlertRedisKeys: Sendable {
    public let prefix: String

    public init(layout: StreamLayout) { self.prefix = layout.prefix }

    /// The lease of the instance that evaluates the rules.
    public var lease: String { "\(prefix):alerts:lease" }
    /// An ingestd instance's last report (hash: `spool_pending`, `redis_connected`, `reported_at_ms`).
    public func ingestReport(instance: String) -> String { "\(prefix):ingest:report:\(instance)" }
    /// Pattern of every ``ingestReport(instance:)`` key (SCAN MATCH).
    public var ingestReportPattern: String { "\(prefix):ingest:report:*" }
    /// Webhooks refused in one minute (hash: `gateway/account` → count).
    public func webhookRejections(minute: Int64) -> String { "\(prefix):webhook:rejected:\(minute)" }
    /// Set once a tenant's summary of `day` went out (or is going out).
    public func dailySummary(tenant: String, day: String) -> String { "\(prefix):alerts:summary:\(tenant):\(day)" }
}
