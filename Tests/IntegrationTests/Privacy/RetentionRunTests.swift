import Foundation
import Testing
import TrackhubCore

/// `dispatchd retention run` with the clock moved forward (issue 18, the retention check), on a
/// real Postgres through the real write paths: personal fields go at their period, rows at
/// theirs, whole ledger months are dropped; the dashboard's rollups stay exactly the same;
/// dedupe still refuses a redelivery inside its window.
@Suite("retention (Postgres)", .enabled(if: PostgresTestEnvironment.isConfigured, PostgresTestEnvironment.skipReason))
struct RetentionRunTests {
    static let day: TimeInterval = 86_400

    static func purchase(envelope: String, conversion: Int64?) -> OutboundEvent {
        OutboundEvent(pixel: "101", envelopeID: envelope, conversionID: conversion,
                      event: CAPIEvent(eventName: .purchase, eventTime: Int(Date().timeIntervalSince1970), eventId: "hotmart.T1",
                                       actionSource: .website,
                                       userData: CAPIUserData(fbp: "fb.1.1796090700000.1", clientIpAddress: "203.0.113.9",
                                                              clientUserAgent: "Mozilla/5.0 canary")))
    }

    /// Seeds one tenant's life: two clicks (one a sale is matched to), a lead, a sale, its
    /// ledger rows with user_data, a dedupe key, a processed and an unprocessed webhook, a dead letter.
    static func seed(_ conn: PostgresConnection, at start: Date) throws {
        try conn.execute("""
            INSERT INTO tenants (id, name) VALUES ('shop', 'Shop');
            INSERT INTO pixels (id, tenant_id) VALUES ('101', 'shop')
            """)
        let store = DispatchStore(), sales = SalesStore()
        let clicks = [
            TouchpointRow(envelopeID: "e1", tenant: "shop", kind: "click", clickID: "c1", ip: "203.0.113.9", userAgent: "Mozilla/5.0 canary",
                          utmJSON: #"{"utm_source":"fb","utm_campaign":"120"}"#, occurredAt: start, linkSlug: "ad-a"),
            TouchpointRow(envelopeID: "e2", tenant: "shop", kind: "click", clickID: "c2", ip: "198.51.100.7",
                          utmJSON: #"{"utm_source":"fb","utm_campaign":"130"}"#, occurredAt: start, linkSlug: "ad-b"),
            TouchpointRow(envelopeID: "e3", tenant: "shop", kind: "lead", clickID: "c2", occurredAt: start + 60),
        ]
        try store.insertTouchpoints(clicks, connection: conn)
        var tracking = TrackingParameters()
        tracking.utmSource = "fb"
        let ids = try sales.upsertConversions([SalesStore.ConversionRow(
            conversion: Conversion(gateway: .hotmart, account: "main", transactionID: "T1", status: .approved, rawEventType: "X",
                                   value: Decimal(string: "197.10")!, currency: "BRL", productIDs: ["P1"], tracking: tracking,
                                   occurredAt: start + 600),
            tenant: "shop", buyerHashedJSON: "{}", envelopeID: "w1")], connection: conn)
        let c1 = try conn.query("SELECT id FROM touchpoints WHERE envelope_id = 'e1'").int(0, "id")!
        try sales.insertMatches([.init(conversionID: ids[0], touchpointID: Int64(c1), method: "click_id", score: 1)], connection: conn)
        let event = purchase(envelope: "w1", conversion: ids[0])
        #expect(try store.registerForDedupe([event], connection: conn).mayBeSent(event))
        try store.appendLedger([LedgerEntry(event: event, attempt: 1, outcome: .sent)], connection: conn)
        try conn.execute("""
            INSERT INTO webhook_inbox (envelope_id, gateway, account, tenant_id, received_at, body_sealed, processed_at, outcome)
            VALUES ('w1', 'hotmart', 'main', 'shop', now(), 'v1.k1.sealed', now(), 'conversion'),
                   ('w9', 'hotmart', 'main', 'shop', now(), 'v1.k1.sealed', NULL, NULL);
            INSERT INTO dead_letters (envelope_id, reason, payload, event_id, pixel_id) VALUES ('e9', 'invalid', '{"user_data":{}}', 'x', '101')
            """)
    }

    static func count(_ conn: PostgresConnection, _ sql: String) throws -> Int {
        try conn.query("SELECT (\(sql)) AS n").int(0, "n") ?? -1
    }

    @Test("clock moved forward: each item goes at its period, ledger months are dropped, rollups unchanged, dedupe holds inside its window")
    func clockMovedForward() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url)
            defer { conn.close() }
            try Migrator().migrate(conn)
            let start = Date()
            try Self.seed(conn, at: start)
            let analytics = AnalyticsStore()
            func dashboard() throws -> Set<RollupRow> {
                Set(try analytics.rows(tenant: "shop", from: AnalyticsPeriod.earliest, to: AnalyticsPeriod.latest, connection: conn).filter { !$0.isZero })
            }
            let before = try dashboard()
            let totals = AnalyticsTotals(rows: Array(before))
            #expect(totals.clicks == 2 && totals.leads == 1 && totals.approved == 1 && totals.purchasesSent == 1)
            let runner = RetentionRunner(batchSize: 1)  // one row per batch: the batching loop is exercised

            // Day 20: nothing is due; a redelivery of the sale under another envelope is refused by dedupe.
            let day20 = try runner.run(now: start + 20 * Self.day, dryRun: false, connection: conn)
            #expect(day20.removed.values.allSatisfy { $0 == 0 }, "\(day20)")
            let redelivered = Self.purchase(envelope: "w1-again", conversion: nil)
            #expect(try !DispatchStore().registerForDedupe([redelivered], connection: conn).mayBeSent(redelivered))

            // Day 35: ledger user_data (30 d), dead letters (30 d), dedupe keys (30 d). A dry run first: same counts, nothing changed.
            let dry = try runner.run(now: start + 35 * Self.day, dryRun: true, connection: conn)
            #expect(try Self.count(conn, "SELECT count(*) FROM dedupe_registry") == 1)
            let day35 = try runner.run(now: start + 35 * Self.day, dryRun: false, connection: conn)
            #expect(dry.removed == day35.removed)
            #expect(day35.removed[.ledgerPersonal] == 1 && day35.removed[.deadLetters] == 1 && day35.removed[.dedupeKeys] == 1, "\(day35)")
            let payload = try conn.query("SELECT payload::text AS p FROM dispatch_attempts").string(0, "p") ?? ""
            #expect(!payload.contains("203.0.113.9") && !payload.contains("canary") && payload.contains("\"user_data\": {}"))
            #expect(payload.contains("\"trackhub_expired\": \(day35.runID!)"), "the redaction names its audit row")
            #expect(try Self.count(conn, "SELECT count(*) FROM dispatch_attempts") == 1, "the ledger row stays")
            let again = try runner.run(now: start + 35 * Self.day, dryRun: false, connection: conn)
            #expect(again.removed.values.allSatisfy { $0 == 0 }, "idempotent: \(again)")

            // Day 100: processed webhook bodies (90 d); the unprocessed one is kept.
            let day100 = try runner.run(now: start + 100 * Self.day, dryRun: false, connection: conn)
            #expect(day100.removed[.webhookBodies] == 1)
            #expect(try conn.query("SELECT envelope_id FROM webhook_inbox").string(0, "envelope_id") == "w9")

            // Day 200: touchpoints (180 d): the matched click is anonymised, the others deleted.
            let day200 = try runner.run(now: start + 200 * Self.day, dryRun: false, connection: conn)
            #expect(day200.removed[.touchpoints] == 2 && day200.removed[.touchpointsAnonymised] == 1, "\(day200)")
            let kept = try conn.query("SELECT envelope_id, ip, user_agent, link_slug FROM touchpoints")
            let (envelope, ip, agent, link) = (try kept.string(0, "envelope_id"), try kept.string(0, "ip"), try kept.string(0, "user_agent"),
                                               try kept.string(0, "link_slug"))
            #expect(kept.count == 1 && envelope == "e1" && ip == nil && agent == nil && link == "ad-a")
            #expect(try Self.count(conn, "SELECT count(*) FROM matches") == 1, "the sale keeps its attribution")

            // Two years on: the ledger's months are past 395 days and dropped whole; months ahead exist.
            let partitionsBefore = try Self.count(conn, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'dispatch_attempts'::regclass")
            let late = start + 800 * Self.day
            let day800 = try runner.run(now: late, dryRun: false, connection: conn)
            #expect(day800.droppedPartitions.contains("dispatch_attempts_p0"), "\(day800)")
            #expect(day800.removed[.ledgerRows] == 1)
            #expect(try Self.count(conn, "SELECT count(*) FROM dispatch_attempts") == 0)
            #expect(try Self.count(conn, "SELECT count(*) FROM pg_class WHERE relname = 'dispatch_attempts_p0'") == 0)
            #expect(day800.createdPartitions.first == LedgerPartition.month(LedgerPartition.monthStart(late)).name)
            #expect(partitionsBefore >= 4)
            // The sequence outlived the dropped table that first owned it: the ledger still takes rows.
            try DispatchStore().appendLedger([LedgerEntry(event: redelivered, attempt: 1, outcome: .skippedDuplicate)], connection: conn)
            #expect(try Self.count(conn, "SELECT count(*) FROM dispatch_attempts") == 1)

            // Through all of it, the dashboard's numbers did not move (the new row is today's attempt only).
            let after = try dashboard().filter { $0.metric != .attempt("skipped_duplicate") }
            #expect(after == before)

            let runs = try conn.query("SELECT count(*) FILTER (WHERE dry_run) AS dry, count(*) FILTER (WHERE finished_at IS NOT NULL) AS done FROM retention_runs")
            let (dryRuns, finished) = (try runs.int(0, "dry"), try runs.int(0, "done"))
            #expect(dryRuns == 1 && finished == 7)
        }
    }

