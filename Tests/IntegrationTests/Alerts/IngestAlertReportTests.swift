import Foundation
import Testing
import TrackhubCore

/// The facts of `webhook_auth_failures` and `ingest_spooling` come from a real ingestd: what it
/// reports to Redis (``IngestReporter``) is what dispatchd's ``AlertFactGatherer`` reads and the
/// rules fire on — refusals counted per account (also those made while Redis was away), a fresh
/// report while healthy, a stale one once ingestd is gone.
@Suite("ingestd reports to the alert rules", .serialized, .timeLimit(.minutes(3)),
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis and Postgres)"))
struct IngestAlertReportTests {
    @Test("refused webhooks reach webhook_auth_failures; a healthy report does not alert, a stale one does")
    func reportReachesRules() async throws {
        let redis = try PrivateRedis(name: "alertreport")
        defer { redis.stop() }
        let f = try IngestFixture(name: "alertreport", redisURL: redis.url)
        try await f.start(extraEnv: ["TRACKHUB_INGEST_INSTANCE": "edge-test"])
        defer { Task { await f.stop() } }
        let thresholds = AlertThresholds()
        let gatherer = AlertFactGatherer(layout: f.layout, thresholds: thresholds)

        try await PostgresTestEnvironment.withScratchDatabase { url in
            let pg = try PostgresConnection(url, applicationName: "alert-report-test")
            defer { pg.close() }
            try Migrator().migrate(pg)
            func facts() throws -> AlertFacts {
                let conn = try RedisConnection(endpoint: redis.endpoint)
                defer { conn.close() }
                return gatherer.gather(postgres: pg, redis: conn, now: Date()).facts
            }
            func refused(_ n: Int) async throws {
                for _ in 0..<n {   // no hottok: a JSON object that fails Hotmart's authentication
                    #expect(try await RawHTTP.post(port: f.port, "/webhooks/hotmart/main", json: "{}").status == 401)
                }
            }
            /// Polls (bounded) until `ok` holds for the gathered facts; the reporter writes every 5 s.
            func waitFor(_ what: String, _ ok: (AlertFacts) -> Bool) async throws -> AlertFacts {
                let deadline = ContinuousClock.now + .seconds(20)
                var last = try facts()
                while !ok(last), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(250))
                    last = try facts()
                }
                #expect(ok(last), "\(what): \(last.webhookRejections) \(last.ingestInstances)")
                return last
            }

            try await refused(6)
            let healthy = try await waitFor("six refusals and a report") { facts in
                facts.webhookRejections.first { $0.gateway == "hotmart" && $0.account == "main" }?.count == 6
                    && facts.ingestInstances.contains { $0.instance == "edge-test" }
            }
            let edge = try #require(healthy.ingestInstances.first { $0.instance == "edge-test" })
            #expect(edge.redisConnected && edge.spoolPending == 0)
            #expect(abs(edge.reportedAt.timeIntervalSinceNow) < 15)
            let fired = AlertConditions.derive(healthy, thresholds: thresholds, now: Date())
            #expect(fired.contains { $0.key.rule == .webhookAuthFailures && $0.key.subject == "hotmart/main" })
            #expect(!fired.contains { $0.key.rule == .ingestSpooling })

            // Refusals while Redis is away are kept in memory and written once it is back.
            redis.stop()
            try await refused(2)
            try redis.start()
            _ = try await waitFor("the two refusals made during the outage") { facts in
                facts.webhookRejections.first { $0.gateway == "hotmart" && $0.account == "main" }?.count == 8
            }

            // ingestd gone: its last report ages, and a minute later the rule fires as "stale".
            await f.stop()
            let gone = try facts()
            let later = AlertConditions.derive(gone, thresholds: thresholds, now: Date().addingTimeInterval(Double(thresholds.ingestReportStaleSeconds) + 1))
            let spooling = try #require(later.first { $0.key.rule == .ingestSpooling && $0.key.subject == "edge-test" })
            #expect(spooling.values["stale"] == "true")
        }
    }
}
