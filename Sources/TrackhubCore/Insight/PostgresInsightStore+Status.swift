public import Foundation

extension PostgresInsightStore: LiveStatusReader {
    public func liveStatus(scope: InsightScope) async throws -> LiveStatus {
        let scopeParam = Self.scopeParameter(scope)
        let layout = self.layout
        return try await withPostgresAndRedis { pg, redis in
            // The gauges' part of `dispatchd status` (no per-pixel ledger scans: this is polled).
            let report = try StatusReport.collect(layout: layout, postgres: pg, redis: redis, detail: false)
            let counts = try pg.query("""
                SELECT (SELECT count(*) FROM dispatch_attempts a
                        WHERE a.outcome = 'sent' AND a.created_at > now() - interval '1 minute'
                          AND \(Self.pixelInScope("a.pixel_id", 1))) AS sends,
                       (SELECT count(*) FROM dead_letters d WHERE d.replayed_at IS NULL AND \(Self.deadLetterInScope(1))) AS dead
                """, [scopeParam])
            var pixels: Set<String>?
            if scopeParam != nil {
                let r = try pg.query("SELECT id FROM pixels WHERE \(Self.tenantInScope("tenant_id", 1))", [scopeParam])
                pixels = Set(try r.indices.compactMap { try r.string($0, "id") })
            }
            return LiveStatus.from(report, sendsPerMinute: try counts.int(0, "sends") ?? 0, deadLetters: try counts.int(0, "dead") ?? 0,
                                   pixels: pixels, at: Date())
        }
    }
}