    @Test("a second run while one holds the lock does nothing and says so")
    func oneAtATime() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url), other = try PostgresConnection(url)
            defer { conn.close(); other.close() }
            try Migrator().migrate(conn)
            try other.query("SELECT pg_advisory_lock($1)", [.int(RetentionRunner.advisoryLockKey)])
            let blocked = try RetentionRunner().run(now: Date(), dryRun: false, connection: conn)
            #expect(blocked.skippedLocked)
            #expect(try Self.count(conn, "SELECT count(*) FROM retention_runs") == 0)
            try other.query("SELECT pg_advisory_unlock($1)", [.int(RetentionRunner.advisoryLockKey)])
            let ran = try RetentionRunner().run(now: Date(), dryRun: false, connection: conn)
            #expect(!ran.skippedLocked && ran.runID != nil)
        }
    }

    @Test("the migration converts an existing ledger in place: rows, ids and triggers kept, no copy")
    func convertsInPlace() async throws {
        try await PostgresTestEnvironment.withScratchDatabase { url in
            let conn = try PostgresConnection(url)
            defer { conn.close() }
            try Migrator(migrations: Migrations.all.filter { $0.version < 17 }).migrate(conn)
            try conn.execute("""
                INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, outcome, payload, created_at)
                SELECT 'e' || g, 'PageView', '101', 'sent', '{"user_data":{"fbp":"x"}}', now() - g * interval '1 day' FROM generate_series(1, 500) g
                """)
            let oid = try conn.query("SELECT 'dispatch_attempts'::regclass::oid::bigint AS o").int(0, "o")
            let applied = try Migrator().migrate(conn)
            #expect(applied.map(\.version).first == 17)
            #expect(try conn.query("SELECT 'dispatch_attempts_p0'::regclass::oid::bigint AS o").int(0, "o") == oid, "the same table, renamed")
            #expect(try Self.count(conn, "SELECT count(*) FROM dispatch_attempts") == 500)
            #expect(try Self.count(conn, "SELECT count(*) FROM pg_constraint WHERE conname = 'dispatch_attempts_partition_bound'") == 0)
            let kind = try conn.query("SELECT relkind::text AS k FROM pg_class WHERE oid = 'dispatch_attempts'::regclass").string(0, "k")
            #expect(kind == "p")
            // Still append-only through the parent.
            #expect(throws: PostgresError.self) { try conn.query("UPDATE dispatch_attempts SET outcome = 'x'") }
            // New rows get the next ids and land in a month partition or p0, never refused.
            let id = try conn.query("""
                INSERT INTO dispatch_attempts (event_id, event_name, pixel_id, outcome) VALUES ('n', 'PageView', '101', 'sent') RETURNING id
                """).int(0, "id")
            #expect(id == 501)
        }
    }
}
